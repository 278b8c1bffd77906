/** The shapes of an analysis: options, one row per layer, totals. Kept apart so analyze.ts and memory.ts both read them without importing each other. */
import type { Convention, DType, ParamConvention } from '../core/sets.js';
import type { Shape } from '../graph/types.js';
import type { Explained } from '../ops/formula.js';
import type { ReceptiveField } from '../ops/types.js';
import type { ExactCounts } from './exact.js';
import type { BackwardParts } from './training_flops.js';

/** Conventions of an analysis; each defaults as the CLI does (lecture, keras, fp32). */
export interface AnalyzeOptions {
  convention?: Convention;
  params?: ParamConvention;
  dtype?: DType;
}

/** One row of the per-layer table. */
export interface LayerRow {
  name: string;
  op: string;
  inputs: string[];
  outputShape: Shape;
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  flops: number;
  /** Forward plus backward FLOPs of one training sample under the convention (see training_flops.ts). */
  trainingFlops: number;
  /** Bytes of this layer's output for one sample. */
  activationBytes: number;
  /** True when the output is a view of the input (no new buffer). */
  aliasesInput: boolean;
  receptiveField: ReceptiveField;
  /** Formulas behind params, MACs, FLOPs and the training step's FLOPs (with its backward parts), values substituted. */
  explain: { params: Explained; macs: Explained; flops: Explained; backward: BackwardParts; training: Explained };
  attrs: Record<string, unknown>;
  /** The nested blocks the layer belongs to, outermost first (the spec's `block`); empty when none. */
  block: string[];
  /** Exact values of the counts that pass 2^53 (see exact.ts). */
  exact?: ExactCounts;
}

/** Sums over every row of an analysis, plus the memory figures of the whole graph. */
export interface Totals {
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  flops: number;
  /** Forward plus backward FLOPs of one sample; a training step of batch B costs B times this. */
  trainingFlops: number;
  /** Sum of every layer's output bytes for one sample (inputs included). */
  activationBytes: number;
  /** Largest set of simultaneously live tensors for one sample over the topological schedule. */
  inferencePeakBytes: number;
  /** Bytes of all parameters (trainable and not) at the chosen dtype. */
  paramBytes: number;
  /** Exact values of the counts that pass 2^53 (see exact.ts). */
  exact?: ExactCounts;
}

/** A graph analysed: its rows, totals and the conventions they were counted under. */
export interface Analysis {
  model: string;
  input: Shape;
  inputs: { name: string; shape: Shape }[];
  outputs: { name: string; shape: Shape }[];
  convention: Convention;
  paramsConvention: ParamConvention;
  dtype: DType;
  layers: LayerRow[];
  totals: Totals;
  /** Nodes where branches with different receptive fields meet (largest taken). */
  receptiveFieldDisagreements: string[];
}
