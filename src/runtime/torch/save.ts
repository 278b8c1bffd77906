/**
 * The trained directory of a torch-engine run, in the format tfjs-trained directories use
 * (model.json + weights.bin in the Keras/tfjs layers format, spec.json): the graph is compiled
 * with tfjs only to write that format, with the weights PyTorch trained.
 */
import { RuntimeError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import type { Graph } from '../../graph/graph.js';
import type { TrainedMeta } from '../../import/trained.js';
import type { WeightMap } from '../../weights/map.js';

/** Writes `weights` (Keras layout, keyed `node/weight`) as a trained model directory. */
export async function saveTrainedDirectory(graph: Graph, weights: WeightMap, dir: string, meta: TrainedMeta): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const tfjs = await import('../tfjs/index.js');
  // Only a file format is written: any backend will do, and the CPU one needs no start-up.
  if (!tfjs.backendInfo()) {
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
  }
  const { model } = tfjs.compileGraph(graph, { initialize: false });
  try {
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      const values = layer.weights.map((w) => {
        const data = weights.get(w.originalName);
        if (!data) throw new RuntimeError(messages.missingWeight(layer.name, w.originalName.split('/').pop()!, dir));
        return tf.tensor(data, w.shape as number[]);
      });
      layer.setWeights(values);
      for (const v of values) v.dispose();
    }
    await tfjs.saveModelDir(model, graph.spec, dir, meta);
  } finally {
    model.dispose();
  }
}
