/** Figures about a loaded split, for `convlab data info` and for checking a data set by eye. */
import { channelStats } from './transforms.js';
import type { Dataset } from './load.js';
import type { ImageShape } from './types.js';

/** Count, shape, pixel range, per-channel mean/std and samples per class of one split. */
export interface SplitSummary {
  split: string;
  count: number;
  shape: ImageShape;
  min: number;
  max: number;
  mean: number[];
  std: number[];
  /** Samples per class index. */
  histogram: number[];
  files: string[];
}

/** Computes a split's summary from its samples. */
export function summarizeSplit(ds: Dataset): SplitSummary {
  let min = Infinity;
  let max = -Infinity;
  const x = ds.images;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const histogram = new Array<number>(ds.classes.length).fill(0);
  for (const l of ds.labels) histogram[l]! += 1;
  const { mean, std } = channelStats(ds);
  return { split: ds.split, count: ds.count, shape: [...ds.shape], min, max, mean, std, histogram, files: ds.files };
}
