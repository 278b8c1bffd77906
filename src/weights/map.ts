/**
 * Weights in Keras layout, keyed `node/weight` (`conv1/kernel`): the one WeightMap type every
 * reader, initializer and runtime uses, the list of tensors a graph needs, and the check that a
 * map supplied from elsewhere (a trained model, an imported file) holds them all.
 */
import { contextOf } from '../analysis/analyze.js';
import { DataError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { numel } from '../core/numel.js';
import type { Graph } from '../graph/graph.js';
import type { WeightSpec } from '../ops/types.js';

/** Weights keyed `node/weight`, each a Float32Array in Keras layout (row-major over WeightSpec.dims). */
export type WeightMap = Map<string, Float32Array>;

/** The key of a node's weight: `conv1/kernel`. */
export const weightKey = (node: string, weight: string): string => `${node}/${weight}`;

/** One weight tensor of a graph. */
export interface WeightEntry {
  key: string;
  node: string;
  spec: WeightSpec;
  shape: number[];
  size: number;
}

/** Every weight tensor of the graph, in node order, with its Keras shape. */
export function listWeights(graph: Graph): WeightEntry[] {
  const out: WeightEntry[] = [];
  for (const node of graph.nodes) {
    for (const spec of node.def.weights(contextOf(node))) {
      const shape = spec.dims.map(([, d]) => d);
      out.push({ key: weightKey(node.name, spec.name), node: node.name, spec, shape, size: numel(shape) });
    }
  }
  return out;
}

/** Builds a WeightMap from a plain record or map, checking it against the graph. */
export function toWeightMap(graph: Graph, weights: WeightMap | Record<string, Float32Array>): WeightMap {
  const map: WeightMap = weights instanceof Map ? weights : new Map(Object.entries(weights));
  checkWeights(graph, map);
  return map;
}

/**
 * Checks that every weight the graph needs is present with the right number of values. Extra
 * entries are allowed: a trained model may carry tensors inference does not read.
 */
export function checkWeights(graph: Graph, map: WeightMap): void {
  const entries = listWeights(graph);
  const missing = entries.filter((e) => !map.has(e.key));
  if (missing.length > 0) {
    throw new DataError(messages.weightsMissing(missing.length, missing.slice(0, 5).map((e) => e.key), entries[0]!.key));
  }
  for (const e of entries) {
    const got = map.get(e.key)!;
    if (!(got instanceof Float32Array)) throw new DataError(messages.weightType(e.key, typeof got));
    if (got.length !== e.size) {
      throw new DataError(messages.weightLength(e.key, e.size, e.shape, got.length));
    }
  }
}
