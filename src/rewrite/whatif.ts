/**
 * What-if: a model before and after a sequence of moves, analysed side by side. Each changed part
 * gets its params, MACs, FLOPs, activation and training memory and receptive field on both sides;
 * the totals come from the same analysis `summary` uses.
 */
import { analyze } from '../analysis/analyze.js';
import { type AnalyzeOptions, type Analysis, type LayerRow } from '../analysis/types.js';
import { trainingMemory, trainingMemoryOf, type TrainingMemory } from '../analysis/memory.js';
import { type Optimizer } from '../core/sets.js';
import type { GraphSpec, Shape } from '../graph/types.js';
import type { ReceptiveField } from '../ops/types.js';
import { applyMoves, type PlannedMove } from './moves.js';
import { resolveGraph } from '../graph/graph.js';

export interface WhatIfOptions extends AnalyzeOptions {
  /** Restricts layer moves to these layers (comma-separated globs). */
  layers?: string;
  /** Batch size and optimizer of the training-memory figures. */
  batch?: number;
  optimizer?: Optimizer;
}

/** One side of a changed part: the nodes it consists of and what they cost together. */
export interface Side {
  layers: string[];
  params: number;
  macs: number;
  flops: number;
  /** Bytes of the nodes' outputs for one sample. */
  activationBytes: number;
  /** Weights, gradients and optimizer state of the nodes, plus their saved activations for the batch. */
  trainingBytes: number;
  /** Field and shape of the part's last node (topological order); null when the side is empty. */
  receptiveField: ReceptiveField | null;
  outputShape: Shape | null;
}

/** One changed part: a layer, a block or a head, before and after. */
export interface ChangedRow {
  label: string;
  moves: string[];
  detail: string;
  before: Side;
  after: Side;
}

/** A model's analysis with its training memory at the chosen batch. */
export interface Analysed {
  analysis: Analysis;
  training: TrainingMemory;
}

export interface WhatIf {
  model: string;
  moves: string[];
  /** The rewritten spec: an ordinary spec to analyse, export, bench or train. */
  spec: GraphSpec;
  before: Analysed;
  after: Analysed;
  changed: ChangedRow[];
  notes: string[];
}

/** Sums the rows of `names` (in `a`) into one side. */
function side(a: Analysis, names: readonly string[], o: { batch: number; optimizer: Optimizer }): Side {
  const wanted = new Set(names);
  const rows: LayerRow[] = a.layers.filter((r) => wanted.has(r.name));
  const inputs = new Set(a.inputs.map((i) => i.name));
  const sum = (f: (r: LayerRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const last = rows[rows.length - 1];
  return {
    layers: rows.map((r) => r.name),
    params: sum((r) => r.params),
    macs: sum((r) => r.macs),
    flops: sum((r) => r.flops),
    activationBytes: sum((r) => r.activationBytes),
    trainingBytes: trainingMemoryOf(rows, inputs, { batch: o.batch, optimizer: o.optimizer, dtype: a.dtype }).total,
    receptiveField: last?.receptiveField ?? null,
    outputShape: last ? [...last.outputShape] : null,
  };
}

/** Applies `moves` to `spec` and analyses both graphs under the same conventions. */
export function whatIf(spec: GraphSpec, moves: Array<PlannedMove | string>, o: WhatIfOptions = {}): WhatIf {
  const rewritten = applyMoves(spec, moves, o.layers !== undefined ? { layers: o.layers } : {});
  const opts: AnalyzeOptions = {
    ...(o.convention ? { convention: o.convention } : {}),
    ...(o.params ? { params: o.params } : {}),
    ...(o.dtype ? { dtype: o.dtype } : {}),
  };
  const memory = { batch: o.batch ?? 32, optimizer: o.optimizer ?? 'adam' as Optimizer };
  const analysed = (s: GraphSpec): Analysed => {
    const analysis = analyze(resolveGraph(s), opts);
    return { analysis, training: trainingMemory(analysis, { ...memory, dtype: analysis.dtype }) };
  };
  const before = analysed(spec);
  const after = analysed(rewritten.spec);
  return {
    model: spec.name,
    moves: rewritten.moves,
    spec: rewritten.spec,
    before,
    after,
    changed: rewritten.changes.map((c) => ({
      label: c.label,
      moves: c.moves,
      detail: c.detail,
      before: side(before.analysis, c.from, memory),
      after: side(after.analysis, c.to, memory),
    })),
    notes: rewritten.notes,
  };
}

/** Latency of both graphs measured in the same run, same engine and settings. */
export interface LatencyPair {
  engine: string;
  threads: number;
  batch: number;
  runs: number;
  /** Median latency in milliseconds. */
  beforeMs: number;
  afterMs: number;
  /** Where the weights came from, e.g. `seeded Keras-style weights (seed 0)`. */
  weights: string;
}

/** Test accuracy of both graphs trained with the same seed and recipe. */
export interface AccuracyPair {
  dataset: string;
  /** The recipe in words: `3 epochs, adam lr 0.001, batch 64, seed 0`. */
  recipe: string;
  testSamples: number;
  /** Top-1 accuracy in [0, 1]. */
  before: number;
  after: number;
}

/** How many times `after` fits in `before`: 2 when a cost halves, 0.5 when it doubles. */
export const reduction = (before: number, after: number): number => before / after;
