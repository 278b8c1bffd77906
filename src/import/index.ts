/**
 * One entry for every model file convlab reads: `importModel(path | bytes)` dispatches on the
 * file (ONNX protobuf, or a Keras / TensorFlow.js model.json) and returns the resolved graph,
 * plus weights in Keras layout when asked. Node-side: paths are read here within a size bound.
 */
import { SpecError, UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Graph } from '../graph/graph.js';
import type { GraphSpec, Shape } from '../graph/types.js';
import { readWeights } from '../weights/files.js';
import { WEIGHTS_META_KEY } from '../weights/manifest.js';
import type { WeightMap } from '../weights/map.js';
import { importKerasFile, MAX_ONNX_BYTES, readBounded } from './files.js';
import { kerasToGraph } from './keras.js';
import { isGraphModel } from './graph_model.js';
import { importOnnx } from './onnx/import.js';
import type { ImportedModel } from './types.js';

export { importOnnx, SUPPORTED_OPS, type OnnxImportOptions } from './onnx/import.js';
export { importKerasFile, readSpecFile } from './files.js';
export { kerasToGraph, kerasToSpec } from './keras.js';
export { graphModelToGraph, isGraphModel, GRAPH_MODEL_OPS } from './graph_model.js';
export { isTrainedDirectory, readTrainedDirectory, type TrainedDirectory, type TrainedMeta } from './trained.js';
export { packWeights, WEIGHTS_META_KEY } from '../weights/manifest.js';
export type { ImportedModel, ImportSource } from './types.js';
export type { WeightMap } from '../weights/map.js';

/** How to import. */
export interface ImportOptions {
  /** Also read the weights (Keras layout, keyed `node/weight`). */
  weights?: boolean;
  /** Replaces the single input's shape (NHWC without batch): free ONNX dimensions, other sizes. */
  input?: Shape;
  /** Names the source in messages when bytes are given. */
  source?: string;
}

/** The kind of model file a path names, from its name. */
export function modelFileKind(path: string): 'onnx' | 'keras' | undefined {
  if (/\.onnx$/i.test(path)) return 'onnx';
  if (/model\.json$/i.test(path)) return 'keras';
  return undefined;
}

/** The first non-blank byte is `{`: JSON, not protobuf (whose first byte is a field tag). */
const looksLikeJson = (b: Uint8Array): boolean => {
  for (const x of b.subarray(0, 64)) if (x !== 0x20 && x !== 0x0a && x !== 0x0d && x !== 0x09 && x !== 0xef && x !== 0xbb && x !== 0xbf) return x === 0x7b;
  return false;
};

/**
 * Imports a model file (.onnx or model.json) or its bytes. Bytes of a model.json carry no
 * weights (they live in files beside it), so `weights` needs a path for that format.
 */
export function importModel(pathOrBytes: string | Uint8Array, o: ImportOptions = {}): ImportedModel {
  const shape = o.input ? { input: o.input } : {};
  if (typeof pathOrBytes === 'string') {
    const kind = modelFileKind(pathOrBytes);
    if (kind === 'keras') return importKerasFile(pathOrBytes, { weights: o.weights ?? false, ...shape });
    if (kind !== 'onnx') throw new UsageError(messages.notOnnx(pathOrBytes));
    return importOnnx(readBounded(pathOrBytes, MAX_ONNX_BYTES), { source: pathOrBytes, weights: o.weights ?? false, ...shape });
  }
  const source = o.source ?? 'model';
  if (!looksLikeJson(pathOrBytes)) return importOnnx(pathOrBytes, { source, weights: o.weights ?? false, ...shape });
  if (o.weights) throw new UsageError(messages.jsonWeightsNeedPath(source));
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(pathOrBytes));
  } catch (e) {
    throw new SpecError(messages.notJson(source, (e as Error).message));
  }
  // A graph model's constants (its weights, shapes and axes) live in files beside it.
  if (isGraphModel(json)) throw new UsageError(messages.jsonWeightsNeedPath(source));
  const graph = kerasToGraph(json, source, shape);
  return { graph, spec: graph.spec, source: { format: 'keras', file: source } };
}

/** Reads the weights a spec file names in spec.meta (written by packWeights), from files beside it. */
export function unpackWeights(graph: Graph, specPath: string): WeightMap {
  const manifest = (graph.spec.meta as Record<string, unknown> | undefined)?.[WEIGHTS_META_KEY];
  if (manifest === undefined) throw new SpecError(messages.noManifestMeta(specPath, WEIGHTS_META_KEY));
  return readWeights(manifest, graph, specPath);
}

/** The spec of a graph with its weights described by a manifest in spec.meta: what `convlab import --weights` writes. */
export function specWithWeights(spec: GraphSpec, manifest: unknown): GraphSpec {
  return { ...spec, meta: { ...spec.meta, [WEIGHTS_META_KEY]: manifest } };
}
