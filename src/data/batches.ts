/** Batching: subsets by index, a validation split, and an iterator of mini-batches in a given order. */
import { UsageError } from '../core/errors.js';
import { permutation, Rng } from '../core/random.js';
import { checkImageSet } from './transforms.js';
import { imageSize, type LabeledSet } from './types.js';
import { messages } from '../core/messages.js';

/** One mini-batch: its images and labels, and which samples of the set they are. */
export interface Batch extends LabeledSet {
  /** Position of this batch in the epoch, from 0. */
  index: number;
  /** Sample indices into the source set. */
  indices: Uint32Array;
}

export interface BatchOptions {
  /** Sample order, e.g. epochPermutation(count, seed, epoch); file order when absent. */
  order?: ArrayLike<number>;
  /** Drop a last batch smaller than batchSize. */
  dropLast?: boolean;
}

/** The samples at `indices`, in that order, as a new set. */
export function subset(set: LabeledSet, indices: ArrayLike<number>): LabeledSet {
  checkImageSet(set);
  const size = imageSize(set.shape);
  const images = new Float32Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= set.count) throw new UsageError(messages.badIndex(j, set.count));
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j]!;
  }
  return { images, labels, shape: [...set.shape], count: indices.length };
}

/** Number of batches an epoch of `count` samples yields. */
export function batchCount(count: number, batchSize: number, dropLast = false): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(messages.badBatch(batchSize));
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/** Mini-batches of `batchSize` samples (the last may be smaller unless dropLast), in `order`. */
export function* batches(set: LabeledSet, batchSize: number, opts: BatchOptions = {}): Generator<Batch> {
  const total = batchCount(set.count, batchSize, opts.dropLast);
  const order = opts.order ?? Uint32Array.from({ length: set.count }, (_, i) => i);
  if (order.length !== set.count) throw new UsageError(messages.badOrder(set.count, order.length));
  for (let b = 0; b < total; b++) {
    const indices = Uint32Array.from({ length: Math.min(batchSize, set.count - b * batchSize) }, (_, i) => order[b * batchSize + i]!);
    yield { ...subset(set, indices), index: b, indices };
  }
}

/**
 * Splits off a validation set. Without a seed it takes the last `fraction` of the samples, as
 * Keras' validationSplit does; with a seed it takes a random subset, each part in file order.
 */
export function splitValidation(set: LabeledSet, fraction: number, seed?: number): { train: LabeledSet; validation: LabeledSet } {
  if (!(fraction >= 0 && fraction < 1)) throw new UsageError(messages.badFraction(fraction));
  const nVal = Math.round(set.count * fraction);
  const order = seed === undefined ? Uint32Array.from({ length: set.count }, (_, i) => i) : permutation(set.count, new Rng(seed));
  const trainIdx = order.slice(0, set.count - nVal).sort();
  const valIdx = order.slice(set.count - nVal).sort();
  return { train: subset(set, trainIdx), validation: subset(set, valIdx) };
}
