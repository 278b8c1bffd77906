/**
 * Two graphs trained with the same recipe: the same data, split, seed, optimizer and schedule,
 * one after the other, each evaluated on the same test split. `whatif --train` compares a model
 * before and after a design move this way, so only the architecture differs.
 */
import type { GraphSpec } from '../../graph/types.js';
import type { DatasetName } from '../../data/datasets.js';
import { loadEvalData, loadTrainingData } from './data.js';
import { evaluation, predictScores } from './metrics.js';
import type { Optimizer as OptimizerName } from '../../core/sets.js';
import { train } from './train.js';
import { resolveGraph } from '../../graph/graph.js';

/** What both graphs are trained with. */
export interface Recipe {
  dataset: DatasetName;
  /** The data set folder (or a parent holding it). */
  data: string;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  seed: number;
  /** Train on the first N samples only. */
  limit?: number;
  /** Evaluate on the first N test samples only. */
  testLimit?: number;
}

/** One graph's result: test top-1 and how many test samples it was measured on. */
export interface TrainedScore {
  top1: number;
  testSamples: number;
  /** Training accuracy of the last epoch. */
  trainAccuracy: number;
  seconds: number;
}

/** Trains one graph from scratch with the recipe and scores it on the test split. */
export async function trainAndTest(spec: GraphSpec, r: Recipe): Promise<TrainedScore> {
  const input = spec.inputs[0]!.shape as [number, number, number];
  const data = await loadTrainingData(r.dataset, r.data, { input, seed: r.seed, ...(r.limit !== undefined ? { limit: r.limit } : {}) });
  const result = await train(resolveGraph(spec), data, { epochs: r.epochs, batchSize: r.batchSize, optimizer: r.optimizer, lr: r.lr, schedule: 'constant', seed: r.seed });
  try {
    const test = await loadEvalData(r.dataset, r.data, 'test', input, data.preprocessing, r.testLimit);
    const ev = evaluation(predictScores(result.model, test, 256), test.labels, data.classes.length);
    const last = result.history[result.history.length - 1]!;
    return { top1: ev.top1, testSamples: ev.count, trainAccuracy: last.accuracy, seconds: result.history.reduce((s, e) => s + e.seconds, 0) };
  } finally {
    result.model.dispose();
  }
}

/** The recipe in words, for reports: `2 epochs, adam lr 0.001, batch 64, seed 0`. */
export const recipeText = (r: Recipe): string =>
  `${r.epochs} epoch${r.epochs === 1 ? '' : 's'}, ${r.optimizer} lr ${r.lr}, batch ${r.batchSize}, seed ${r.seed}${r.limit !== undefined ? `, first ${r.limit} training samples` : ''}`;
