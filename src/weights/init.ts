/**
 * Weights in Keras layout, keyed `node/weight` (`conv1/kernel`): a seeded initializer that draws
 * them as Keras would (Glorot / He by each op's WeightSpec), and checks for weights supplied from
 * elsewhere (a trained model). Runtime-free: the ONNX exporter and the tfjs runtime share it.
 */
import { contextOf } from '../analysis/analyze.js';
import { Rng } from '../core/random.js';
import { DataError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { resolveGraph, type Graph, type ResolvedNode } from '../graph/graph.js';
import type { GraphSpec } from '../graph/types.js';
import type { NormalizationAttrs, WeightSpec } from '../ops/index.js';
import { numel } from '../core/numel.js';

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

/** Options of the seeded initializer. */
export interface InitOptions {
  /** Seed of the generator; the same seed gives the same weights. Default 0. */
  seed?: number;
  /**
   * Also draw tensors Keras initializes to constants (biases, BatchNorm γ, β and statistics,
   * Normalization constants) at random, so numerical checks exercise them. Keras does not.
   */
  randomizeConstants?: boolean;
}

const asGraph = (g: Graph | GraphSpec): Graph => ('shapes' in g ? g : resolveGraph(g));

/** Every weight tensor of the graph, in node order, with its Keras shape. */
export function listWeights(graphOrSpec: Graph | GraphSpec): WeightEntry[] {
  const graph = asGraph(graphOrSpec);
  const out: WeightEntry[] = [];
  for (const node of graph.nodes) {
    for (const spec of node.def.weights(contextOf(node)) as WeightSpec[]) {
      const shape = spec.dims.map(([, d]) => d);
      out.push({ key: weightKey(node.name, spec.name), node: node.name, spec, shape, size: numel(shape) });
    }
  }
  return out;
}

/** Keras' compute_fans: the last axis is fan-out, the one before fan-in, the rest the receptive field. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = numel(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** FNV-1a of the key: each tensor gets its own stream, so adding a layer never shifts the others. */
function streamOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Standard normal by Box–Muller (one value per call keeps the stream simple). */
function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

// Keras' VarianceScaling divides by the std of a unit normal truncated at ±2.
const TRUNCATED_STD = 0.87962566103423978;

function truncatedNormal(rng: Rng, std: number): number {
  for (;;) {
    const z = normal(rng);
    if (Math.abs(z) <= 2) return (z * std) / TRUNCATED_STD;
  }
}

/** Draws one tensor as its WeightSpec's Keras initializer says. */
export function initTensor(entry: WeightEntry, seed: number, randomizeConstants = false): Float32Array {
  const out = new Float32Array(entry.size);
  const rng = new Rng(seed, streamOf(entry.key));
  const { fanIn, fanOut } = fans(entry.shape);
  // Uniform fills run as plain loops: these draw hundreds of millions of values for VGG-sized models.
  const fillUniform = (lo: number, hi: number) => {
    const span = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + span * rng.next();
  };
  switch (entry.spec.init) {
    case 'glorot_uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      fillUniform(-limit, limit);
      break;
    }
    case 'he_uniform': {
      const limit = Math.sqrt(6 / fanIn);
      fillUniform(-limit, limit);
      break;
    }
    case 'he_normal': {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < out.length; i++) out[i] = truncatedNormal(rng, std);
      break;
    }
    case 'ones':
      if (randomizeConstants) fillUniform(0.5, 1.5);
      else out.fill(1);
      break;
    // WeightSpec carries no value for 'constant'; Keras' Constant defaults to 0.
    case 'zeros':
    case 'constant':
      if (randomizeConstants) fillUniform(-0.5, 0.5);
      break;
  }
  return out;
}

/** Values some ops fix through attributes (Normalization's mean / variance), keyed by weight name. */
function attrValues(node: ResolvedNode): Record<string, readonly number[]> {
  if (node.op !== 'Normalization') return {};
  const a = node.attrs as unknown as NormalizationAttrs;
  const out: Record<string, readonly number[]> = {};
  if (a.mean) out.mean = a.mean;
  if (a.variance) out.variance = a.variance;
  return out;
}

/** Seeded Keras-style weights for every tensor of the graph. Deterministic given the seed. */
export function initWeights(graphOrSpec: Graph | GraphSpec, options: InitOptions = {}): WeightMap {
  const graph = asGraph(graphOrSpec);
  const seed = options.seed ?? 0;
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const map: WeightMap = new Map();
  for (const entry of listWeights(graph)) {
    const fixed = attrValues(byName.get(entry.node)!)[entry.spec.name];
    map.set(entry.key, fixed ? broadcastTo(fixed, entry) : initTensor(entry, seed, options.randomizeConstants));
  }
  return map;
}

/** A per-channel constant of length 1 (Keras accepts a scalar) or C, spread to the tensor. */
function broadcastTo(values: readonly number[], entry: WeightEntry): Float32Array {
  if (values.length !== 1 && values.length !== entry.size) {
    throw new DataError(messages.weightConstant(entry.key, values.length, entry.size));
  }
  return Float32Array.from({ length: entry.size }, (_, i) => values[values.length === 1 ? 0 : i]!);
}

/** Builds a WeightMap from a plain record or map, checking it against the graph. */
export function toWeightMap(graphOrSpec: Graph | GraphSpec, weights: WeightMap | Record<string, Float32Array>): WeightMap {
  const map: WeightMap = weights instanceof Map ? weights : new Map(Object.entries(weights));
  checkWeights(graphOrSpec, map);
  return map;
}

/**
 * Checks that every weight the graph needs is present with the right number of values. Extra
 * entries are allowed: a trained model may carry tensors inference does not read.
 */
export function checkWeights(graphOrSpec: Graph | GraphSpec, map: WeightMap): void {
  const entries = listWeights(graphOrSpec);
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
