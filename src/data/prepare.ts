/**
 * The preprocessing a data set's table row asks for, in one call: scale to [0, 1], fit to the
 * model input, and standardize per channel with statistics of the training split.
 */
import { DATASETS } from './datasets.js';
import type { Dataset } from './load.js';
import { channelStats, fitToInput, normalize, type ChannelStats, type FitMode } from './transforms.js';
import type { ImageShape } from './types.js';

export interface PrepareOptions {
  /** Model input [H, W, C]; the data set's own shape when absent. */
  input?: ImageShape;
  /** How to reach `input`; the data set's default (DATASETS[name].preprocessing.fit) when absent. */
  fit?: FitMode;
  /**
   * Statistics for standardization, of the already scaled pixels. Pass the training split's to
   * the test split; when absent and the data set standardizes, they are computed from this set.
   */
  stats?: ChannelStats;
}

/** A prepared split and the statistics it was standardized with (null when it was not). */
export interface Prepared {
  data: Dataset;
  stats: ChannelStats | null;
}

/** Applies the data set's preprocessing to a loaded split; the input is left unchanged. */
export function prepareDataset(ds: Dataset, opts: PrepareOptions = {}): Prepared {
  const pre = DATASETS[ds.name].preprocessing;
  const scale = 1 / pre.maxValue;
  let stats: ChannelStats | null = null;
  let set = normalize(ds, { scale });
  if (pre.standardize) {
    stats = opts.stats ?? channelStats(set);
    set = normalize(set, { mean: stats.mean, std: stats.std });
  }
  // Fitting after normalization pads with 0, the mean after standardization, black otherwise.
  if (opts.input) set = fitToInput(set, opts.input, opts.fit ?? (opts.input[0] >= ds.shape[0] && opts.input[1] >= ds.shape[1] ? pre.fit : 'resize'));
  return { data: { ...ds, images: set.images, shape: set.shape, count: set.count }, stats };
}
