/** What `convlab train` reads the same way for every engine: data, recipe, output, in the library's terms. */
import { UsageError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import { AUGMENTATIONS, OPTIMIZERS, SCHEDULES, type AugmentationName, type Optimizer, type ScheduleName } from '../../core/sets.js';
import { folderOf } from '../../data/folder.js';
import { choice, dataDirOf, flagOf, positiveInt } from '../options.js';

/** The engine-independent options as commander reads them. */
export interface RunOpts {
  dataset: string;
  data?: string;
  epochs: string;
  batchSize: string;
  optimizer: string;
  lr: string;
  momentum?: string;
  schedule: string;
  stepEvery?: string;
  gamma?: string;
  weightDecay: string;
  valSplit: string;
  seed: string;
  limit?: string;
  standardize?: boolean;
  augment?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  weights?: string;
  freezeBase?: boolean;
  newHead?: boolean;
  test: boolean;
  testLimit?: string;
  progress: boolean;
}

/** Reads a number in a range; `open` bounds exclude their end. The message names the option and the range. */
export function number(option: string, received: string, range: { min: number; max?: number; openMin?: boolean; openMax?: boolean }): number {
  const x = Number(received);
  const max = range.max ?? Infinity;
  const aboveMin = range.openMin ? x > range.min : x >= range.min;
  const belowMax = range.openMax ? x < max : x <= max;
  if (received.trim() === '' || !Number.isFinite(x) || !aboveMin || !belowMax) {
    const lo = `${range.openMin ? '>' : '>='} ${range.min}`;
    const text = max === Infinity ? lo : `in ${range.openMin ? '(' : '['}${range.min}, ${max}${range.openMax ? ')' : ']'}`;
    throw new UsageError(messages.badNumber(option, text, received));
  }
  return x;
}

/** What every engine reads from the command line: data, recipe, output, in the library's terms. */
export interface RunSettings {
  data: string;
  train: {
    epochs: number; batchSize: number; optimizer: Optimizer; lr: number; schedule: ScheduleName;
    weightDecay: number; seed: number; gamma: number; momentum?: number; stepEvery?: number;
  };
  valSplit: number;
  limit?: number;
  standardize?: boolean;
  augment?: AugmentationName;
  out?: string;
  resume: boolean;
  force: boolean;
  weights?: { dir: string; newHead: boolean };
  freezeBase: boolean;
  test: boolean;
  testLimit?: number;
  progress: boolean;
}

/** Checks and converts the engine-independent options; every error names the option. */
export function readRun(o: RunOpts): RunSettings {
  const train = {
    epochs: positiveInt('--epochs', o.epochs),
    batchSize: positiveInt('--batch-size', o.batchSize),
    optimizer: choice('--optimizer', OPTIMIZERS, o.optimizer),
    lr: number('--lr', o.lr, { min: 0, openMin: true }),
    schedule: choice('--schedule', SCHEDULES, o.schedule),
    weightDecay: number('--weight-decay', o.weightDecay, { min: 0 }),
    seed: number('--seed', o.seed, { min: 0 }),
    ...(o.momentum !== undefined ? { momentum: number('--momentum', o.momentum, { min: 0, max: 1, openMax: true }) } : {}),
    ...(o.stepEvery !== undefined ? { stepEvery: positiveInt('--step-every', o.stepEvery) } : {}),
    gamma: number('--gamma', o.gamma ?? '0.1', { min: 0, openMin: true }),
  };
  if (!Number.isInteger(train.seed)) throw new UsageError(messages.badWholeSeed(o.seed));
  if (o.resume && !o.out) throw new UsageError(messages.resumeNeedsOut(flagOf));
  if (o.newHead && !o.weights) throw new UsageError(messages.newHeadNeedsWeights());
  return {
    // A folder data set names its own folder; --data is for the named ones.
    data: folderOf(o.dataset) !== undefined ? o.data ?? '' : dataDirOf(o.data),
    train,
    valSplit: number('--val-split', o.valSplit, { min: 0, max: 1, openMax: true }),
    ...(o.limit !== undefined ? { limit: positiveInt('--limit', o.limit) } : {}),
    ...(o.standardize !== undefined ? { standardize: o.standardize } : {}),
    ...(o.augment !== undefined ? { augment: choice('--augment', AUGMENTATIONS, o.augment) } : {}),
    ...(o.out ? { out: o.out } : {}),
    resume: Boolean(o.resume),
    force: Boolean(o.force),
    ...(o.weights ? { weights: { dir: o.weights, newHead: Boolean(o.newHead) } } : {}),
    freezeBase: Boolean(o.freezeBase),
    test: o.test,
    ...(o.testLimit !== undefined ? { testLimit: positiveInt('--test-limit', o.testLimit) } : {}),
    progress: o.progress,
  };
}

