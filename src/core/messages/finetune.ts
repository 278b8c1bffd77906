/** Messages of image-folder data sets and of fine-tuning on cached features. */
import { asKey, show, type Spell } from './text.js';

/** Messages of folder data sets, feature caches, heads and unfreezing. */
export const finetuneMessages = {
  folderNotFound: (path: string) => `folder data set ${path}: no such folder (expected one subfolder of images per class)`,
  folderNoClasses: (dir: string) => `${dir}: no class subfolders (expected one subfolder of PNG or JPEG images per class, as image_dataset_from_directory reads)`,
  folderEmptyClass: (dir: string) => `${dir}: class folder holds no PNG or JPEG image`,
  folderTooManyClasses: (dir: string, count: number, max: number) => `${dir}: ${count} class folders; convlab trains at most ${max} classes`,
  folderNoTest: (path: string) => `folder data set ${path} has no test split (a test/ beside train/); evaluate with --no-test or hold out --val-split`,
  augmentWithCache: (augment: string, o: Spell = asKey) =>
    `${o('augment')} ${augment} cannot be used with ${o('freezeBase')}: the frozen base's features are computed once per image and cached, and augmentation would change the image every epoch. ` +
    `Train without ${o('freezeBase')} to augment, or leave ${o('augment')} out (no augmentation)`,
  headSyntax: (text: string, item: string, why: string) => `head ${show(text)}: ${show(item)} ${why}; expected items such as gap, gmp, flatten, dense:256, dense:256:relu, dropout:0.5 (the classifier is added last)`,
  headNeedsFreeze: (option: string, o: Spell = asKey) => `${o(option)} needs ${o('freezeBase')}`,
  noBaseMap: (model: string) => `${model}: no feature map to put a new head on (no layer with a [H, W, C] output on the path to the output)`,
  cutBranches: (cut: string, readers: string[]) => `the base cannot end at ${show(cut)}: the head also reads ${readers.map((r) => show(r)).join(', ')}, so the head is not fed by one tensor`,
  noHead: (model: string) => `${model}: no classifier head (no layer with weights on the path to the output) to train on cached features`,
  unfreezeTooMany: (n: number, available: number, what: string) => `cannot unfreeze the top ${n} ${what}: the base has ${available}`,
  cacheRebuilt: (file: string, why: string) => `${file}: cached features unreadable (${why}); computing them again`,
} as const;
