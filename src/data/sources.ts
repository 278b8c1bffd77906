/**
 * Where the downloadable data sets live and their canonical checksums. The MD5 sums are of the
 * uncompressed IDX files, the ones public loaders check, so a mirror that recompresses the
 * files still verifies.
 */
import type { Split } from './types.js';

/** Data sets published as separate gzip IDX files. */
export type IdxSetName = 'mnist' | 'fashion-mnist';
/** Data sets published as one file convlab unpacks: CIFAR-10's binary archive, UCI's digits test set. */
export type PackedSetName = 'cifar10' | 'digits';
export type DownloadableName = IdxSetName | PackedSetName;
/** The data sets `downloadDataset` can fetch. */
export const DOWNLOADABLE: readonly DownloadableName[] = ['mnist', 'fashion-mnist', 'cifar10', 'digits'];
/** Whether a data set comes as one file to unpack. */
export const isPacked = (name: DownloadableName): name is PackedSetName => name === 'cifar10' || name === 'digits';

/** One file of a data set, the split it belongs to, and the MD5 of its uncompressed content. */
export interface SourceFile {
  file: string;
  split: Split;
  md5: string;
}

export interface Source {
  /** Base URLs tried in order; a file's URL is base + file name. */
  mirrors: readonly string[];
  files: readonly SourceFile[];
}

/** Mirrors and canonical checksums per downloadable data set. */
export const SOURCES: Record<IdxSetName, Source> = {
  mnist: {
    mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
    files: [
      { file: 'train-images-idx3-ubyte.gz', split: 'train', md5: '6bbc9ace898e44ae57da46a324031adb' },
      { file: 'train-labels-idx1-ubyte.gz', split: 'train', md5: 'a25bea736e30d166cdddb491f175f624' },
      { file: 't10k-images-idx3-ubyte.gz', split: 'test', md5: '2646ac647ad5339dbf082846283269ea' },
      { file: 't10k-labels-idx1-ubyte.gz', split: 'test', md5: '27ae3e4e09519cfbb04c329615203637' },
    ],
  },
  'fashion-mnist': {
    mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/', 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/'],
    files: [
      { file: 'train-images-idx3-ubyte.gz', split: 'train', md5: 'f4a8712d7a061bf5bd6d2ca38dc4d50a' },
      { file: 'train-labels-idx1-ubyte.gz', split: 'train', md5: '9018921c3c673c538a1fc5bad174d6f9' },
      { file: 't10k-images-idx3-ubyte.gz', split: 'test', md5: '8181f5470baa50b63fa0f6fddb340f0a' },
      { file: 't10k-labels-idx1-ubyte.gz', split: 'test', md5: '15d484375f8d13e6eb1aabb0c3f46965' },
    ],
  },
};

/** A data set published as one file: where it is, and the MD5 that verifies it. */
export interface PackedSource {
  mirrors: readonly string[];
  file: string;
  /** MD5 of the file as published (cifar10), or of its text with LF line ends (digits). */
  md5: string;
}

/**
 * CIFAR-10's binary archive, checked by the MD5 its authors publish; UCI's optdigits test set
 * (1,797 samples, the set scikit-learn ships as digits), checked by the MD5 of its text with
 * LF line ends, so a copy served with CRLF lines verifies too.
 */
export const PACKED: Record<PackedSetName, PackedSource> = {
  cifar10: { mirrors: ['https://www.cs.toronto.edu/~kriz/'], file: 'cifar-10-binary.tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530' },
  digits: { mirrors: ['https://archive.ics.uci.edu/ml/machine-learning-databases/optdigits/'], file: 'optdigits.tes', md5: 'a0339c30a8a5312a1b6f9e5c719dcce5' },
};
