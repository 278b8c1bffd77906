/** Small helpers shared by op families. */
import type { Shape } from '../graph/types.js';
import { add, mul, n, v, zero, type Expr } from './formula.js';
import type { Convention } from '../core/sets.js';
import type { BackwardCost, ReceptiveField, WeightSpec } from './types.js';

/** Element count as a formula: `hout·wout·c` for maps, `n` for vectors. */
export function elements(s: Shape, names: readonly string[] = ['hout', 'wout', 'c']): Expr {
  if (s.length === 3) return mul(v(names[0]!, s[0]!), v(names[1]!, s[1]!), v(names[2]!, s[2]!));
  if (s.length === 1) return v('n', s[0]!);
  return mul(...s.map((d, i) => v(`d${i}`, d)));
}

/** `k·x`, or zero when k is zero, keeping formulas short. */
export const times = (k: number, x: Expr): Expr => (k === 0 ? zero : k === 1 ? x : mul(n(k), x));

/** A sum that is its only term when there is one, keeping formulas short. */
export const sum = (...terms: Expr[]): Expr => (terms.length === 1 ? terms[0]! : add(...terms));

/**
 * Backward of a layer with a kernel (conv, dense): the input gradient is a transposed product and
 * the weight gradient a correlation of input and output gradient, each as many MACs as the
 * forward pass. Under `flops` each MAC is 2 FLOPs, the input gradient also multiplies by the
 * fused activation's derivative (1 per output) and the weight gradient sums the bias gradient
 * over positions (1 per output).
 */
export function kernelBackward(macs: Expr, convention: Convention, tail: { bias: boolean; activation: boolean; outputs: Expr }): BackwardCost {
  if (convention !== 'flops') return { input: macs, weights: macs };
  const twice = mul(n(2), macs);
  return {
    input: sum(twice, ...(tail.activation ? [tail.outputs] : [])),
    weights: sum(twice, ...(tail.bias ? [tail.outputs] : [])),
  };
}

/** No weights. */
export const noWeights = (): WeightSpec[] => [];
/** No multiply-accumulates. */
export const noMacs = (): Expr => zero;
/** Receptive field passes through unchanged (elementwise ops). */
export const sameField = (inputs: ReceptiveField[]): ReceptiveField => mergeFields(inputs);

/**
 * Merges the fields of several inputs axis by axis: on each axis the input with the largest
 * field wins, with its jump and start, so branches that grow along different axes (InceptionV3's
 * 1×7 and 7×1 towers) give the full field on both. Disagreement is flagged.
 */
export function mergeFields(inputs: ReceptiveField[]): ReceptiveField {
  const first = inputs[0]!;
  if (inputs.length === 1) return first;
  const widest = (axis: 0 | 1) => inputs.reduce((best, r) => (r.size[axis] > best.size[axis] ? r : best), first);
  const h = widest(0);
  const w = widest(1);
  const out: ReceptiveField = { size: [h.size[0], w.size[1]], jump: [h.jump[0], w.jump[1]], start: [h.start[0], w.start[1]] };
  const differs = (r: ReceptiveField) => ([0, 1] as const).some((i) => r.size[i] !== out.size[i] || r.jump[i] !== out.jump[i] || r.start[i] !== out.start[i]);
  if (inputs.some((r) => r.disagree || differs(r))) out.disagree = true;
  return out;
}
