/**
 * Training memory (weights, gradients, optimizer state, saved activations, input batch), the
 * largest batch that fits a budget, and byte sizes as users write them.
 */
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { DTYPE_BYTES, type DType, type Optimizer } from '../core/sets.js';
import { big, countOf, sumCounts } from './exact.js';
import type { Analysis, LayerRow } from './types.js';

/** Optimizer state per trainable parameter, in copies of the weights. */
export const OPTIMIZER_STATES: Record<Optimizer, number> = { sgd: 0, momentum: 1, adam: 2 };

/** Batch, optimizer and element type of a training-memory estimate. */
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
  /** Gradients of those activations during backward, for the whole batch: as many bytes again, as the lecture counts them. */
  activationGradients: number;
  /** The input batch itself. */
  input: number;
  /** Fixed part (independent of batch): weights + gradients + optimizer state. */
  fixed: number;
  /** Bytes each additional sample costs: saved activations, their gradients and its input. */
  perSample: number;
  total: number;
  /** Exact values of the parts that pass 2^53 bytes. */
  exact?: Partial<Record<TrainingPartKey, bigint>>;
}

/** The byte counts of training memory. */
export type TrainingPartKey = 'weights' | 'gradients' | 'optimizerState' | 'activations' | 'activationGradients' | 'input' | 'fixed' | 'perSample' | 'total';

/** One part of training memory, exact at any size. */
export const trainingBytes = (m: TrainingMemory, k: TrainingPartKey): number | bigint => m.exact?.[k] ?? m[k];

/**
 * Training memory: params + gradients (trainable) + optimizer state (SGD 0, momentum 1×, Adam 2×
 * of trainable) + every non-view activation saved for backward × batch + a gradient of each of
 * them × batch (the lecture's "intermediate volumes and their gradients"; frameworks free most
 * gradients as backward goes, so this is the upper bound) + the input batch.
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
  // Counted in integers of any size, so a gigapixel input's petabytes keep every digit.
  const b = BigInt(DTYPE_BYTES[dtype]);
  const batch = BigInt(o.batch);
  const sums = sumCounts(layers);
  const weights = big(countOf(sums, 'params')) * b;
  const gradients = big(countOf(sums, 'trainableParams')) * b;
  const optimizerState = BigInt(OPTIMIZER_STATES[optimizer]) * gradients;
  const bytesOf = (rows: readonly LayerRow[]) => rows.reduce((s, r) => s + r.outputShape.reduce((x, d) => x * BigInt(d), b), 0n);
  const savedPerSample = bytesOf(layers.filter((r) => !inputs.has(r.name) && !r.aliasesInput));
  const inputPerSample = bytesOf(layers.filter((r) => inputs.has(r.name)));
  const fixed = weights + gradients + optimizerState;
  const perSample = 2n * savedPerSample + inputPerSample;
  const parts = {
    weights, gradients, optimizerState,
    activations: savedPerSample * batch, activationGradients: savedPerSample * batch, input: inputPerSample * batch,
    fixed, perSample, total: fixed + perSample * batch,
  };
  const numbers = Object.fromEntries(Object.entries(parts).map(([k, x]) => [k, Number(x)])) as Record<keyof typeof parts, number>;
  const exact = Object.fromEntries(Object.entries(parts).filter(([, x]) => !Number.isSafeInteger(Number(x))));
  return { batch: o.batch, optimizer, dtype, ...numbers, ...(Object.keys(exact).length ? { exact } : {}) };
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
