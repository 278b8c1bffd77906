/** Shared checks of zoo models against what Keras reports for its Applications. */
import { countedWeights } from '../../src/analysis/analyze.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { getModel, type ModelOptions } from '../../src/zoo/index.js';

/** Weight tensors of a zoo model, as Keras' len(model.weights) and len(model.trainable_weights). */
export function weightTensors(id: string, options: ModelOptions = {}): { all: number; trainable: number } {
  let all = 0;
  let trainable = 0;
  for (const n of resolveGraph(getModel(id, options)).nodes) {
    const w = countedWeights(n, 'keras');
    all += w.trainable.length + w.nonTrainable.length;
    trainable += w.trainable.length;
  }
  return { all, trainable };
}
