/** PyTorch lowerings of windowed and dense ops: Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose, Dense, pooling. */
import type { ResolvedNode } from '../../graph/graph.js';
import {
  convGeometry, convTransposeGeometry, poolGeometry,
  type ActivationFn, type Conv2DAttrs, type Conv2DTransposeAttrs, type DenseAttrs, type DepthwiseConv2DAttrs, type GlobalPoolAttrs,
  type PoolAttrs, type SeparableConv2DAttrs, type WindowGeometry,
} from '../../ops/index.js';
import { isMap } from '../onnx/layout.js';
import { DEPTHWISE_TO_TORCH, HWIO_TO_OIHW, TRANSPOSE_2D, type TorchWeight } from './layout.js';
import { num, pair, tuple, type HelperName } from './python.js';

/** What a lowering sees: the node, the Python expressions of its inputs and its module's name. */
export interface TorchArgs {
  node: ResolvedNode;
  /** Python expressions of the inputs; feature maps are NCHW. */
  inputs: string[];
  /** `self.<name>`: the node's module, when the lowering declares one. */
  self: string;
}

/** How one node becomes PyTorch: an optional module, the expression of its output, its weights. */
export interface TorchLowered {
  /** The module's constructor, e.g. `nn.Conv2d(1, 6, kernel_size=5)`. */
  module?: string;
  /** Statements after the constructor, e.g. dropping a BatchNorm γ Keras does not learn. */
  setup?: string[];
  /** The output before `activation`. */
  forward: string;
  /** Applied to `forward`; kept apart so a softmax output can hand its logits to the loss. */
  activation?: ActivationFn;
  /** leaky_relu's slope or elu's α when `activation` takes one; unset: the function's default. */
  alpha?: number;
  /** How the node's Keras weights map to the module's parameters and buffers. */
  weights?: TorchWeight[];
  helpers?: HelperName[];
}

/** Emits the PyTorch form of one convlab node. */
export type TorchLowering = (a: TorchArgs) => TorchLowered;

const attrsOf = <A>(node: ResolvedNode): A => node.attrs as unknown as A;

/** Keyword arguments that differ from PyTorch's defaults, in PyTorch's order. */
function keywords(pairs: Array<[string, string, boolean]>): string {
  return pairs.filter(([, , differs]) => differs).map(([k, v]) => `, ${k}=${v}`).join('');
}

const symmetric = (g: WindowGeometry): boolean => g.padTop === g.padBottom && g.padLeft === g.padRight;

/** F.pad's (left, right, top, bottom) for the geometry's padding plus `reach` on the bottom and right. */
const padTuple = (g: WindowGeometry, reach: [number, number] = [0, 0]): string =>
  tuple([g.padLeft, g.padRight + reach[1], g.padTop, g.padBottom + reach[0]]);

const unpadded = (g: WindowGeometry): boolean => g.padTop + g.padBottom + g.padLeft + g.padRight === 0;

/** The conv's own padding when both sides agree; otherwise F.pad first (TensorFlow's "same" may pad one more below and right). */
function convInput(x: string, g: WindowGeometry): { input: string; padding: string | null } {
  if (symmetric(g)) return { input: x, padding: unpadded(g) ? null : pair(g.padTop, g.padLeft) };
  return { input: `F.pad(${x}, ${padTuple(g)})`, padding: null };
}

/** nn.Conv2d's arguments after the channels. */
function convArgs(g: WindowGeometry, padding: string | null, groups: number, bias: boolean): string {
  return `kernel_size=${pair(g.kh, g.kw)}${keywords([
    ['stride', pair(g.sh, g.sw), g.sh !== 1 || g.sw !== 1],
    ['padding', padding ?? '0', padding !== null],
    ['dilation', pair(g.dh, g.dw), g.dh !== 1 || g.dw !== 1],
    ['groups', num(groups), groups !== 1],
    ['bias', 'False', !bias],
  ])}`;
}

const biasWeight = (bias: boolean, size: number, torch = 'bias'): TorchWeight[] => (bias ? [{ keras: 'bias', torch, shape: [size], perm: null }] : []);

/** Conv2D → nn.Conv2d (groups, dilation; uneven padding by F.pad). */
export const Conv2D: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<Conv2DAttrs>(node);
  const g = convGeometry(node.inputShapes[0]!, a);
  const cin = node.inputShapes[0]![2]!;
  const { input, padding } = convInput(x!, g);
  return {
    module: `nn.Conv2d(${cin}, ${a.filters}, ${convArgs(g, padding, a.groups, a.useBias)})`,
    forward: `${self}(${input})`,
    activation: a.activation,
    weights: [{ keras: 'kernel', torch: 'weight', shape: [a.filters, cin / a.groups, g.kh, g.kw], perm: HWIO_TO_OIHW }, ...biasWeight(a.useBias, a.filters)],
  };
};

/** DepthwiseConv2D → nn.Conv2d with one group per input channel. */
export const DepthwiseConv2D: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<DepthwiseConv2DAttrs>(node);
  const g = convGeometry(node.inputShapes[0]!, a);
  const cin = node.inputShapes[0]![2]!;
  const cout = cin * a.depthMultiplier;
  const { input, padding } = convInput(x!, g);
  return {
    module: `nn.Conv2d(${cin}, ${cout}, ${convArgs(g, padding, cin, a.useBias)})`,
    forward: `${self}(${input})`,
    activation: a.activation,
    weights: [{ keras: 'depthwise_kernel', torch: 'weight', shape: [cout, 1, g.kh, g.kw], perm: DEPTHWISE_TO_TORCH }, ...biasWeight(a.useBias, cout)],
  };
};

/** SeparableConv2D → SeparableConv2d (a depthwise nn.Conv2d, then a 1×1 one holding the bias). */
export const SeparableConv2D: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<SeparableConv2DAttrs>(node);
  const g = convGeometry(node.inputShapes[0]!, a);
  const cin = node.inputShapes[0]![2]!;
  const mid = cin * a.depthMultiplier;
  const { input, padding } = convInput(x!, g);
  const args = `kernel_size=${pair(g.kh, g.kw)}${keywords([
    ['stride', pair(g.sh, g.sw), g.sh !== 1 || g.sw !== 1],
    ['padding', padding ?? '0', padding !== null],
    ['dilation', pair(g.dh, g.dw), g.dh !== 1 || g.dw !== 1],
    ['depth_multiplier', num(a.depthMultiplier), a.depthMultiplier !== 1],
    ['bias', 'False', !a.useBias],
  ])}`;
  return {
    module: `SeparableConv2d(${cin}, ${a.filters}, ${args})`,
    forward: `${self}(${input})`,
    activation: a.activation,
    helpers: ['SeparableConv2d'],
    weights: [
      { keras: 'depthwise_kernel', torch: 'depthwise.weight', shape: [mid, 1, g.kh, g.kw], perm: DEPTHWISE_TO_TORCH },
      { keras: 'pointwise_kernel', torch: 'pointwise.weight', shape: [a.filters, mid, 1, 1], perm: HWIO_TO_OIHW },
      ...biasWeight(a.useBias, a.filters, 'pointwise.bias'),
    ],
  };
};

/**
 * Conv2DTranspose → nn.ConvTranspose2d. convlab's geometry cuts `crop` units from the start of
 * the full output and what is left past `out` from the end, or adds units at the end that get
 * only the bias. PyTorch's padding cuts the same amount from both ends and its output_padding
 * adds at the end, so each axis takes the common part as padding (or the addition as
 * output_padding) and a slice cuts the rest.
 */
export const Conv2DTranspose: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<Conv2DTransposeAttrs>(node);
  const g = convTransposeGeometry(node.inputShapes[0]!, a);
  const cin = node.inputShapes[0]![2]!;
  const axis = (full: number, crop: number, out: number) => {
    const end = full - crop - out;
    // The slice's start and the size PyTorch produces with this padding.
    if (end >= 0) {
      const p = Math.min(crop, end);
      return { p, extra: 0, start: crop - p, made: full - 2 * p, out };
    }
    return { p: 0, extra: -end, start: crop, made: full - end, out };
  };
  const h = axis(g.fullH, g.cropTop, g.outH);
  const w = axis(g.fullW, g.cropLeft, g.outW);
  const args = `kernel_size=${pair(g.kh, g.kw)}${keywords([
    ['stride', pair(g.sh, g.sw), g.sh !== 1 || g.sw !== 1],
    ['padding', pair(h.p, w.p), h.p + w.p > 0],
    ['output_padding', pair(h.extra, w.extra), h.extra + w.extra > 0],
    ['groups', num(a.groups), a.groups !== 1],
    ['bias', 'False', !a.useBias],
    ['dilation', pair(g.dh, g.dw), g.dh !== 1 || g.dw !== 1],
  ])}`;
  const cut = (c: typeof h) => (c.start === 0 && c.made === c.out ? ':' : `${c.start}:${c.start + c.out}`);
  const sliced = cut(h) === ':' && cut(w) === ':' ? '' : `[:, :, ${cut(h)}, ${cut(w)}]`;
  return {
    module: `nn.ConvTranspose2d(${cin}, ${a.filters}, ${args})`,
    forward: `${self}(${x})${sliced}`,
    activation: a.activation,
    // Keras (fh, fw, K/groups, cin) → PyTorch (cin, K/groups, fh, fw): the same permutation as a conv kernel's.
    weights: [{ keras: 'kernel', torch: 'weight', shape: [cin, a.filters / a.groups, g.kh, g.kw], perm: HWIO_TO_OIHW }, ...biasWeight(a.useBias, a.filters)],
  };
};

/** Dense → nn.Linear on the last axis; a feature map (NCHW here) moves its channels last and back. */
export const Dense: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<DenseAttrs>(node);
  const s = node.inputShapes[0]!;
  const nin = s[s.length - 1]!;
  return {
    module: `nn.Linear(${nin}, ${a.units}${a.useBias ? '' : ', bias=False'})`,
    forward: isMap(s) ? `${self}(${x}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)` : `${self}(${x})`,
    activation: a.activation,
    weights: [{ keras: 'kernel', torch: 'weight', shape: [a.units, nin], perm: TRANSPOSE_2D }, ...biasWeight(a.useBias, a.units)],
  };
};

/**
 * A 1×1 window without padding only subsamples: a strided slice (a view), which PyTorch computes
 * and differentiates without the pooling kernels (the CIFAR ResNets' option-A shortcuts).
 */
function subsample(g: WindowGeometry, x: string): TorchLowered | null {
  if (g.kh !== 1 || g.kw !== 1 || !unpadded(g) || g.outH !== Math.ceil(g.inH / g.sh) || g.outW !== Math.ceil(g.inW / g.sw)) return null;
  const step = (s: number) => (s === 1 ? ':' : `::${s}`);
  return { forward: `${x}[:, :, ${step(g.sh)}, ${step(g.sw)}]` };
}

const dilated = (g: WindowGeometry): boolean => g.dh !== 1 || g.dw !== 1;

/** True when PyTorch's pooling takes the padding itself: equal sides, at most half the window. */
const nativePadding = (g: WindowGeometry): boolean => symmetric(g) && 2 * g.padTop <= g.kh && 2 * g.padLeft <= g.kw;

/**
 * MaxPool2D → nn.MaxPool2d (PyTorch's ceil-mode rule is convlab's); other padding pads with
 * −∞ explicitly, out to the reach ceil mode adds; a 1×1 window is a strided slice.
 */
export const MaxPool2D: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<PoolAttrs>(node);
  const g = poolGeometry(node.inputShapes[0]!, a);
  const slice = subsample(g, x!);
  if (slice) return slice;
  const base = `${pair(g.kh, g.kw)}, stride=${pair(g.sh, g.sw)}${keywords([['dilation', pair(g.dh, g.dw), dilated(g)]])}`;
  if (nativePadding(g)) {
    const extra = keywords([['padding', pair(g.padTop, g.padLeft), !unpadded(g)], ['ceil_mode', 'True', a.ceilMode]]);
    return { module: `nn.MaxPool2d(${base}${extra})`, forward: `${self}(${x})` };
  }
  return { module: `nn.MaxPool2d(${base})`, forward: `${self}(F.pad(${x}, ${padTuple(g, [g.ceilExtraH, g.ceilExtraW])}, value=float("-inf")))` };
};

/**
 * AvgPool2D → nn.AvgPool2d, whose divisor follows convlab's rule (declared padding counts when
 * countIncludePad, ceil mode's extra reach never); other padding and dilation (which
 * nn.AvgPool2d lacks) go to AvgPool2dPadded; a 1×1 window is a strided slice.
 */
export const AvgPool2D: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<PoolAttrs>(node);
  const [h, w] = node.inputShapes[0]!;
  const g = poolGeometry(node.inputShapes[0]!, a);
  const slice = subsample(g, x!);
  if (slice) return slice;
  const include = a.countIncludePad ? 'True' : 'False';
  if (nativePadding(g) && !dilated(g)) {
    const extra = keywords([
      ['padding', pair(g.padTop, g.padLeft), !unpadded(g)],
      ['ceil_mode', 'True', a.ceilMode],
      ['count_include_pad', include, !unpadded(g)],
    ]);
    return { module: `nn.AvgPool2d(${pair(g.kh, g.kw)}, stride=${pair(g.sh, g.sw)}${extra})`, forward: `${self}(${x})` };
  }
  const pads = tuple([g.padTop, g.padBottom, g.padLeft, g.padRight]);
  const dilation = dilated(g) ? `, dilation=${tuple([g.dh, g.dw])}, channels=${node.inputShapes[0]![2]}` : '';
  return {
    module: `AvgPool2dPadded(${tuple([g.kh, g.kw])}, ${tuple([g.sh, g.sw])}, pads=${pads}, reach=${tuple([g.ceilExtraH, g.ceilExtraW])}, count_include_pad=${include}, size=${tuple([h!, w!])}${dilation})`,
    forward: `${self}(${x})`,
    helpers: ['AvgPool2dPadded'],
  };
};

function globalPool(reduce: 'mean' | 'amax'): TorchLowering {
  return ({ node, inputs: [x] }) => {
    const keep = attrsOf<GlobalPoolAttrs>(node).keepDims ? ', keepdim=True' : '';
    return { forward: `${x}.${reduce}(dim=(2, 3)${keep})` };
  };
}

/** GlobalAvgPool → a mean over H and W. */
export const GlobalAvgPool = globalPool('mean');
/** GlobalMaxPool → a maximum over H and W. */
export const GlobalMaxPool = globalPool('amax');
