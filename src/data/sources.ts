/**
 * Where the downloadable data sets live and their canonical checksums. The MD5 sums are of the
 * uncompressed IDX files, the ones public loaders check, so a mirror that recompresses the
 * files still verifies.
 */
import type { Split } from './types.js';

export type DownloadableName = 'mnist' | 'fashion-mnist';
/** The data sets `downloadDataset` can fetch. */
export const DOWNLOADABLE: readonly DownloadableName[] = ['mnist', 'fashion-mnist'];

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
export const SOURCES: Record<DownloadableName, Source> = {
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
