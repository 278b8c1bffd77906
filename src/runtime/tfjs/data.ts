/**
 * Data for training and evaluation: a data set's splits loaded and turned into model inputs by
 * one recorded recipe (scale, optional per-channel standardization with the training split's
 * statistics, fit to the model input), a seeded validation split, and the augmentation to apply
 * while training. The recipe is stored with a trained model, so evaluation repeats it exactly.
 */
import {
  channelStats, fitToInput, loadDataset, normalize, splitValidation, DATASETS,
  type Dataset, type DatasetName, type ImageShape, type LabeledSet,
} from '../../data/index.js';
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

/** Prepared splits of one data set. */
export interface TrainingData {
  name: DatasetName;
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

/** Applies a recipe to a loaded split. */
export function preprocess(raw: Dataset, pre: Preprocessing, input: ImageShape): LabeledSet {
  let set = normalize(raw, { scale: pre.scale });
  if (pre.mean && pre.std) set = normalize(set, { mean: pre.mean, std: pre.std });
  // Fitting after standardization pads with 0, which is then the mean.
  set = fitToInput(set, input, pre.fit);
  return { images: set.images, shape: set.shape, count: set.count, labels: raw.labels };
}

/** Loads a data set's training split and prepares it (and its validation part). */
export async function loadTrainingData(name: DatasetName, dir: string, o: DataOptions): Promise<TrainingData> {
  if (o.augment !== undefined && !AUGMENTATIONS.includes(o.augment)) {
    throw new UsageError((s) => messages.badOption('augment', AUGMENTATIONS.join(', '), o.augment, s));
  }
  const raw = await loadDataset(name, dir, 'train', o.limit === undefined ? {} : { limit: o.limit });
  const table = DATASETS[name].preprocessing;
  const scale = 1 / table.maxValue;
  const stats = o.standardize ?? table.standardize ? channelStats(raw, scale) : null;
  const fit = o.input[0] >= raw.shape[0] && o.input[1] >= raw.shape[1] ? table.fit : 'resize';
  const preprocessing: Preprocessing = { scale, mean: stats?.mean ?? null, std: stats?.std ?? null, fit };
  const data = preprocess(raw, preprocessing, o.input);
  const augment = AUGMENT_SETTINGS[o.augment ?? table.augment];
  const base = { name, classes: raw.classes, augment: augment ? { ...augment } : null, preprocessing };
  if (!o.valSplit) return { ...base, train: data };
  const { train, validation } = splitValidation(data, o.valSplit, o.seed);
  return { ...base, train, validation };
}

/**
 * Loads a split prepared the way a model was trained. Without a stored recipe (a model convlab
 * did not train) the data set's own preprocessing is used, statistics from this split.
 */
export async function loadEvalData(name: DatasetName, dir: string, split: 'train' | 'test', input: ImageShape, pre: Preprocessing | undefined, limit?: number): Promise<LabeledSet & { classes: string[] }> {
  const raw = await loadDataset(name, dir, split, limit === undefined ? {} : { limit });
  const table = DATASETS[name].preprocessing;
  const scale = 1 / table.maxValue;
  const stats = table.standardize ? channelStats(raw, scale) : null;
  const recipe = pre ?? { scale, mean: stats?.mean ?? null, std: stats?.std ?? null, fit: input[0] >= raw.shape[0] && input[1] >= raw.shape[1] ? table.fit : 'resize' };
  return { ...preprocess(raw, recipe, input), classes: raw.classes };
}
