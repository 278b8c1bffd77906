/** Ops that move or reshape data without arithmetic: Dropout, Flatten, Reshape, ZeroPadding2D, ConstantPad2D, Cropping2D, Split. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { zero } from './formula.js';
import { globalReceptiveField } from './geometry.js';
import { elements, noMacs, noWeights, sameField } from './common.js';
import { defineOp, OpType, type Padding, type ReceptiveField } from './types.js';
import { numel } from '../core/numel.js';

export interface DropoutAttrs {
  rate: number;
}
export interface ReshapeAttrs {
  shape: number[];
}
export interface ZeroPadding2DAttrs {
  padding: Padding;
}
export interface Cropping2DAttrs {
  cropping: Padding;
}
export interface ConstantPad2DAttrs {
  padding: Padding;
  value: number;
}
export interface SplitAttrs {
  splits: number[];
  index: number;
}

const free = () => zero;

const shift = (rf: ReceptiveField, top: number, left: number): ReceptiveField => ({
  ...rf,
  size: [...rf.size],
  jump: [...rf.jump],
  start: [rf.start[0] + top * rf.jump[0], rf.start[1] + left * rf.jump[1]],
});

const rank3 = (x: number[]) => {
  if (x.length !== 3) throw new OpRuleError('shape', messages.inputRank('rank 3 [H, W, C]', x));
  return x as [number, number, number];
};

/** Shape of a map padded by [top, bottom, left, right]. */
const paddedShape = ([x]: number[][], a: { padding: Padding }): number[] => {
  const [h, w, c] = rank3(x!);
  const [t, b, l, r] = a.padding as number[];
  return [h + t! + b!, w + l! + r!, c];
};

/** Padding moves the field's start back by the top and left amounts. */
const paddedField = ([rf]: ReceptiveField[], ctx: { attrs: { padding: Padding } }): ReceptiveField => {
  const [t, , l] = ctx.attrs.padding as number[];
  return shift(rf!, -t!, -l!);
};

export const Dropout = defineOp<DropoutAttrs>({
  type: OpType.Dropout,
  doc: 'Randomly zeroes a fraction `rate` of activations during training; identity at inference',
  attrs: { rate: { kind: 'float', min: 0, max: 1, doc: 'fraction dropped' } },
  arity: [1, 1],
  inferShape: ([x]) => [...x!],
  weights: noWeights,
  macs: noMacs,
  flops: free,
  // Training multiplies the gradient by the same mask (1 per element); inference skips the op.
  backward: (ctx, convention) => ({ input: convention === 'flops' ? elements(ctx.output) : zero, weights: zero }),
  aliasesInput: true,
  receptiveField: sameField,
});

export const Flatten = defineOp<Record<string, never>>({
  type: OpType.Flatten,
  doc: 'Flattens [H, W, C] to a vector of H·W·C (row-major, NHWC order as Keras)',
  attrs: {},
  arity: [1, 1],
  inferShape: ([x]) => [numel(x!)],
  weights: noWeights,
  macs: noMacs,
  flops: free,
  backward: 'free',
  aliasesInput: true,
  receptiveField: ([rf], ctx) => globalReceptiveField(rf!, ctx.inputs[0]!),
});

export const Reshape = defineOp<ReshapeAttrs>({
  type: OpType.Reshape,
  doc: 'Reshapes to `shape` (without batch); one entry may be -1',
  attrs: { shape: { kind: 'ints', doc: 'target shape without batch, one -1 allowed' } },
  arity: [1, 1],
  inferShape([x], a) {
    const total = numel(x!);
    const known = a.shape.filter((d) => d !== -1);
    const wild = a.shape.length - known.length;
    if (wild > 1 || known.some((d) => d <= 0)) {
      throw new OpRuleError('attribute', messages.attrRange('shape', 'positive sizes with at most one -1', a.shape), 'shape');
    }
    const rest = numel(known);
    const out = a.shape.map((d) => (d === -1 ? total / rest : d));
    if (!Number.isInteger(total / rest) || numel(out) !== total) throw new OpRuleError('shape', messages.reshapeSize(x!, a.shape), 'shape');
    return out;
  },
  weights: noWeights,
  macs: noMacs,
  flops: free,
  backward: 'free',
  aliasesInput: true,
  receptiveField: sameField,
});

export const ZeroPadding2D = defineOp<ZeroPadding2DAttrs>({
  type: OpType.ZeroPadding2D,
  doc: 'Pads the spatial borders with zeros',
  attrs: { padding: { kind: 'padding', keywords: false, default: 1, doc: 'p, [v, h] or [top, bottom, left, right]' } },
  arity: [1, 1],
  inferShape: paddedShape,
  weights: noWeights,
  macs: noMacs,
  flops: free,
  backward: 'free',
  receptiveField: paddedField,
});

export const Cropping2D = defineOp<Cropping2DAttrs>({
  type: OpType.Cropping2D,
  doc: 'Crops rows and columns from the spatial borders',
  attrs: { cropping: { kind: 'padding', keywords: false, default: 0, doc: 'c, [v, h] or [top, bottom, left, right]' } },
  arity: [1, 1],
  inferShape([x], a) {
    const [h, w, c] = rank3(x!);
    const [t, b, l, r] = a.cropping as number[];
    if (t! + b! >= h) throw new OpRuleError('shape', messages.cropTooLarge('height', t! + b!, h), 'cropping');
    if (l! + r! >= w) throw new OpRuleError('shape', messages.cropTooLarge('width', l! + r!, w), 'cropping');
    return [h - t! - b!, w - l! - r!, c];
  },
  weights: noWeights,
  macs: noMacs,
  flops: free,
  backward: 'free',
  receptiveField: ([rf], ctx) => {
    const [t, , l] = ctx.attrs.cropping as number[];
    return shift(rf!, t!, l!);
  },
});

export const ConstantPad2D = defineOp<ConstantPad2DAttrs>({
  type: OpType.ConstantPad2D,
  doc: 'Pads the spatial borders with a constant value (ONNX Pad, TensorFlow PadV2)',
  attrs: {
    padding: { kind: 'padding', keywords: false, default: 1, doc: 'p, [v, h] or [top, bottom, left, right]' },
    value: { kind: 'float', default: 0, doc: 'the value written into the border' },
  },
  arity: [1, 1],
  inferShape: paddedShape,
  weights: noWeights,
  macs: noMacs,
  flops: free,
  backward: 'free',
  receptiveField: paddedField,
});

/** Channel offset where part `index` of a split starts. */
export const splitOffset = (a: SplitAttrs): number => a.splits.slice(0, a.index).reduce((s, d) => s + d, 0);

export const Split = defineOp<SplitAttrs>({
  type: OpType.Split,
  doc: 'One part of a split along the channel axis: the input is cut into `splits` channels each, and this node is part `index` (a split into n parts is n Split nodes)',
  attrs: {
    splits: { kind: 'ints', doc: 'channels of each part, in order; they add up to the input\'s channels' },
    index: { kind: 'int', min: 0, doc: 'which part this node yields' },
  },
  arity: [1, 1],
  inferShape([x], a) {
    const c = x![x!.length - 1]!;
    if (a.splits.length === 0 || a.splits.some((d) => d < 1) || a.splits.reduce((s, d) => s + d, 0) !== c) {
      throw new OpRuleError('attribute', messages.splitSizes(a.splits, c), 'splits');
    }
    if (a.index >= a.splits.length) throw new OpRuleError('attribute', messages.splitIndex(a.index, a.splits.length), 'index');
    return [...x!.slice(0, -1), a.splits[a.index]!];
  },
  weights: noWeights,
  macs: noMacs,
  flops: free,
  backward: 'free',
  receptiveField: sameField,
});
