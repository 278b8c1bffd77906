/**
 * Trained models read back from their directory: compiled from the stored convlab spec with the
 * stored weights, or, for a plain Keras/tfjs folder without a spec, rebuilt from model.json.
 */
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import { resolveGraph, type Graph } from '../../graph/graph.js';
import type { GraphSpec } from '../../graph/types.js';
import type { WeightMap } from '../../weights/map.js';
import { compileGraph } from './compile.js';
import { fileSystem, loadWeightsInto } from './io.js';
import { readModelInfo, type TrainedMeta } from '../../import/trained.js';
import { registerCustomLayers } from './layers/index.js';

/** A model loaded for evaluation or prediction. */
export interface TrainedModel {
  model: tf.LayersModel;
  spec: GraphSpec | null;
  meta: TrainedMeta;
  /** Input [H, W, C]. */
  input: [number, number, number];
}

/** Loads a trained model directory. */
export async function loadTrainedModel(dir: string): Promise<TrainedModel> {
  const { spec, meta } = readModelInfo(dir);
  let model: tf.LayersModel;
  if (spec) {
    model = compileGraph(resolveGraph(spec), { initialize: false }).model;
    loadWeightsInto(model, dir);
  } else {
    registerCustomLayers();
    model = await tf.loadLayersModel(fileSystem(dir));
  }
  const shape = model.inputs[0]!.shape.slice(1) as [number, number, number];
  return { model, spec, meta, input: shape };
}

/** Compiles a graph and sets its weights from a WeightMap (keys `node/weight`): a trained model to evaluate. */
export function modelWithWeights(graph: Graph, weights: WeightMap): tf.LayersModel {
  const { model } = compileGraph(graph, { initialize: false });
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    tf.tidy(() => {
      layer.setWeights(layer.weights.map((w) => {
        const values = weights.get(w.originalName);
        if (!values) throw new RuntimeError(messages.missingWeight(layer.name, w.originalName.split('/').pop()!, graph.name));
        return tf.tensor(values, w.shape as number[]);
      }));
    });
  }
  return model;
}
