/**
 * ONNX → convlab op mapping for ops that compute: convolutions, pooling, Gemm / MatMul, batch
 * normalization, LRN, activations and Dropout, transposed convolutions and PRelu. Weights are converted lazily to Keras layout
 * (conv OIHW → HWIO, depthwise → (fh, fw, cin, dm), Gemm B → [nin, nout]). Shape ops live in
 * onnx_ops_shape.ts and elementwise merges in onnx_ops_merge.ts; onnx.ts joins the tables.
 */
import type { AttrValue, Shape } from '../../graph/types.js';
import type { ActivationFn, Padding } from '../../ops/types.js';
import type { ImportContext, LazyWeight } from './context.js';
import { chwRowsToHwc, depthwiseToHwcm, oihwToHwio, transpose2d, type ConstValue, type TensorValue, type Value } from './values.js';
import { numel } from '../../core/numel.js';
import { alphaOf } from '../../ops/activation.js';
import { messages as m } from '../../core/messages.js';

/** Converts the current ONNX node; returns the values of its outputs in order. */
export type Converter = (ctx: ImportContext) => Value[];

const ALL_LAYOUTS = ['nchw', 'nhwc', 'plain'] as const;

/** A weight getter that maps the stored values through `f` (or yields nothing when there are none). */
const lazy = (c: ConstValue, f: (v: Float32Array) => Float32Array = (v) => v): LazyWeight => () => {
  const v = c.values();
  return v ? f(v) : undefined;
};

/** A per-channel vector of `n` values: dims [n] (or [1, n]); a scalar is spread. */
export function channelVector(ctx: ImportContext, c: ConstValue, role: string, n: number, allowScalar: boolean): LazyWeight {
  const count = numel(c.dims);
  const trailing = c.dims.filter((d) => d !== 1);
  const ok = (count === n && trailing.length <= 1 && c.dims[c.dims.length - 1] === n) || (allowScalar && count === 1);
  if (!ok) ctx.fail(m.onnxWeightShape(role, c.origin, `[${n}]${allowScalar ? ' or a scalar' : ''}`, c.dims));
  return lazy(c, (v) => (v.length === n ? Float32Array.from(v) : new Float32Array(n).fill(v[0]!)));
}

/**
 * Padding of a conv or pool from auto_pad and pads. ONNX pads are [top, left, bottom, right];
 * SAME_UPPER is Keras' 'same'; SAME_LOWER puts the odd pixel first, so it becomes explicit.
 */
function windowPadding(ctx: ImportContext, x: Shape, k: number[], s: number[], d: number[]): Padding {
  const auto = ctx.strAttr('auto_pad', 'NOTSET');
  if (auto === 'VALID') return 'valid';
  if (auto === 'SAME_UPPER') return 'same';
  if (auto === 'SAME_LOWER') {
    const total = (i: 0 | 1) => Math.max((Math.ceil(x[i]! / s[i]!) - 1) * s[i]! + (k[i]! - 1) * d[i]! + 1 - x[i]!, 0);
    const [th, tw] = [total(0), total(1)];
    return [Math.ceil(th / 2), Math.floor(th / 2), Math.ceil(tw / 2), Math.floor(tw / 2)];
  }
  if (auto !== 'NOTSET') ctx.fail(m.unsupportedAttr('auto_pad', auto, 'expected NOTSET, VALID, SAME_UPPER or SAME_LOWER'), 'attribute');
  const p = ctx.intsAttr('pads', [0, 0, 0, 0], 4);
  if (p.some((v) => v < 0)) ctx.fail(m.unsupportedAttr('pads', p, 'negative padding'), 'attribute');
  // No padding is 'valid' at any input size, as Keras writes it.
  return p.every((v) => v === 0) ? 'valid' : [p[0]!, p[2]!, p[1]!, p[3]!];
}

/** A 2-D window's kernel, strides and dilations, checked. */
function window(ctx: ImportContext, kernel: number[]): { k: number[]; s: number[]; d: number[] } {
  const s = ctx.intsAttr('strides', [1, 1], 2);
  const d = ctx.intsAttr('dilations', [1, 1], 2);
  if (kernel.some((v) => v < 1)) ctx.fail(m.unsupportedAttr('kernel_shape', kernel, 'sizes must be positive'), 'attribute');
  if (s.some((v) => v < 1)) ctx.fail(m.unsupportedAttr('strides', s, 'strides must be positive'), 'attribute');
  if (d.some((v) => v < 1)) ctx.fail(m.unsupportedAttr('dilations', d, 'dilations must be positive'), 'attribute');
  return { k: kernel, s, d };
}

const map = (ctx: ImportContext, i: number, role: string): TensorValue => {
  const x = ctx.tensor(i, role, { layouts: ['nchw'] });
  if (x.shape.length !== 3) ctx.fail(m.layout(ctx.inputName(i), `a rank-${x.shape.length + 1} tensor`, 'a 2-D feature map [N, C, H, W]'));
  return x;
};

const Conv: Converter = (ctx) => {
  const x = map(ctx, 0, 'input X');
  const w = ctx.constant(1, 'weight W');
  if (w.dims.length !== 4) ctx.fail(m.onnxWeightShape('weight W', w.origin, '[K, C/group, kh, kw] (a 2-D convolution)', w.dims));
  const [K, cinG, kh, kw] = w.dims as [number, number, number, number];
  const group = ctx.intAttr('group', 1);
  const cin = x.shape[2]!;
  if (group < 1 || cinG * group !== cin) ctx.fail(m.onnxWeightShape('weight W', w.origin, `[K, ${cin / Math.max(group, 1)}, kh, kw] for ${cin} input channels in ${group} group(s)`, w.dims));
  const { k, s, d } = window(ctx, ctx.intsAttr('kernel_shape', [kh, kw], 2));
  if (k[0] !== kh || k[1] !== kw) ctx.fail(m.unsupportedAttr('kernel_shape', k, `it disagrees with the weight's [${kh}, ${kw}]`), 'attribute');
  const padding = windowPadding(ctx, x.shape, k, s, d);
  const b = ctx.optional(2) ? ctx.constant(2, 'bias B') : undefined;
  const weights: Record<string, LazyWeight> = {};
  if (b) weights.bias = channelVector(ctx, b, 'bias B', K, false);
  const geometry = { kernelSize: [kh, kw], strides: s, padding: padding as AttrValue, dilation: d, useBias: b !== undefined };
  if (group > 1 && group === cin && cinG === 1 && K % cin === 0) {
    const dm = K / cin;
    weights.depthwise_kernel = lazy(w, (v) => depthwiseToHwcm(v, cin, dm, kh, kw));
    return [ctx.emit('DepthwiseConv2D', [x], { ...geometry, depthMultiplier: dm }, weights)];
  }
  weights.kernel = lazy(w, (v) => oihwToHwio(v, K, cinG, kh, kw));
  return [separable(ctx, x, K, weights) ?? ctx.emit('Conv2D', [x], { filters: K, ...geometry, groups: group }, weights)];
};

/**
 * convlab's exporter writes SeparableConv2D `X` as a depthwise Conv `X/depthwise` and a 1×1 Conv
 * `X`; that pair becomes one SeparableConv2D again. Other depthwise + pointwise pairs stay two
 * layers, as their files define them.
 */
function separable(ctx: ImportContext, x: TensorValue, filters: number, pointwise: Record<string, LazyWeight>): TensorValue | undefined {
  const p = ctx.producer(x);
  const a = ctx.node;
  const plain = ['strides', 'dilations'].every((k) => ctx.intsAttr(k, [1, 1]).every((v) => v === 1)) && ctx.intsAttr('pads', [0, 0, 0, 0]).every((v) => v === 0);
  const oneByOne = ctx.intsAttr('kernel_shape', [1, 1]).every((v) => v === 1) && ctx.intAttr('group', 1) === 1 && ctx.strAttr('auto_pad', 'NOTSET') === 'NOTSET';
  if (!p || p.spec.op !== 'DepthwiseConv2D' || p.onnxName !== `${a.name}/depthwise` || !plain || !oneByOne || p.spec.attrs.useBias !== false || (p.spec.attrs.activation ?? 'linear') !== 'linear' || !ctx.soleUse(x)) {
    return undefined;
  }
  ctx.remove(p);
  const { useBias: _bias, activation: _act, ...geometry } = p.spec.attrs;
  const weights: Record<string, LazyWeight> = { depthwise_kernel: p.weights.get('depthwise_kernel')!, pointwise_kernel: pointwise.kernel! };
  if (pointwise.bias) weights.bias = pointwise.bias;
  return ctx.emit('SeparableConv2D', [p.inputValues[0]!], { ...geometry, filters, useBias: pointwise.bias !== undefined }, weights);
}

function pool(kind: 'MaxPool2D' | 'AvgPool2D'): Converter {
  return (ctx) => {
    const x = map(ctx, 0, 'input X');
    const kernel = ctx.intsAttr('kernel_shape', [], 2);
    const { k, s, d } = window(ctx, kernel);
    if (ctx.intAttr('storage_order', 0) !== 0) ctx.fail(m.unsupportedAttr('storage_order', 1, 'only row-major indices are modelled'), 'attribute');
    const attrs: Record<string, AttrValue> = {
      poolSize: k, strides: s, padding: windowPadding(ctx, x.shape, k, s, d) as AttrValue, dilation: d, ceilMode: ctx.intAttr('ceil_mode', 0) === 1,
    };
    if (kind === 'AvgPool2D') attrs.countIncludePad = ctx.intAttr('count_include_pad', 0) === 1;
    return [ctx.emit(kind, [x], attrs)];
  };
}

function globalPool(kind: 'GlobalAvgPool' | 'GlobalMaxPool'): Converter {
  // ONNX keeps [N, C, 1, 1]; a Flatten after it is folded away once the graph is converted.
  return (ctx) => [ctx.emit(kind, [map(ctx, 0, 'input X')], { keepDims: true })];
}

/** The Keras kernel [nin, nout] of a dense layer fed by `x`, from ONNX rows `rows` (already [nin, nout]). */
function denseKernel(x: TensorValue, rows: Float32Array, nout: number): Float32Array {
  return x.chw ? chwRowsToHwc(rows, x.chw, nout) : rows;
}

const Gemm: Converter = (ctx) => {
  const x = ctx.tensor(0, 'input A', { layouts: ['plain'], chw: true });
  if (x.shape.length !== 1) ctx.fail(m.layout(ctx.inputName(0), `a rank-${x.shape.length + 1} tensor`, 'a matrix [N, K]'));
  if (ctx.intAttr('transA', 0) !== 0) ctx.fail(m.unsupportedAttr('transA', 1, 'the batch must stay the leading axis'), 'attribute');
  const B = ctx.constant(1, 'weight B');
  const transB = ctx.intAttr('transB', 0) === 1;
  const nin = x.shape[0]!;
  if (B.dims.length !== 2 || B.dims[transB ? 1 : 0] !== nin) ctx.fail(m.onnxWeightShape('weight B', B.origin, transB ? `[nout, ${nin}]` : `[${nin}, nout]`, B.dims));
  const nout = B.dims[transB ? 0 : 1]!;
  const alpha = ctx.floatAttr('alpha', 1);
  const beta = ctx.floatAttr('beta', 1);
  const weights: Record<string, LazyWeight> = {
    kernel: lazy(B, (v) => {
      const rows = transB ? transpose2d(v, nout, nin) : Float32Array.from(v);
      if (alpha !== 1) rows.forEach((r, i) => (rows[i] = r * alpha));
      return denseKernel(x, rows, nout);
    }),
  };
  const C = ctx.optional(2) ? ctx.constant(2, 'bias C') : undefined;
  if (C) {
    const bias = channelVector(ctx, C, 'bias C', nout, true);
    weights.bias = () => bias()?.map((b) => b * beta);
  }
  return [ctx.emit('Dense', [x], { units: nout, useBias: C !== undefined }, weights)];
};

const MatMul: Converter = (ctx) => {
  const x = ctx.tensor(0, 'input A', { layouts: ['plain'], chw: true });
  const B = ctx.optional(1)?.kind === 'tensor' ? ctx.fail(m.needsConstant('input B', ctx.inputName(1))) : ctx.constant(1, 'input B');
  const nin = x.shape[x.shape.length - 1]!;
  if (B.dims.length !== 2 || B.dims[0] !== nin) ctx.fail(m.onnxWeightShape('input B', B.origin, `[${nin}, nout]`, B.dims));
  const nout = B.dims[1]!;
  return [ctx.emit('Dense', [x], { units: nout, useBias: false }, { kernel: lazy(B, (v) => denseKernel(x, Float32Array.from(v), nout)) })];
};

/**
 * convlab's exporter writes the constant γ = 1 and β = 0 of a BatchNorm without scale or center
 * as initializers named `<node>/unit_gamma` and `<node>/zero_beta`; they are not parameters.
 */
const EXPORTED_UNIT_GAMMA = /\/unit_gamma$/;
const EXPORTED_ZERO_BETA = /\/zero_beta$/;

const BatchNormalization: Converter = (ctx) => {
  const x = ctx.tensor(0, 'input X');
  if (x.layout === 'plain' && x.shape.length !== 1) ctx.fail(m.layout(ctx.inputName(0), `a rank-${x.shape.length + 1} tensor`, 'a feature map [N, C, H, W] or a matrix [N, C]'));
  if (ctx.intAttr('training_mode', 0) !== 0) ctx.fail(m.unsupportedAttr('training_mode', 1, 'convlab imports inference graphs'), 'attribute');
  const c = x.layout === 'nchw' ? x.shape[2]! : x.shape[0]!;
  const vec = (i: number, role: string) => channelVector(ctx, ctx.constant(i, role), role, c, false);
  const scale = !EXPORTED_UNIT_GAMMA.test(ctx.constant(1, 'scale').origin);
  const center = !EXPORTED_ZERO_BETA.test(ctx.constant(2, 'bias B').origin);
  const weights: Record<string, LazyWeight> = {};
  if (scale) weights.gamma = vec(1, 'scale');
  if (center) weights.beta = vec(2, 'bias B');
  weights.moving_mean = vec(3, 'input mean');
  weights.moving_variance = vec(4, 'input var');
  const attrs = { epsilon: ctx.floatAttr('epsilon', 1e-5), momentum: ctx.floatAttr('momentum', 0.9), center, scale };
  return [ctx.emit('BatchNorm', [x], attrs, weights)];
};

/** convlab's LRN is the AlexNet paper's, with α on the plain sum of squares; ONNX divides α by size. */
const LRN: Converter = (ctx) => {
  const x = map(ctx, 0, 'input X');
  const size = ctx.intAttr('size', 0);
  if (size < 1) ctx.fail(m.unsupportedAttr('size', size, 'a positive window size is required'), 'attribute');
  const attrs = { size, alpha: ctx.floatAttr('alpha', 1e-4) / size, beta: ctx.floatAttr('beta', 0.75), bias: ctx.floatAttr('bias', 1) };
  return [ctx.emit('LRN', [x], attrs)];
};

const FUSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Dense']);

/**
 * convlab's exporter writes an activation fused into a conv or dense layer `X` as a node named
 * `X/<fn>` right after it. Such a node goes back into the layer, so a convlab export imports as
 * the graph it came from; other files keep their activations as nodes of their own.
 */
export function fuseActivation(ctx: ImportContext, x: TensorValue, fn: ActivationFn, readers = 1): TensorValue | undefined {
  const p = ctx.producer(x);
  if (!p || !FUSES.has(p.spec.op) || (p.spec.attrs.activation ?? 'linear') !== 'linear' || p.onnxName === '' || ctx.node.name !== `${p.onnxName}/${fn}` || !ctx.soleUse(x, readers)) {
    return undefined;
  }
  ctx.update(p, { ...p.spec.attrs, activation: fn });
  return x;
}

/** An elementwise activation; vectors in NCHW flatten order stay so (the order does not matter to it). */
export function activation(ctx: ImportContext, fn: ActivationFn, i = 0): TensorValue {
  const x = ctx.tensor(i, 'input X', { layouts: ALL_LAYOUTS, chw: true });
  const fused = fuseActivation(ctx, x, fn);
  if (fused) return fused;
  const y = ctx.emit('Activation', [x], { fn }, {}, x.layout);
  return x.chw ? { ...y, chw: x.chw } : y;
}

const unaryAct = (fn: ActivationFn): Converter => (ctx) => [activation(ctx, fn)];

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

const HardSigmoid: Converter = (ctx) => {
  const alpha = ctx.floatAttr('alpha', 0.2);
  const beta = ctx.floatAttr('beta', 0.5);
  // convlab's hard_sigmoid is relu6(x + 3) / 6, that is alpha 1/6 and beta 1/2.
  if (!near(alpha, 1 / 6) || !near(beta, 0.5)) ctx.fail(m.unsupportedAttr('alpha, beta', [alpha, beta], 'convlab\'s hard_sigmoid is relu6(x + 3) / 6 (alpha 1/6, beta 0.5)'), 'attribute');
  return [activation(ctx, 'hard_sigmoid')];
};

const Clip: Converter = (ctx) => {
  const bound = (i: number, attr: string, fallback: number) => {
    if (ctx.o.opset < 11) return ctx.floatAttr(attr, fallback);
    if (!ctx.optional(i)) return fallback;
    const { data } = ctx.constValues(i, attr);
    if (data.length !== 1) ctx.fail(m.unsupportedInput(attr, 'must be a scalar'));
    return data[0]!;
  };
  const lo = bound(1, 'min', -Infinity);
  const hi = bound(2, 'max', Infinity);
  if (lo === 0 && hi === 6) return [activation(ctx, 'relu6')];
  if (lo === 0 && hi === Infinity) return [activation(ctx, 'relu')];
  return ctx.fail(m.unsupportedAttr('min, max', [lo, hi], 'convlab clips only as relu [0, ∞) and relu6 [0, 6]'), 'attribute');
};

const Softmax: Converter = (ctx) => {
  const x = ctx.tensor(0, 'input X', { layouts: ALL_LAYOUTS, chw: true });
  const rank = x.shape.length + 1;
  const legacy = ctx.o.opset < 13;
  const raw = ctx.intAttr('axis', legacy ? 1 : -1);
  const axis = raw < 0 ? raw + rank : raw;
  const channel = x.layout === 'nchw' ? 1 : rank - 1;
  // Before opset 13 Softmax flattens from `axis` on: the channel softmax only when nothing follows the channels.
  const ok = axis === channel && (!legacy || x.layout !== 'nchw' || x.shape[0]! * x.shape[1]! === 1);
  if (!ok) ctx.fail(m.axis(raw, rank, 'convlab applies softmax over the channel axis'), 'attribute');
  const fused = fuseActivation(ctx, x, 'softmax');
  if (fused) return [fused];
  const y = ctx.emit('Activation', [x], { fn: 'softmax' }, {}, x.layout);
  return [x.chw ? { ...y, chw: x.chw } : y];
};

const Gelu: Converter = (ctx) => {
  const approx = ctx.strAttr('approximate', 'none');
  if (approx !== 'none') ctx.fail(m.unsupportedAttr('approximate', approx, 'convlab\'s gelu is the exact erf form'), 'attribute');
  return [activation(ctx, 'gelu')];
};

const Dropout: Converter = (ctx) => {
  const x = ctx.tensor(0, 'input data', { layouts: ALL_LAYOUTS, chw: true });
  let rate = 0.5;
  if (ctx.o.opset < 12) rate = ctx.floatAttr('ratio', 0.5);
  else if (ctx.optional(1)) rate = ctx.constValues(1, 'ratio').data[0]!;
  if (ctx.optional(2) && ctx.constValues(2, 'training_mode').data[0]) ctx.fail(m.unsupportedInput('training_mode', 'is true; convlab imports inference graphs'));
  const y = ctx.emit('Dropout', [x], { rate }, {}, x.layout);
  return [x.chw ? { ...y, chw: x.chw } : y];
};

/**
 * ConvTranspose → Conv2DTranspose: weight (cin, K/group, kh, kw) to Keras (kh, kw, K/group, cin),
 * explicit pads and output_padding kept; an output_shape or SAME auto_pad becomes the pads ONNX
 * derives from it (and output padding where the shape reaches past the kernel); VALID is no padding.
 */
const ConvTranspose: Converter = (ctx) => {
  const x = map(ctx, 0, 'input X');
  const w = ctx.constant(1, 'weight W');
  if (w.dims.length !== 4) ctx.fail(m.onnxWeightShape('weight W', w.origin, '[C, K/group, kh, kw] (a 2-D transposed convolution)', w.dims));
  const [cin, kg, kh, kw] = w.dims as [number, number, number, number];
  const group = ctx.intAttr('group', 1);
  if (cin !== x.shape[2] || group < 1 || cin % group !== 0) ctx.fail(m.onnxWeightShape('weight W', w.origin, `[${x.shape[2]}, K/group, kh, kw] in ${group} group(s)`, w.dims));
  const { k, s, d } = window(ctx, ctx.intsAttr('kernel_shape', [kh, kw], 2));
  if (k[0] !== kh || k[1] !== kw) ctx.fail(m.unsupportedAttr('kernel_shape', k, `it disagrees with the weight's [${kh}, ${kw}]`), 'attribute');
  const auto = ctx.strAttr('auto_pad', 'NOTSET');
  if (!['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'].includes(auto)) ctx.fail(m.unsupportedAttr('auto_pad', auto, 'expected NOTSET, VALID, SAME_UPPER or SAME_LOWER'), 'attribute');
  const extra = ctx.intsAttr('output_padding', [0, 0], 2);
  const target = ctx.attr('output_shape') !== undefined ? ctx.intsAttr('output_shape', [0, 0], 2) : auto.startsWith('SAME') ? [x.shape[0]! * s[0]!, x.shape[1]! * s[1]!] : null;
  let p = auto === 'VALID' ? [0, 0, 0, 0] : ctx.intsAttr('pads', [0, 0, 0, 0], 4);
  if (target) {
    // ONNX's rule: an output shape (given, or input × stride for SAME) sets the pads; the odd unit goes at the end for SAME_UPPER, at the start otherwise.
    p = [0, 0, 0, 0];
    for (const i of [0, 1]) {
      const total = s[i]! * (x.shape[i]! - 1) + extra[i]! + (k[i]! - 1) * d[i]! + 1 - target[i]!;
      const half = Math.floor(total / 2);
      const [start, end] = auto === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
      // A shape larger than the kernel reaches: the rows past the end are the output padding's.
      if (start < 0) ctx.fail(m.unsupportedAttr('output_shape', target, `it asks for ${-start} row(s) before the first output; convlab pads outputs only at the end`), 'attribute');
      p[i] = start;
      p[i + 2] = Math.max(end, 0);
      extra[i] = extra[i]! + Math.max(-end, 0);
    }
  }
  if (p.some((v) => v < 0)) ctx.fail(m.unsupportedAttr('pads', p, 'negative padding'), 'attribute');
  const b = ctx.optional(2) ? ctx.constant(2, 'bias B') : undefined;
  const filters = kg * group;
  const weights: Record<string, LazyWeight> = { kernel: lazy(w, (v) => transposeKernelToKeras(v, cin, kg, kh, kw)) };
  if (b) weights.bias = channelVector(ctx, b, 'bias B', filters, false);
  const attrs = {
    filters, kernelSize: [kh, kw], strides: s, dilation: d, padding: [p[0]!, p[2]!, p[1]!, p[3]!],
    outputPadding: extra.every((v) => v === 0) ? null : extra, groups: group, useBias: b !== undefined,
  };
  return [ctx.emit('Conv2DTranspose', [x], attrs, weights)];
};

/** ONNX (cin, K/group, kh, kw) → Keras transposed kernel (kh, kw, K/group, cin). */
function transposeKernelToKeras(v: Float32Array, cin: number, kg: number, kh: number, kw: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let c = 0; c < cin; c++) {
    for (let o = 0; o < kg; o++) {
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) out[((i * kw + j) * kg + o) * cin + c] = v[((c * kg + o) * kh + i) * kw + j]!;
    }
  }
  return out;
}

/** PRelu with one slope per channel (or one for all, spread), on a map or a vector. */
const PRelu: Converter = (ctx) => {
  const x = ctx.tensor(0, 'input X', { layouts: ['nchw', 'plain'] });
  const nchw = x.layout === 'nchw';
  const c = x.shape[nchw ? 2 : x.shape.length - 1]!;
  const w = ctx.constant(1, 'slope');
  // Broadcast against [N, C, H, W], a per-channel slope is [C, 1, 1]; against [N, C] it is [C].
  const dims = w.dims.slice(w.dims.findIndex((d) => d !== 1) < 0 ? w.dims.length : w.dims.findIndex((d) => d !== 1));
  // Before opset 7 PRelu did not broadcast: a slope of C values was one per channel (axis 1), as PyTorch exported it.
  const legacyPerChannel = ctx.o.opset < 7 && dims.length === 1 && dims[0] === c;
  const perChannel = legacyPerChannel || (nchw ? dims.length === 3 && dims[0] === c && dims[1] === 1 && dims[2] === 1 : dims.length === 1 && dims[0] === c);
  if (!perChannel && numel(w.dims) !== 1) ctx.fail(m.onnxWeightShape('slope', w.origin, nchw ? `[${c}, 1, 1] (one per channel) or a scalar` : `[${c}] or a scalar`, w.dims));
  const slope = lazy(w, (v) => (v.length === c ? Float32Array.from(v) : new Float32Array(c).fill(v[0]!)));
  return [ctx.emit('PReLU', [x], {}, { alpha: slope }, x.layout)];
};

/**
 * LeakyRelu and Elu carry their α as an attribute of convlab's Activation; a node the exporter
 * wrote for an activation fused at the function's default α goes back into its layer.
 */
function alphaActivation(fn: 'leaky_relu' | 'elu', onnxDefault: number): Converter {
  return (ctx) => {
    const x = ctx.tensor(0, 'input X', { layouts: ALL_LAYOUTS, chw: true });
    const alpha = ctx.floatAttr('alpha', onnxDefault);
    if (near(alpha, alphaOf(fn, null))) {
      const fused = fuseActivation(ctx, x, fn);
      if (fused) return [fused];
    }
    const y = ctx.emit('Activation', [x], { fn, alpha }, {}, x.layout);
    return [x.chw ? { ...y, chw: x.chw } : y];
  };
}

/** Klambauer et al.'s SELU constants, which ONNX Selu takes as its defaults. */
const SELU_ALPHA = 1.67326319217681884765625;
const SELU_GAMMA = 1.05070102214813232421875;

const Selu: Converter = (ctx) => {
  const alpha = ctx.floatAttr('alpha', SELU_ALPHA);
  const gamma = ctx.floatAttr('gamma', SELU_GAMMA);
  if (!near(alpha, SELU_ALPHA) || !near(gamma, SELU_GAMMA)) ctx.fail(m.unsupportedAttr('alpha, gamma', [alpha, gamma], 'convlab\'s selu has the fixed constants of Klambauer et al.'), 'attribute');
  return [activation(ctx, 'selu')];
};

/**
 * convlab's exporter follows a MaxPool `X` fed by a zero Pad with `X/zero_border`, a Max with a
 * constant map that keeps the border's zeros under ONNX Runtime's Pad fusion; it is the pool's
 * own output, so it goes back into it. Any other Max of a computed tensor has no convlab layer.
 */
const Max: Converter = (ctx) => {
  const x = ctx.tensor(0, 'input 0', { layouts: ['nchw'] });
  const p = ctx.producer(x);
  if (!p || p.spec.op !== 'MaxPool2D' || ctx.node.name !== `${p.onnxName}/zero_border` || !ctx.soleUse(x)) return ctx.fail(m.foldOnly('Max'));
  return [x];
};

/** Converters of computing ops. */
export const COMPUTE_OPS: Record<string, Converter> = {
  Conv,
  MaxPool: pool('MaxPool2D'),
  AveragePool: pool('AvgPool2D'),
  GlobalAveragePool: globalPool('GlobalAvgPool'),
  GlobalMaxPool: globalPool('GlobalMaxPool'),
  Gemm,
  MatMul,
  BatchNormalization,
  LRN,
  Relu: unaryAct('relu'),
  Sigmoid: unaryAct('sigmoid'),
  Tanh: unaryAct('tanh'),
  HardSwish: unaryAct('hard_swish'),
  HardSigmoid,
  Clip,
  Softmax,
  Gelu,
  Dropout,
  ConvTranspose,
  Max,
  PRelu,
  LeakyRelu: alphaActivation('leaky_relu', 0.01),
  Elu: alphaActivation('elu', 1),
  Selu,
};
