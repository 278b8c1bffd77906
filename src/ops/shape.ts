/** Ops that move or reshape data without arithmetic: Dropout, Flatten, Reshape, Permute, ZeroPadding2D, ConstantPad2D, BorderPad2D, Cropping2D, Split. */
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
export interface PermuteAttrs {
  dims: number[];
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
/** How BorderPad2D fills its border: reflect mirrors about the edge unit, edge repeats it. */
export const BORDER_MODES = ['reflect', 'edge'] as const;
export type BorderMode = (typeof BORDER_MODES)[number];
export interface BorderPad2DAttrs {
  padding: Padding;
  mode: BorderMode;
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

export const Permute = defineOp<PermuteAttrs>({
  type: OpType.Permute,
  doc: 'Reorders the axes (batch excluded): output axis i is input axis dims[i], as Keras Permute counted from 0',
  attrs: { dims: { kind: 'ints', doc: 'the input axis each output axis takes, a permutation of 0..rank-1' } },
  arity: [1, 1],
  inferShape([x], a) {
    const ok = a.dims.length === x!.length && [...a.dims].sort((p, q) => p - q).every((d, i) => d === i);
    if (!ok) throw new OpRuleError('attribute', messages.attrRange('dims', `a permutation of 0..${x!.length - 1}`, a.dims), 'dims');
    return a.dims.map((d) => x![d]!);
  },
  weights: noWeights,
  macs: noMacs,
  flops: free,
  // The gradient is the output's, permuted back: routed, not computed.
  backward: 'free',
  // Height and width trade places when the permutation swaps them; otherwise the field is the input's.
  receptiveField: ([rf], ctx) => {
    const d = ctx.attrs.dims;
    if (d.length !== 3 || d[0] !== 1 || d[1] !== 0) return sameField([rf!]);
    return { ...rf!, size: [rf!.size[1], rf!.size[0]], jump: [rf!.jump[1], rf!.jump[0]], start: [rf!.start[1], rf!.start[0]] };
  },
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

/**
 * The input unit that output unit `o` copies along an axis of `size` units padded by `before`:
 * reflect mirrors about the edge unit without repeating it (…, 2, 1, 0, 1, 2, …; PyTorch's
 * ReflectionPad2d, ONNX reflect), edge repeats the edge unit (ReplicationPad2d, ONNX edge).
 */
export function borderSource(o: number, size: number, before: number, mode: BorderMode): number {
  const i = o - before;
  if (mode === 'edge') return Math.min(Math.max(i, 0), size - 1);
  return i < 0 ? -i : i > size - 1 ? 2 * (size - 1) - i : i;
}

export const BorderPad2D = defineOp<BorderPad2DAttrs>({
  type: OpType.BorderPad2D,
  doc: 'Pads the spatial borders with copies of the map\'s own border units: reflected (PyTorch ReflectionPad2d) or repeated (ReplicationPad2d); ONNX Pad in reflect or edge mode',
  attrs: {
    padding: { kind: 'padding', keywords: false, default: 1, doc: 'p, [v, h] or [top, bottom, left, right]' },
    mode: { kind: 'enum', values: BORDER_MODES, default: 'reflect', doc: 'reflect: mirror about the edge unit; edge: repeat it' },
  },
  arity: [1, 1],
  inferShape([x], a) {
    const [h, w] = rank3(x!);
    const [t, b, l, r] = a.padding as number[];
    // One reflection reaches size - 1 units past the edge; PyTorch and ONNX Runtime refuse more.
    if (a.mode === 'reflect') {
      if (Math.max(t!, b!) >= h) throw new OpRuleError('shape', messages.reflectTooWide('height', Math.max(t!, b!), h), 'padding');
      if (Math.max(l!, r!) >= w) throw new OpRuleError('shape', messages.reflectTooWide('width', Math.max(l!, r!), w), 'padding');
    }
    return paddedShape([x!], a);
  },
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
