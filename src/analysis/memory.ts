/**
 * Memory model: inference peak from tensor liveness over the topological schedule, training
 * memory (weights, gradients, optimizer state, saved activations, input batch), and the
 * largest batch that fits a budget.
 */
import type { Graph } from '../graph/graph.js';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { DTYPE_BYTES, type DType, type Optimizer } from '../core/sets.js';
import type { Analysis, LayerRow } from './analyze.js';
import { numel } from '../core/numel.js';

/**
 * Peak bytes of live tensors for one sample. A tensor lives from the step that produces it to
 * the last step that reads it; graph outputs live to the end. Views (Flatten, Reshape, Dropout)
 * share their input's buffer, extending its life instead of allocating.
 */
export function inferencePeak(graph: Graph, rows: LayerRow[]): number {
  const step = new Map<string, number>();
  const buffer = new Map<string, string>();
  const size = new Map<string, number>();
  const rowByName = new Map(rows.map((r) => [r.name, r]));
  graph.inputs.forEach((inp) => {
    step.set(inp.name, 0);
    buffer.set(inp.name, inp.name);
    size.set(inp.name, rowByName.get(inp.name)!.activationBytes);
  });
  graph.nodes.forEach((node, i) => {
    step.set(node.name, i + 1);
    const row = rowByName.get(node.name)!;
    if (row.aliasesInput) buffer.set(node.name, buffer.get(node.inputs[0]!)!);
    else {
      buffer.set(node.name, node.name);
      size.set(node.name, row.activationBytes);
    }
  });
  const last = graph.nodes.length;
  const end = new Map<string, number>();
  const touch = (b: string, s: number) => end.set(b, Math.max(end.get(b) ?? 0, s));
  for (const [name, b] of buffer) touch(b, step.get(name)!);
  graph.nodes.forEach((node, i) => node.inputs.forEach((inp) => touch(buffer.get(inp)!, i + 1)));
  graph.outputs.forEach((o) => touch(buffer.get(o)!, last));
  const delta = new Float64Array(last + 2);
  for (const [b, bytes] of size) {
    delta[step.get(b)!]! += bytes;
    delta[end.get(b)! + 1]! -= bytes;
  }
  let live = 0;
  let peak = 0;
  for (let s = 0; s <= last; s++) {
    live += delta[s]!;
    if (live > peak) peak = live;
  }
  return peak;
}

export const OPTIMIZER_STATES: Record<Optimizer, number> = { sgd: 0, momentum: 1, adam: 2 };

export interface TrainingOptions {
  batch: number;
  optimizer?: Optimizer;
  dtype?: DType;
}

/** Training memory broken down by source, in bytes. */
export interface TrainingMemory {
  batch: number;
  optimizer: Optimizer;
  dtype: DType;
  weights: number;
  gradients: number;
  optimizerState: number;
  /** Activations saved for backward, for the whole batch. */
  activations: number;
  /** The input batch itself. */
  input: number;
  /** Fixed part (independent of batch): weights + gradients + optimizer state. */
  fixed: number;
  /** Bytes each additional sample costs: saved activations + its input. */
  perSample: number;
  total: number;
}

/**
 * Training memory: params + gradients (trainable) + optimizer state (SGD 0, momentum 1×, Adam 2×
 * of trainable) + every non-view activation saved for backward × batch + the input batch.
 */
export function trainingMemory(a: Analysis, o: TrainingOptions): TrainingMemory {
  return trainingMemoryOf(a.layers, new Set(a.inputs.map((i) => i.name)), o);
}

/**
 * Training memory of some layers of a graph (all of them in trainingMemory): their weights,
 * gradients and optimizer state, and their saved activations; `inputs` names the rows that are
 * graph inputs, counted as the input batch.
 */
export function trainingMemoryOf(layers: readonly LayerRow[], inputs: ReadonlySet<string>, o: TrainingOptions): TrainingMemory {
  const dtype = o.dtype ?? 'fp32';
  const optimizer = o.optimizer ?? 'adam';
  const b = DTYPE_BYTES[dtype];
  const sum = (f: (r: LayerRow) => number) => layers.reduce((s, r) => s + f(r), 0);
  const weights = sum((r) => r.params) * b;
  const trainable = sum((r) => r.trainableParams);
  const gradients = trainable * b;
  const optimizerState = OPTIMIZER_STATES[optimizer] * trainable * b;
  const elems = (r: LayerRow) => numel(r.outputShape);
  const savedPerSample = sum((r) => (!inputs.has(r.name) && !r.aliasesInput ? elems(r) * b : 0));
  const inputPerSample = sum((r) => (inputs.has(r.name) ? elems(r) * b : 0));
  const fixed = weights + gradients + optimizerState;
  const perSample = savedPerSample + inputPerSample;
  return {
    batch: o.batch, optimizer, dtype, weights, gradients, optimizerState,
    activations: savedPerSample * o.batch, input: inputPerSample * o.batch,
    fixed, perSample, total: fixed + perSample * o.batch,
  };
}

/** Largest batch whose training memory fits `budgetBytes`; 0 when not even one sample fits. */
export function maxBatch(a: Analysis, budgetBytes: number, o: Omit<TrainingOptions, 'batch'> = {}): number {
  if (!(budgetBytes > 0) || !Number.isFinite(budgetBytes)) throw new UsageError(messages.badBudget(budgetBytes));
  const m = trainingMemory(a, { ...o, batch: 1 });
  if (m.fixed > budgetBytes) return 0;
  return Math.floor((budgetBytes - m.fixed) / m.perSample);
}

/** Parses sizes such as `8GiB`, `512MB`, `1e9` into bytes. */
export function parseBytes(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[0-9]+)?)\s*([kmgt]?i?b?)?\s*$/i.exec(text);
  if (!m) throw new UsageError(messages.badBudget(text));
  const unit = (m[2] ?? '').toLowerCase();
  const base = unit.includes('i') ? 1024 : 1000;
  const power = { '': 0, k: 1, m: 2, g: 3, t: 4 }[unit.replace(/i?b$/, '').replace('i', '')] ?? 0;
  return Number(m[1]) * base ** power;
}
