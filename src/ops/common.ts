/** Small helpers shared by op families. */
import type { Shape } from '../graph/types.js';
import { mul, n, v, zero, type Expr } from './formula.js';
import type { ReceptiveField, WeightSpec } from './types.js';

/** Element count as a formula: `hout·wout·c` for maps, `n` for vectors. */
export function elements(s: Shape, names: readonly string[] = ['hout', 'wout', 'c']): Expr {
  if (s.length === 3) return mul(v(names[0]!, s[0]!), v(names[1]!, s[1]!), v(names[2]!, s[2]!));
  if (s.length === 1) return v('n', s[0]!);
  return mul(...s.map((d, i) => v(`d${i}`, d)));
}

/** `k·x`, or zero when k is zero, keeping formulas short. */
export const times = (k: number, x: Expr): Expr => (k === 0 ? zero : k === 1 ? x : mul(n(k), x));

/** No weights. */
export const noWeights = (): WeightSpec[] => [];
/** No multiply-accumulates. */
export const noMacs = (): Expr => zero;
/** Receptive field passes through unchanged (elementwise ops). */
export const sameField = (inputs: ReceptiveField[]): ReceptiveField => mergeFields(inputs);

/** Merges the fields of several inputs: the largest wins, and disagreement is flagged. */
export function mergeFields(inputs: ReceptiveField[]): ReceptiveField {
  const first = inputs[0]!;
  if (inputs.length === 1) return first;
  let best = first;
  let disagree = inputs.some((r) => r.disagree);
  for (const r of inputs.slice(1)) {
    const same =
      r.size[0] === best.size[0] && r.size[1] === best.size[1] &&
      r.jump[0] === best.jump[0] && r.jump[1] === best.jump[1] &&
      r.start[0] === best.start[0] && r.start[1] === best.start[1];
    if (!same) disagree = true;
    if (r.size[0] * r.size[1] > best.size[0] * best.size[1]) best = r;
  }
  const out: ReceptiveField = { size: [...best.size], jump: [...best.jump], start: [...best.start] };
  if (disagree) out.disagree = true;
  return out;
}
