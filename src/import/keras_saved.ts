/**
 * Keras files that carry their architecture as well as their weights: a .keras archive
 * (config.json) and a Keras 2 full-model .h5 (model_config). The architecture goes through the
 * same layer converters as a model.json; the weights bind by the config's layer names.
 */
import { resolveGraph, type Graph } from '../graph/graph.js';
import type { GraphSpec } from '../graph/types.js';
import type { WeightMap } from '../weights/map.js';
import { bindKerasWeights } from '../weights/keras_bind.js';
import { readKerasFile } from '../weights/keras_files.js';
import { messages } from '../core/messages.js';
import { SpecError } from '../core/errors.js';
import { kerasToSpec } from './keras.js';

/** A model read from a .keras archive or a full-model .h5. */
export interface SavedKerasModel {
  spec: GraphSpec;
  graph: Graph;
  weights: WeightMap;
}

/** True for the file names that may hold a whole Keras model. */
export const isKerasModelFile = (path: string): boolean => /\.(keras|h5|hdf5)$/i.test(path);

/** Imports a .keras archive or a full-model .h5: its graph from the stored config, its weights bound by layer name. */
export async function importKerasSaved(path: string): Promise<SavedKerasModel> {
  const file = await readKerasFile(path);
  if (file.config === undefined) throw new SpecError(messages.noArchitecture(path));
  const spec = kerasToSpec(file.config, path);
  const graph = resolveGraph(spec);
  const { weights } = bindKerasWeights(graph, file, { match: 'name', ...(file.configLayers ? { configLayers: file.configLayers } : {}) });
  return { spec, graph, weights };
}
