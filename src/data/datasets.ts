/**
 * The data sets convlab reads, as data: shape, classes, where the files are, and the
 * preprocessing each needs. Readers and the CLI read this table; nothing else names a data set.
 */
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { AugmentationName } from '../core/sets.js';
import type { ImageShape, Split } from './types.js';

/** The data sets convlab reads, in display order. */
export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'cifar10', 'digits'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** The preprocessing a data set needs before training. */
export interface Preprocessing {
  /** Largest raw pixel value: dividing by it maps pixels to [0, 1]. */
  maxValue: number;
  /** Standardize each channel with the training split's mean and std (see channelStats). */
  standardize: boolean;
  /** How to reach a model input of another size: centred zero padding or bilinear resizing. */
  fit: 'pad' | 'resize';
  /** Augmentation while training. */
  augment: AugmentationName;
  /** One line for people. */
  note: string;
}

/** IDX: an images file and a labels file per split. */
export interface IdxFiles {
  format: 'idx';
  splits: Record<Split, { images: string; labels: string }>;
}

/** CIFAR binary records: per split, alternative lists of files, the first list with a file present wins. */
export interface CifarFiles {
  format: 'cifar';
  splits: Record<Split, readonly (readonly string[])[]>;
}

/** One CSV holding both splits, separated by a rule. */
export interface CsvFiles {
  format: 'csv';
  file: string;
}

export type DatasetFiles = IdxFiles | CifarFiles | CsvFiles;

/** One row of the data set table. */
export interface DatasetInfo {
  name: DatasetName;
  title: string;
  /** One image's [H, W, C]: the default model input. */
  shape: ImageShape;
  classCount: number;
  /** Class names, or null when they are read from `classesFile` beside the data. */
  classes: readonly string[] | null;
  classesFile?: string;
  /** Where the samples are; names are given without .gz and read with or without it. */
  files: DatasetFiles;
  /** Sub-folders searched when the folder given holds none of the files. */
  folders: readonly string[];
  /** True when `convlab data download` can fetch it. */
  downloadable: boolean;
  /** How train and test are separated when the data set is one file. */
  splitRule?: string;
  preprocessing: Preprocessing;
  source: string;
}

const DIGIT_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

const IDX_FILES: IdxFiles = {
  format: 'idx',
  splits: {
    train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
    test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
  },
};

/**
 * The digits test split: within each class, in file order, every DIGITS_TEST_EVERY-th sample
 * (the 5th, 10th, ... of that class). Per class, because the file cycles through the labels
 * 0..9 at its start, so a rule on the plain index would pick only a few classes.
 */
export const DIGITS_TEST_EVERY = 5;

/** CIFAR-10's full training set comes as five batch files; the subset as one. */
const CIFAR_TRAIN_BATCHES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];

/** One row per data set: the single place its shape, classes, files and preprocessing are written. */
export const DATASETS: Record<DatasetName, DatasetInfo> = {
  mnist: {
    name: 'mnist',
    title: 'MNIST handwritten digits',
    shape: [28, 28, 1],
    classCount: 10,
    classes: DIGIT_NAMES,
    files: IDX_FILES,
    folders: ['mnist', 'MNIST'],
    downloadable: true,
    preprocessing: {
      maxValue: 255,
      standardize: true,
      fit: 'pad',
      augment: 'none',
      note: 'scale by 1/255, standardize with the train split statistics; LeNet-5 takes 32×32: zero-pad 28→32 centred, as LeCun et al. did',
    },
    source: 'LeCun, Cortes, Burges; IDX files',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST (Zalando)',
    shape: [28, 28, 1],
    classCount: 10,
    classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    files: IDX_FILES,
    folders: ['fashion-mnist', 'fashion_mnist', 'FashionMNIST'],
    downloadable: true,
    preprocessing: {
      maxValue: 255,
      standardize: true,
      fit: 'pad',
      augment: 'none',
      note: 'scale by 1/255, standardize with the train split statistics; pad 28→32 for 32×32 models',
    },
    source: 'Zalando SE, MIT licence; IDX files',
  },
  cifar10: {
    name: 'cifar10',
    title: 'CIFAR-10',
    shape: [32, 32, 3],
    classCount: 10,
    classes: null,
    classesFile: 'batches.meta.txt',
    files: {
      format: 'cifar',
      splits: { train: [CIFAR_TRAIN_BATCHES, ['train.bin']], test: [['test_batch.bin'], ['test.bin']] },
    },
    folders: ['cifar10-subset', 'cifar10', 'cifar-10-batches-bin'],
    downloadable: true,
    preprocessing: {
      maxValue: 255,
      standardize: true,
      fit: 'resize',
      augment: 'crop-flip',
      note: 'scale by 1/255, standardize per channel with the train split statistics; augment with 4-pixel-padded random crops and horizontal flips',
    },
    source: 'Krizhevsky 2009; binary records (data_batch_1..5.bin, test_batch.bin, or the subset train.bin.gz, test.bin.gz)',
  },
  digits: {
    name: 'digits',
    title: 'UCI optdigits (8×8)',
    shape: [8, 8, 1],
    classCount: 10,
    classes: DIGIT_NAMES,
    files: { format: 'csv', file: 'digits.csv' },
    folders: ['digits'],
    downloadable: true,
    splitRule: `one file, split per class: in file order, every ${DIGITS_TEST_EVERY}th sample of each class is test, the rest train`,
    preprocessing: {
      maxValue: 16,
      standardize: false,
      fit: 'resize',
      augment: 'none',
      note: 'scale by 1/16; resize 8×8 bilinearly to the model input',
    },
    source: 'UCI optdigits test set as scikit-learn ships it; CSV',
  },
};

/** True when `name` is a data set convlab reads. */
export const isDatasetName = (name: string): name is DatasetName => (DATASET_NAMES as readonly string[]).includes(name);

/**
 * Checks, before any data is read, that a model taking `input` [H, W, C] can be fed the data set:
 * channels must match, or the data set must be grayscale (replicated). The message suggests the
 * `input` option that builds the model for the data set.
 */
export function checkDatasetChannels(name: DatasetName, input: readonly number[]): void {
  const shape = DATASETS[name].shape;
  const [c, want] = [shape[2], input[2]];
  if (want !== undefined && c !== want && c !== 1) throw new UsageError((o) => messages.datasetChannels(name, shape, input, o));
}
