/**
 * The PyTorch lowering table: one entry per OpType, typed `Record<OpType, TorchLowering>`, so an
 * op without a lowering fails to compile. Layout follows the ONNX exporter's rule: a rank-3
 * convlab tensor [H, W, C] is NCHW here, every other tensor keeps its order after the batch.
 * Windowed and dense ops live in lower_window.ts.
 */
import { ShapeError } from '../../core/errors.js';
import type { ResolvedNode } from '../../graph/graph.js';
import type { Shape } from '../../graph/types.js';
import {
  alphaOf,
  type ActivationAttrs, type ActivationFn, type BatchNormAttrs, type ConcatAttrs, type Cropping2DAttrs, type DropoutAttrs, type LRNAttrs,
  type OpType, type PermuteAttrs, type RescalingAttrs, type ScaledAddAttrs, type ZeroPadding2DAttrs,
} from '../../ops/index.js';
import { isMap, onnxAxis, sameOrder } from '../onnx/layout.js';
import {
  AvgPool2D, Conv2D, Conv2DTranspose, Dense, DepthwiseConv2D, GlobalAvgPool, GlobalMaxPool, MaxPool2D, SeparableConv2D,
  type TorchLowering,
} from './lower_window.js';
import { AdaptiveAvgPool, BorderPad2D, ConstantPad2D, Resize, Split } from './lower_resample.js';
import type { TorchWeight } from './layout.js';
import { atNode, messages } from '../../core/messages.js';
import { float, num, tuple } from './python.js';

export type { TorchArgs, TorchLowered, TorchLowering } from './lower_window.js';

const attrsOf = <A>(node: ResolvedNode): A => node.attrs as unknown as A;

/**
 * `fn(x)` in PyTorch; definitions as Keras 3's (hard_sigmoid = relu6(x + 3) / 6, exact gelu,
 * selu with the fixed constants of Klambauer et al., which are PyTorch's), softmax over convlab
 * axis `axis` (the channels by default). `alpha` is leaky_relu's slope or elu's α; unset, the function's default.
 */
export function activate(fn: ActivationFn, x: string, shape: Shape, alpha = alphaOf(fn, null), axis = -1): string {
  switch (fn) {
    case 'linear':
      return x;
    case 'relu':
      return `torch.relu(${x})`;
    case 'relu6':
      return `F.relu6(${x})`;
    case 'sigmoid':
      return `torch.sigmoid(${x})`;
    case 'hard_sigmoid':
      return `F.hardsigmoid(${x})`;
    case 'swish':
      return `F.silu(${x})`;
    case 'hard_swish':
      return `F.hardswish(${x})`;
    case 'tanh':
      return `torch.tanh(${x})`;
    case 'gelu':
      return `F.gelu(${x})`;
    case 'softmax':
      return `torch.softmax(${x}, dim=${onnxAxis(shape, axis)})`;
    case 'leaky_relu':
      return `F.leaky_relu(${x}, negative_slope=${float(alpha)})`;
    case 'elu':
      return `F.elu(${x}, alpha=${float(alpha)})`;
    case 'selu':
      return `F.selu(${x})`;
  }
}

/** An NCHW map in NHWC order, as Keras flattens and reshapes it; free when both orders agree. */
const nhwc = (x: string, s: Shape): string => (isMap(s) && !sameOrder(s) ? `${x}.permute(0, 2, 3, 1)` : x);

const BatchNorm: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<BatchNormAttrs>(node);
  const s = node.inputShapes[0]!;
  const c = s[s.length - 1]!;
  // Keras keeps moving = m·moving + (1 − m)·batch; PyTorch's momentum weighs the batch.
  const args = `${c}, eps=${num(a.epsilon)}, momentum=${num(1 - a.momentum)}${!a.scale && !a.center ? ', affine=False' : ''}`;
  const setup: string[] = [];
  const weights: TorchWeight[] = [];
  if (a.scale) weights.push({ keras: 'gamma', torch: 'weight', shape: [c], perm: null });
  else if (a.center) setup.push(`${self}.register_parameter("weight", None)  # Keras scale=False: no gamma`);
  if (a.center) weights.push({ keras: 'beta', torch: 'bias', shape: [c], perm: null });
  else if (a.scale) setup.push(`${self}.register_parameter("bias", None)  # Keras center=False: no beta`);
  weights.push({ keras: 'moving_mean', torch: 'running_mean', shape: [c], perm: null }, { keras: 'moving_variance', torch: 'running_var', shape: [c], perm: null });
  // Statistics over every position but the channel: BatchNorm1d on [positions, C] for any other rank.
  const forward = isMap(s) ? `${self}(${x})` : s.length === 1 ? `${self}(${x})` : `${self}(${x}.reshape(-1, ${c})).reshape(${x}.shape)`;
  return { module: `nn.BatchNorm${isMap(s) ? '2d' : '1d'}(${args})`, setup, forward, weights };
};

/** convlab's LRN divides by (bias + α·Σx²)^β; nn.LocalResponseNorm divides α by the window, so it gets α·size. */
const LRN: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<LRNAttrs>(node);
  const s = node.inputShapes[0]!;
  if (!isMap(s)) throw new ShapeError(atNode(node.name, node.op, messages.torchLrnNeedsMap(s)), { node: node.name });
  if (a.size % 2 === 1) return { module: `nn.LocalResponseNorm(${a.size}, alpha=${num(a.alpha * a.size)}, beta=${num(a.beta)}, k=${float(a.bias)})`, forward: `${self}(${x})` };
  return { module: `LocalResponseNorm(${a.size}, alpha=${num(a.alpha)}, beta=${num(a.beta)}, bias=${float(a.bias)})`, forward: `${self}(${x})`, helpers: ['LocalResponseNorm'] };
};

const Rescaling: TorchLowering = ({ node, inputs: [x] }) => {
  const a = attrsOf<RescalingAttrs>(node);
  return { forward: a.offset === 0 ? `${x} * ${float(a.scale)}` : `${x} * ${float(a.scale)} + ${float(a.offset)}` };
};

const Normalization: TorchLowering = ({ node, inputs: [x], self }) => {
  const s = node.inputShapes[0]!;
  const c = s[s.length - 1]!;
  return {
    module: `Normalization(${c}, channel_dim=${onnxAxis(s, -1)})`,
    forward: `${self}(${x})`,
    helpers: ['Normalization'],
    weights: [
      { keras: 'mean', torch: 'mean', shape: [c], perm: null },
      { keras: 'variance', torch: 'variance', shape: [c], perm: null },
      { keras: 'count', torch: 'count', shape: [], perm: null },
    ],
  };
};

const Dropout: TorchLowering = ({ node, inputs: [x], self }) => ({
  module: `nn.Dropout(p=${num(attrsOf<DropoutAttrs>(node).rate)})`,
  forward: `${self}(${x})`,
});

const Flatten: TorchLowering = ({ node, inputs: [x] }) => ({ forward: `torch.flatten(${nhwc(x!, node.inputShapes[0]!)}, 1)` });

/** Reshape in NHWC order at both ends, as Keras does; a map result comes back to NCHW. */
const Reshape: TorchLowering = ({ node, inputs: [x] }) => {
  const to = node.outputShape;
  const src = nhwc(x!, node.inputShapes[0]!);
  if (!isMap(to)) return { forward: `${src}.reshape(-1, ${to.join(', ')})` };
  if (sameOrder(to)) return { forward: `${src}.reshape(-1, ${to[2]}, ${to[0]}, ${to[1]})` };
  return { forward: `${src}.reshape(-1, ${to.join(', ')}).permute(0, 3, 1, 2)` };
};

/** Permute → Tensor.permute over the stored axes: output axes (C, H, W for a map) each read the input axis `dims` names. */
const Permute: TorchLowering = ({ node, inputs: [x] }) => {
  const dims = attrsOf<PermuteAttrs>(node).dims;
  const from = node.inputShapes[0]!;
  const outAxes = isMap(node.outputShape) ? [2, 0, 1] : dims.map((_, i) => i);
  return { forward: `${x}.permute(${[0, ...outAxes.map((k) => onnxAxis(from, dims[k]!))].join(', ')})` };
};

const ZeroPadding2D: TorchLowering = ({ node, inputs: [x] }) => {
  const [t, b, l, r] = attrsOf<ZeroPadding2DAttrs>(node).padding as number[];
  return { forward: `F.pad(${x}, ${tuple([l!, r!, t!, b!])})` };
};

const Cropping2D: TorchLowering = ({ node, inputs: [x] }) => {
  const [t, b, l, r] = attrsOf<Cropping2DAttrs>(node).cropping as number[];
  const [h, w] = node.inputShapes[0]!;
  return { forward: `${x}[:, :, ${t}:${h! - b!}, ${l}:${w! - r!}]` };
};

const Add: TorchLowering = ({ inputs }) => ({ forward: inputs.join(' + ') });

const Multiply: TorchLowering = ({ inputs }) => ({ forward: inputs.join(' * ') });

const ScaledAdd: TorchLowering = ({ node, inputs: [x, y] }) => ({ forward: `${x} + ${float(attrsOf<ScaledAddAttrs>(node).scale)} * ${y}` });

const Concat: TorchLowering = ({ node, inputs }) => ({
  forward: `torch.cat([${inputs.join(', ')}], dim=${onnxAxis(node.inputShapes[0]!, attrsOf<ConcatAttrs>(node).axis)})`,
});

const Activation: TorchLowering = ({ node, inputs: [x] }) => {
  const a = attrsOf<ActivationAttrs>(node);
  return { forward: x!, activation: a.fn, alpha: alphaOf(a.fn, a.alpha), axis: a.axis };
};

/**
 * PReLU → nn.PReLU, one slope per channel (Keras keeps it as (1, 1, C) on a map, the same
 * values). nn.PReLU reads channels on axis 1: right for NCHW maps and vectors; other ranks keep
 * channels last and move them there and back.
 */
const PReLU: TorchLowering = ({ node, inputs: [x], self }) => {
  const s = node.inputShapes[0]!;
  const c = s[s.length - 1]!;
  const onAxis1 = isMap(s) || s.length === 1;
  return {
    module: `nn.PReLU(${c})`,
    forward: onAxis1 ? `${self}(${x})` : `${self}(${x}.movedim(-1, 1)).movedim(1, -1)`,
    weights: [{ keras: 'alpha', torch: 'weight', shape: [c], perm: null }],
  };
};

/** Every op's lowering. */
export const TORCH_LOWERINGS: Record<OpType, TorchLowering> = {
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
