/**
 * Data for training and evaluation: a data set's splits loaded and turned into model inputs by
 * one recorded recipe (scale, optional per-channel standardization with the training split's
 * statistics, fit to the model input), a seeded validation split, and the augmentation to apply
 * while training. The recipe is stored with a trained model, so evaluation repeats it exactly.
 */
import {
  channelStats, checkDatasetChannels, fitToInput, loadDataset, normalize, splitValidation, DATASETS,
  type DatasetName, type ImageShape, type LabeledSet, type Preprocessing as DatasetPreprocessing,
} from '../../data/index.js';
import { folderOf, folderSplitDir, readImageFolder } from '../../data/folder.js';
import { UsageError } from '../../core/errors.js';
import { AUGMENTATIONS, type AugmentationName } from '../../core/sets.js';
import { messages } from '../../core/messages.js';

/** How pixels become model inputs: x·scale, then (x − mean[c]) / std[c] when given, then fitted. */
export interface Preprocessing {
  scale: number;
  mean: number[] | null;
  std: number[] | null;
  fit: 'pad' | 'resize';
}

/** Random shifts (crops of a padded image) and mirroring while training. */
export interface Augmentation {
  padding: number;
  flip: boolean;
}

/** What each named augmentation does: none; shift (±2 pixels, digits must not mirror); crop-flip (CIFAR's ±4 and mirroring). */
const AUGMENT_SETTINGS: Record<AugmentationName, Augmentation | null> = { none: null, shift: { padding: 2, flip: false }, 'crop-flip': { padding: 4, flip: true } };

/** A data set's name: one of DATASET_NAMES, or `folder:PATH` for a class-per-subfolder image tree. */
export type DataName = DatasetName | `folder:${string}`;

/** Prepared splits of one data set. */
export interface TrainingData {
  name: DataName;
  classes: string[];
  train: LabeledSet;
  validation?: LabeledSet;
  augment: Augmentation | null;
  preprocessing: Preprocessing;
}

export interface DataOptions {
  /** Model input [H, W, C]. */
  input: ImageShape;
  /** Use only the first `limit` training samples. */
  limit?: number;
  /** Fraction of the training samples held out for validation. */
  valSplit?: number;
  /** Seed of the validation split. */
  seed: number;
  /** Standardize per channel; the data set's table decides when absent (CIFAR yes, the others no). */
  standardize?: boolean;
  /** Augmentation; the data set's table decides when absent (crop-flip for CIFAR, none otherwise). */
  augment?: AugmentationName;
}

/** A folder of images is read at the model's input size, scaled from 8-bit pixels and standardized like CIFAR-10. */
const FOLDER_TABLE: DatasetPreprocessing = {
  maxValue: 255, standardize: true, fit: 'resize', augment: 'none',
  note: 'read at the model input (bilinear stretch), scaled by 1/255, standardized per channel',
};

/** A split as stored, before any preprocessing, with the table of how its data set is prepared. */
export interface RawSplit extends LabeledSet {
  name: DataName;
  classes: string[];
  table: DatasetPreprocessing;
}

/**
 * Reads a split of a named data set from `dir`, or of a `folder:PATH` data set (read at the
 * model's `input` size; `dir` is not used). Pixels keep their stored range.
 */
export async function loadRawSplit(name: DataName, dir: string, split: 'train' | 'test', input: ImageShape, limit?: number): Promise<RawSplit> {
  const folder = folderOf(name);
  if (folder === undefined) {
    // Before any file is read: a colour model on a grayscale set is fine (replicated), the other way round is not.
    checkDatasetChannels(name as DatasetName, input);
    const raw = await loadDataset(name as DatasetName, dir, split, limit === undefined ? {} : { limit });
    return { name, images: raw.images, labels: raw.labels, shape: raw.shape, count: raw.count, classes: raw.classes, table: DATASETS[name as DatasetName].preprocessing };
  }
  const at = folderSplitDir(folder, split);
  if (at === undefined) throw new UsageError(messages.folderNoTest(folder));
  const set = readImageFolder(at, input, limit === undefined ? {} : { limit });
  return { name, images: set.images, labels: set.labels, shape: set.shape, count: set.count, classes: set.classes, table: FOLDER_TABLE };
}

/** The recipe of a training split: scale from its table, the split's own channel statistics when standardizing, and the fit to `input`. */
export function trainingRecipe(raw: RawSplit, input: ImageShape, standardize?: boolean): Preprocessing {
  const scale = 1 / raw.table.maxValue;
  const stats = standardize ?? raw.table.standardize ? channelStats(raw, scale) : null;
  const fit = input[0] >= raw.shape[0] && input[1] >= raw.shape[1] ? raw.table.fit : 'resize';
  return { scale, mean: stats?.mean ?? null, std: stats?.std ?? null, fit };
}

/** Applies a recipe to a loaded split. */
export function preprocess(raw: LabeledSet, pre: Preprocessing, input: ImageShape): LabeledSet {
  let set = normalize(raw, { scale: pre.scale });
  if (pre.mean && pre.std) set = normalize(set, { mean: pre.mean, std: pre.std });
  // Fitting after standardization pads with 0, which is then the mean.
  set = fitToInput(set, input, pre.fit);
  return { images: set.images, shape: set.shape, count: set.count, labels: raw.labels };
}

/** The augmentation of a training run: the named one, else the data set's default. */
export function augmentationOf(table: DatasetPreprocessing, name?: AugmentationName): Augmentation | null {
  if (name !== undefined && !AUGMENTATIONS.includes(name)) {
    throw new UsageError((s) => messages.badOption('augment', AUGMENTATIONS.join(', '), name, s));
  }
  const settings = AUGMENT_SETTINGS[name ?? table.augment];
  return settings ? { ...settings } : null;
}

/** Loads a data set's training split and prepares it (and its validation part). */
export async function loadTrainingData(name: DataName, dir: string, o: DataOptions): Promise<TrainingData> {
  const raw = await loadRawSplit(name, dir, 'train', o.input, o.limit);
  const augment = augmentationOf(raw.table, o.augment);
  const preprocessing = trainingRecipe(raw, o.input, o.standardize);
  const data = preprocess(raw, preprocessing, o.input);
  const base = { name, classes: raw.classes, augment, preprocessing };
  if (!o.valSplit) return { ...base, train: data };
  const { train, validation } = splitValidation(data, o.valSplit, o.seed);
  return { ...base, train, validation };
}

/**
 * Loads a split prepared the way a model was trained. Without a stored recipe (a model convlab
 * did not train) the data set's own preprocessing is used, statistics from this split.
 */
export async function loadEvalData(name: DataName, dir: string, split: 'train' | 'test', input: ImageShape, pre: Preprocessing | undefined, limit?: number): Promise<LabeledSet & { classes: string[] }> {
  const raw = await loadRawSplit(name, dir, split, input, limit);
  const recipe = pre ?? trainingRecipe(raw, input);
  return { ...preprocess(raw, recipe, input), classes: raw.classes };
}
