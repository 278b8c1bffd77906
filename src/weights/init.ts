/**
 * Seeded Keras-style initial weights: each tensor drawn as its WeightSpec's initializer says
 * (Glorot / He uniform or normal, zeros, ones), one random stream per tensor. Runtime-free: the
 * ONNX exporter and the tfjs runtime both start from these.
 */
import { Rng } from '../core/random.js';
import { DataError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { numel } from '../core/numel.js';
import type { Graph, NodeOf, ResolvedNode } from '../graph/graph.js';
import { listWeights, type WeightEntry, type WeightMap } from './map.js';

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
  const a = (node as NodeOf<'Normalization'>).attrs;
  const out: Record<string, readonly number[]> = {};
  if (a.mean) out.mean = a.mean;
  if (a.variance) out.variance = a.variance;
  return out;
}

/** Seeded Keras-style weights for every tensor of the graph. Deterministic given the seed. */
export function initWeights(graph: Graph, options: InitOptions = {}): WeightMap {
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
