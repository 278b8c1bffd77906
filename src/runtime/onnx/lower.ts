/**
 * The ONNX lowering table: one entry per OpType, a mapped type over OpType, so an op without a
 * lowering fails to compile and each lowering reads its own op's attrs, typed. Windowed and
 * dense ops live in lower_window.ts.
 */
import { ShapeError } from '../../core/errors.js';
import { atNode } from '../../core/messages.js';
import type { NodeOf, ResolvedNode } from '../../graph/graph.js';
import type { Shape } from '../../graph/types.js';
import type { OpType } from '../../ops/index.js';
import type { Emitter } from './emitter.js';
import { activate } from './lower_activation.js';
import { AvgPool2D, Conv2D, Conv2DTranspose, Dense, DepthwiseConv2D, GlobalAvgPool, GlobalMaxPool, MaxPool2D, SeparableConv2D, type LowerArgs, type Lowering } from './lower_window.js';
import { AdaptiveAvgPool, BorderPad2D, ConstantPad2D, Resize, Split } from './lower_resample.js';
import { alphaOf } from '../../ops/activation.js';
import { isMap, onnxAxis, sameOrder, TO_NCHW, TO_NHWC } from './layout.js';
import { attr } from '../../onnx/proto.js';
import { messages } from '../../core/messages.js';

export type { Lowering, LowerArgs } from './lower_window.js';

/** Brings a feature map from NCHW to NHWC: a Transpose, or a free Reshape when the order is the same. */
export function toNhwc(e: Emitter, x: string, s: Shape, role: string, out?: string): string {
  const o = out ? { role, out } : { role };
  if (sameOrder(s)) return e.op('Reshape', [x, e.ints(`${role}_shape`, [0, s[0]!, s[1]!, s[2]!])], [], o);
  return e.op('Transpose', [x], [attr.ints('perm', TO_NHWC)], o);
}

/** Brings an NHWC map of shape `s` to NCHW: a Transpose, or a Reshape when the order is the same. */
export function toNchw(e: Emitter, x: string, s: Shape, role: string, out?: string): string {
  const o = out ? { role, out } : { role };
  if (sameOrder(s)) return e.op('Reshape', [x, e.ints(`${role}_shape`, [0, s[2]!, s[0]!, s[1]!])], [], o);
  return e.op('Transpose', [x], [attr.ints('perm', TO_NCHW)], o);
}

const channelShape = (s: Shape): number[] => (isMap(s) ? [s[2]!, 1, 1] : [s[s.length - 1]!]);

const BatchNorm: Lowering<'BatchNorm'> = ({ node, inputs: [x], out, e, weight }) => {
  const a = node.attrs;
  const s = node.inputShapes[0]!;
  const c = s[s.length - 1]!;
  const gamma = a.scale ? weight('gamma') : new Float32Array(c).fill(1);
  const beta = a.center ? weight('beta') : new Float32Array(c);
  if (isMap(s) || s.length === 1) {
    // The channel axis is ONNX axis 1 for NCHW maps and [N, C] vectors: BatchNormalization fits.
    const ins = [
      x!,
      e.float(`${node.name}/${a.scale ? 'gamma' : 'unit_gamma'}`, [c], gamma),
      e.float(`${node.name}/${a.center ? 'beta' : 'zero_beta'}`, [c], beta),
      e.float(`${node.name}/moving_mean`, [c], weight('moving_mean')),
      e.float(`${node.name}/moving_variance`, [c], weight('moving_variance')),
    ];
    e.op('BatchNormalization', ins, [attr.float('epsilon', a.epsilon)], { out });
    return;
  }
  // Channels are last for other ranks; fold to one scale and one shift per channel.
  const mean = weight('moving_mean');
  const variance = weight('moving_variance');
  const scale = Float32Array.from(gamma, (g, i) => g / Math.sqrt(variance[i]! + a.epsilon));
  const shift = Float32Array.from(beta, (b, i) => b - mean[i]! * scale[i]!);
  const y = e.op('Mul', [x!, e.float(`${node.name}/folded_scale`, [c], scale)]);
  e.op('Add', [y, e.float(`${node.name}/folded_shift`, [c], shift)], [], { role: 'shift', out });
};

/**
 * convlab's LRN is the AlexNet paper's (and tf.nn.lrn's): α multiplies the plain sum of squares.
 * ONNX divides α by size, so the exporter passes α·size.
 */
const LRN: Lowering<'LRN'> = ({ node, inputs: [x], out, e }) => {
  const a = node.attrs;
  const s = node.inputShapes[0]!;
  if (!isMap(s)) throw new ShapeError(atNode(node.name, node.op, messages.lrnNeedsMap(s)), { node: node.name });
  const attrs = [attr.int('size', a.size), attr.float('alpha', a.alpha * a.size), attr.float('beta', a.beta), attr.float('bias', a.bias)];
  e.op('LRN', [x!], attrs, { out });
};

const Rescaling: Lowering<'Rescaling'> = ({ node, inputs: [x], out, e }) => {
  const a = node.attrs;
  if (a.offset === 0) {
    e.op('Mul', [x!, e.scalar(a.scale)], [], { out });
    return;
  }
  const y = e.op('Mul', [x!, e.scalar(a.scale)]);
  e.op('Add', [y, e.scalar(a.offset)], [], { role: 'offset', out });
};

/** Keras: (x - mean) / max(sqrt(variance), ε) with ε = 1e-7; the raw constants stay as initializers. */
const KERAS_EPSILON = 1e-7;
const Normalization: Lowering<'Normalization'> = ({ node, inputs: [x], out, e, weight }) => {
  const s = node.inputShapes[0]!;
  const dims = channelShape(s);
  const mean = e.float(`${node.name}/mean`, dims, weight('mean'));
  const variance = e.float(`${node.name}/variance`, dims, weight('variance'));
  const centred = e.op('Sub', [x!, mean]);
  const std = e.op('Sqrt', [variance], [], { role: 'std' });
  const denom = e.op('Max', [std, e.scalar(KERAS_EPSILON)], [], { role: 'std_floor' });
  e.op('Div', [centred, denom], [], { role: 'divide', out });
};

const Dropout: Lowering<'Dropout'> = ({ inputs: [x], out, e }) => {
  e.op('Identity', [x!], [], { out });
};

const Flatten: Lowering<'Flatten'> = ({ node, inputs: [x], out, e }) => {
  const s = node.inputShapes[0]!;
  // Keras flattens in NHWC order; an NCHW map is brought back to NHWC first.
  const src = isMap(s) && !sameOrder(s) ? toNhwc(e, x!, s, 'to_nhwc') : x!;
  e.op('Flatten', [src], [attr.int('axis', 1)], { out });
};

const Reshape: Lowering<'Reshape'> = ({ node, inputs: [x], out, e }) => {
  const from = node.inputShapes[0]!;
  const to = node.outputShape;
  // Both ends in NHWC order: reshape there, then bring a map result back to NCHW.
  const src = isMap(from) && !sameOrder(from) ? toNhwc(e, x!, from, 'to_nhwc') : x!;
  if (isMap(to) && sameOrder(to)) {
    e.op('Reshape', [src, e.ints('shape', [0, to[2]!, to[0]!, to[1]!])], [], { out });
    return;
  }
  if (isMap(to)) {
    const y = e.op('Reshape', [src, e.ints('shape', [0, ...to])]);
    e.op('Transpose', [y], [attr.ints('perm', TO_NCHW)], { role: 'to_nchw', out });
    return;
  }
  e.op('Reshape', [src, e.ints('shape', [0, ...to])], [], { out });
};

/**
 * Permute: a Transpose over the tensors as ONNX holds them. A map is NCHW on both sides, so each
 * ONNX output axis is traced to the convlab axis it holds, through dims, back to its ONNX input axis.
 */
const Permute: Lowering<'Permute'> = ({ node, inputs: [x], out, e }) => {
  const dims = node.attrs.dims;
  const from = node.inputShapes[0]!;
  const onnxOf = (axis: number) => onnxAxis(from, axis);
  // ONNX axes 1.. of the output, as convlab output axes: C, H, W for a map, in order otherwise.
  const outAxes = isMap(node.outputShape) ? [2, 0, 1] : dims.map((_, i) => i);
  e.op('Transpose', [x!], [attr.ints('perm', [0, ...outAxes.map((k) => onnxOf(dims[k]!))])], { out });
};

const ZeroPadding2D: Lowering<'ZeroPadding2D'> = ({ node, inputs: [x], out, e }) => {
  const [t, b, l, r] = node.attrs.padding as number[];
  e.op('Pad', [x!, e.ints('pads', [0, 0, t!, l!, 0, 0, b!, r!])], [], { out });
};

const Cropping2D: Lowering<'Cropping2D'> = ({ node, inputs: [x], out, e }) => {
  const [t, b, l, r] = node.attrs.cropping as number[];
  const [h, w] = node.inputShapes[0]!;
  e.op('Slice', [x!, e.ints('starts', [t!, l!]), e.ints('ends', [h! - b!, w! - r!]), e.ints('axes', [2, 3])], [], { out });
};

const Add: Lowering<'Add'> = ({ inputs, out, e }) => {
  e.op(inputs.length === 2 ? 'Add' : 'Sum', inputs, [], { out });
};

const Multiply: Lowering<'Multiply'> = ({ inputs, out, e }) => {
  let y = inputs[0]!;
  for (let i = 1; i < inputs.length; i++) {
    const last = i === inputs.length - 1;
    y = e.op('Mul', [y, inputs[i]!], [], { ...(i > 1 ? { role: `mul${i}` } : {}), ...(last ? { out } : {}) });
  }
};

const ScaledAdd: Lowering<'ScaledAdd'> = ({ node, inputs: [x, y], out, e }) => {
  const scaled = e.op('Mul', [y!, e.scalar(node.attrs.scale)], [], { role: 'scale' });
  e.op('Add', [x!, scaled], [], { out });
};

const Concat: Lowering<'Concat'> = ({ node, inputs, out, e }) => {
  const axis = onnxAxis(node.inputShapes[0]!, node.attrs.axis);
  e.op('Concat', inputs, [attr.int('axis', axis)], { out });
};

const Activation: Lowering<'Activation'> = ({ node, inputs: [x], out, e }) => {
  activate(e, node.attrs.fn, x!, out, node.outputShape, true, alphaOf(node.attrs.fn, node.attrs.alpha), node.attrs.axis);
};

/** PReLU → PRelu; the slope broadcasts as [C, 1, 1] over an NCHW map, as [C] over channels-last ranks. */
const PReLU: Lowering<'PReLU'> = ({ node, inputs: [x], out, e, weight }) => {
  const s = node.inputShapes[0]!;
  e.op('PRelu', [x!, e.float(`${node.name}/alpha`, channelShape(s), weight('alpha'))], [], { out });
};

/** Every op's lowering. */
export const LOWERINGS: { [K in OpType]: Lowering<K> } = {
  Conv2D,
  DepthwiseConv2D,
  SeparableConv2D,
  Dense,
  MaxPool2D,
  AvgPool2D,
  GlobalAvgPool,
  GlobalMaxPool,
  BatchNorm,
  LRN,
  Dropout,
  Flatten,
  Reshape,
  Permute,
  ZeroPadding2D,
  Cropping2D,
  Add,
  Concat,
  Multiply,
  ScaledAdd,
  Rescaling,
  Normalization,
  Activation,
  PReLU,
  Conv2DTranspose,
  ConstantPad2D,
  BorderPad2D,
  Resize,
  Split,
  AdaptiveAvgPool,
};

/**
 * Lowers one node through the table. resolveNode normalized the node's attrs with its own op's
 * schema, so they are that op's attrs; TypeScript cannot follow `node.op` through the lookup,
 * hence the one cast here instead of one in every lowering.
 */
export function lowerNode(args: Omit<LowerArgs, 'node'> & { node: ResolvedNode }): void {
  const node = args.node as NodeOf<OpType>;
  (LOWERINGS[node.op] as Lowering)({ ...args, node });
}
