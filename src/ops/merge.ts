/** Ops that join tensors: Add, Concat, Multiply (with broadcasting, for SE), ScaledAdd. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Shape } from '../graph/types.js';
import { add, mul, n, v, zero } from './formula.js';
import { elements, mergeFields, noMacs, noWeights } from './common.js';
import { defineOp, OpType } from './types.js';

export interface ConcatAttrs {
  axis: number;
}
export interface ScaledAddAttrs {
  scale: number;
}

const same = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);
const label = (names: string[], i: number) => names[i] ?? `#${i}`;

function equalShapes(what: string, inputs: Shape[], names: string[]): Shape {
  for (let i = 1; i < inputs.length; i++) {
    if (!same(inputs[0]!, inputs[i]!)) {
      throw new OpRuleError('shape', messages.shapesDiffer(what, inputs[0]!, inputs[i]!, label(names, 0), label(names, i)));
    }
  }
  return [...inputs[0]!];
}

/** NumPy broadcasting of equal-rank shapes; SE blocks multiply [H, W, C] by [1, 1, C]. */
function broadcast(inputs: Shape[], names: string[]): Shape {
  const out = [...inputs[0]!];
  for (let i = 1; i < inputs.length; i++) {
    const s = inputs[i]!;
    const ok = s.length === out.length && s.every((d, k) => d === out[k] || d === 1 || out[k] === 1);
    if (!ok) throw new OpRuleError('shape', messages.shapesDiffer('shapes cannot broadcast', inputs[0]!, s, label(names, 0), label(names, i)));
    s.forEach((d, k) => (out[k] = Math.max(out[k]!, d)));
  }
  return out;
}

const nMinus1 = (count: number) => add(v('inputs', count), n(-1));

export const Add = defineOp<Record<string, never>>({
  type: OpType.Add,
  doc: 'Elementwise sum of inputs of equal shape (residual shortcuts)',
  attrs: {},
  arity: [2, 64],
  inferShape: (inputs, _a, names) => equalShapes('Add needs equal shapes', inputs, names),
  weights: noWeights,
  macs: noMacs,
  flops: (ctx, convention) => (convention === 'lecture' ? zero : mul(nMinus1(ctx.inputs.length), elements(ctx.output))),
  backward: 'free',
  receptiveField: mergeFields,
});

export const Multiply = defineOp<Record<string, never>>({
  type: OpType.Multiply,
  doc: 'Elementwise product with broadcasting (squeeze-and-excitation gating)',
  attrs: {},
  arity: [2, 64],
  inferShape: (inputs, _a, names) => broadcast(inputs, names),
  weights: noWeights,
  macs: noMacs,
  flops: (ctx, convention) => (convention === 'lecture' ? zero : mul(nMinus1(ctx.inputs.length), elements(ctx.output))),
  // The gate of an SE block sees the whole map; keep the field of the gated feature map.
  // Each input's gradient is the output gradient times the other inputs: one product per input and element.
  backward: (ctx, convention) => ({ input: convention === 'flops' ? mul(v('inputs', ctx.inputs.length), elements(ctx.output)) : zero, weights: zero }),
  receptiveField: (inputs, ctx) => mergeFields(inputs.filter((_, i) => same(ctx.inputs[i]!, ctx.output))),
});

export const ScaledAdd = defineOp<ScaledAddAttrs>({
  type: OpType.ScaledAdd,
  doc: 'x + scale·y: the scaled residual of Inception-ResNet',
  attrs: { scale: { kind: 'float', doc: 'factor applied to the second input' } },
  arity: [2, 2],
  inferShape: (inputs, _a, names) => equalShapes('ScaledAdd needs equal shapes', inputs, names),
  weights: noWeights,
  macs: noMacs,
  flops: (ctx, convention) => (convention === 'lecture' ? zero : mul(n(2), elements(ctx.output))),
  // The scaled input's gradient is the output gradient times the scale.
  backward: (ctx, convention) => ({ input: convention === 'flops' ? elements(ctx.output) : zero, weights: zero }),
  receptiveField: mergeFields,
});

export const Concat = defineOp<ConcatAttrs>({
  type: OpType.Concat,
  doc: 'Stacks inputs along an axis (channels by default), as in inception modules and dense blocks',
  attrs: { axis: { kind: 'int', default: -1, doc: 'axis without batch; -1 is channels' } },
  arity: [1, 256],
  inferShape(inputs, a, names) {
    const rank = inputs[0]!.length;
    const axis = a.axis < 0 ? rank + a.axis : a.axis;
    if (axis < 0 || axis >= rank) throw new OpRuleError('attribute', messages.attrRange('axis', `in [-${rank}, ${rank - 1}]`, a.axis), 'axis');
    const out = [...inputs[0]!];
    for (let i = 1; i < inputs.length; i++) {
      const s = inputs[i]!;
      if (s.length !== rank || s.some((d, k) => k !== axis && d !== out[k])) {
        throw new OpRuleError('shape', messages.concatMismatch(a.axis, inputs[0]!, s, label(names, 0), label(names, i)));
      }
      out[axis] = out[axis]! + s[axis]!;
    }
    return out;
  },
  weights: noWeights,
  macs: noMacs,
  flops: () => zero,
  backward: 'free',
  receptiveField: mergeFields,
});
