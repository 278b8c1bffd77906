/**
 * A small, deliberately plain NHWC reference implementation of every convlab op, in float64, for
 * numerical checks of the runtimes. It shares nothing with the exporter: geometry (same / valid /
 * explicit padding, ceil mode) is worked out here again from the attributes, loops are naive.
 */
import { resolveGraph, type Graph, type ResolvedNode } from '../../src/graph/graph.js';
import type { GraphSpec } from '../../src/graph/types.js';
import type { ActivationFn, Padding } from '../../src/ops/types.js';

/** A batch tensor: shape includes the batch dimension first. */
export interface RefTensor {
  shape: number[];
  data: Float64Array;
}

type Weights = Map<string, Float32Array>;
type Attrs = Record<string, any>;

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const zeros = (shape: number[]): RefTensor => ({ shape, data: new Float64Array(size(shape)) });

/** One spatial axis of a window: output length and padding before / after, as Keras and PyTorch define them. */
function axis(n: number, k: number, s: number, d: number, pad: 'same' | 'valid' | [number, number], ceil: boolean) {
  const eff = (k - 1) * d + 1;
  if (pad === 'same') {
    const out = Math.ceil(n / s);
    const total = Math.max((out - 1) * s + eff - n, 0);
    return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
  }
  const [before, after] = pad === 'valid' ? [0, 0] : pad;
  const span = n + before + after - eff;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= n + before) out -= 1;
  return { out, before, after };
}

function window(x: RefTensor, k: [number, number], s: [number, number], d: [number, number], padding: Padding, ceil = false) {
  const ph: 'same' | 'valid' | [number, number] = typeof padding === 'string' ? padding : [padding[0], padding[1]];
  const pw: 'same' | 'valid' | [number, number] = typeof padding === 'string' ? padding : [padding[2], padding[3]];
  return { h: axis(x.shape[1]!, k[0], s[0], d[0], ph, ceil), w: axis(x.shape[2]!, k[1], s[1], d[1], pw, ceil) };
}

function conv(x: RefTensor, kernel: Float32Array, bias: Float32Array | null, a: Attrs, groups: number, filters: number): RefTensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [kh, kw] = a.kernelSize as [number, number];
  const [sh, sw] = a.strides as [number, number];
  const [dh, dw] = (a.dilation ?? [1, 1]) as [number, number];
  const g = window(x, [kh, kw], [sh, sw], [dh, dw], a.padding);
  const cg = C / groups;
  const kg = filters / groups;
  const y = zeros([N, g.h.out, g.w.out, filters]);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < g.h.out; oh++)
      for (let ow = 0; ow < g.w.out; ow++)
        for (let f = 0; f < filters; f++) {
          const grp = Math.floor(f / kg);
          let acc = bias ? bias[f]! : 0;
          for (let i = 0; i < kh; i++) {
            const ih = oh * sh - g.h.before + i * dh;
            if (ih < 0 || ih >= H) continue;
            for (let j = 0; j < kw; j++) {
              const iw = ow * sw - g.w.before + j * dw;
              if (iw < 0 || iw >= W) continue;
              for (let c = 0; c < cg; c++) acc += x.data[((n * H + ih) * W + iw) * C + grp * cg + c]! * kernel[((i * kw + j) * cg + c) * filters + f]!;
            }
          }
          y.data[((n * g.h.out + oh) * g.w.out + ow) * filters + f] = acc;
        }
  return y;
}

function depthwise(x: RefTensor, kernel: Float32Array, bias: Float32Array | null, a: Attrs): RefTensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const dm = a.depthMultiplier as number;
  const [kh, kw] = a.kernelSize as [number, number];
  const [sh, sw] = a.strides as [number, number];
  const [dh, dw] = a.dilation as [number, number];
  const g = window(x, [kh, kw], [sh, sw], [dh, dw], a.padding);
  const y = zeros([N, g.h.out, g.w.out, C * dm]);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < g.h.out; oh++)
      for (let ow = 0; ow < g.w.out; ow++)
        for (let c = 0; c < C; c++)
          for (let m = 0; m < dm; m++) {
            let acc = bias ? bias[c * dm + m]! : 0;
            for (let i = 0; i < kh; i++) {
              const ih = oh * sh - g.h.before + i * dh;
              if (ih < 0 || ih >= H) continue;
              for (let j = 0; j < kw; j++) {
                const iw = ow * sw - g.w.before + j * dw;
                if (iw < 0 || iw >= W) continue;
                acc += x.data[((n * H + ih) * W + iw) * C + c]! * kernel[((i * kw + j) * C + c) * dm + m]!;
              }
            }
            y.data[((n * g.h.out + oh) * g.w.out + ow) * C * dm + c * dm + m] = acc;
          }
  return y;
}

function pool(x: RefTensor, a: Attrs, max: boolean): RefTensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const k = a.poolSize as [number, number];
  const s = (a.strides ?? a.poolSize) as [number, number];
  const d = (a.dilation ?? [1, 1]) as [number, number];
  const g = window(x, k, s, d, a.padding, a.ceilMode);
  const y = zeros([N, g.h.out, g.w.out, C]);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < g.h.out; oh++)
      for (let ow = 0; ow < g.w.out; ow++) {
        const h0 = oh * s[0] - g.h.before;
        const w0 = ow * s[1] - g.w.before;
        for (let c = 0; c < C; c++) {
          let acc = max ? -Infinity : 0;
          let count = 0;
          let padded = 0;
          for (let ih = h0; ih < h0 + k[0] * d[0]; ih += d[0])
            for (let iw = w0; iw < w0 + k[1] * d[1]; iw += d[1]) {
              // PyTorch's rule: declared padding counts when countIncludePad, the ceil-mode overhang never does.
              if (ih >= -g.h.before && ih < H + g.h.after && iw >= -g.w.before && iw < W + g.w.after) padded++;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              const v = x.data[((n * H + ih) * W + iw) * C + c]!;
              acc = max ? Math.max(acc, v) : acc + v;
              count++;
            }
          y.data[((n * g.h.out + oh) * g.w.out + ow) * C + c] = max ? acc : acc / (a.countIncludePad ? padded : count);
        }
      }
  return y;
}

/** erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const p = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const r = 1 - p * Math.exp(-x * x);
  return x >= 0 ? r : -r;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const relu6 = (v: number) => Math.min(Math.max(v, 0), 6);

/** Applies an activation; softmax runs over the last axis; `alpha` is leaky_relu's slope or elu's α. */
export function activation(x: RefTensor, fn: ActivationFn, alpha: number | null = null): RefTensor {
  const y: RefTensor = { shape: [...x.shape], data: new Float64Array(x.data.length) };
  if (fn === 'softmax') {
    const c = x.shape[x.shape.length - 1]!;
    for (let base = 0; base < x.data.length; base += c) {
      let m = -Infinity;
      for (let i = 0; i < c; i++) m = Math.max(m, x.data[base + i]!);
      let sum = 0;
      for (let i = 0; i < c; i++) sum += Math.exp(x.data[base + i]! - m);
      for (let i = 0; i < c; i++) y.data[base + i] = Math.exp(x.data[base + i]! - m) / sum;
    }
    return y;
  }
  const f: Record<Exclude<ActivationFn, 'softmax'>, (v: number) => number> = {
    linear: (v) => v,
    relu: (v) => Math.max(v, 0),
    relu6,
    sigmoid,
    tanh: Math.tanh,
    hard_sigmoid: (v) => relu6(v + 3) / 6,
    swish: (v) => v * sigmoid(v),
    hard_swish: (v) => (v * relu6(v + 3)) / 6,
    gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
    leaky_relu: (v) => (v >= 0 ? v : (alpha ?? 0.2) * v),
    elu: (v) => (v >= 0 ? v : (alpha ?? 1) * (Math.exp(v) - 1)),
    // Klambauer et al.'s constants.
    selu: (v) => 1.0507009873554805 * (v >= 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1)),
  };
  const fn1 = f[fn];
  for (let i = 0; i < x.data.length; i++) y.data[i] = fn1(x.data[i]!);
  return y;
}

function dense(x: RefTensor, kernel: Float32Array, bias: Float32Array | null, units: number): RefTensor {
  const nin = x.shape[x.shape.length - 1]!;
  const rows = x.data.length / nin;
  const y = zeros([...x.shape.slice(0, -1), units]);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < units; o++) {
      let acc = bias ? bias[o]! : 0;
      for (let i = 0; i < nin; i++) acc += x.data[r * nin + i]! * kernel[i * units + o]!;
      y.data[r * units + o] = acc;
    }
  return y;
}

/** Per-channel affine map over the last axis: y = x·scale[c] + shift[c]. */
function perChannel(x: RefTensor, scale: (c: number) => number, shift: (c: number) => number): RefTensor {
  const c = x.shape[x.shape.length - 1]!;
  const y: RefTensor = { shape: [...x.shape], data: new Float64Array(x.data.length) };
  for (let i = 0; i < x.data.length; i++) y.data[i] = x.data[i]! * scale(i % c) + shift(i % c);
  return y;
}

function lrn(x: RefTensor, a: Attrs): RefTensor {
  const c = x.shape[x.shape.length - 1]!;
  const lo = Math.floor((a.size - 1) / 2);
  const hi = Math.ceil((a.size - 1) / 2);
  const y: RefTensor = { shape: [...x.shape], data: new Float64Array(x.data.length) };
  for (let base = 0; base < x.data.length; base += c)
    for (let k = 0; k < c; k++) {
      let sum = 0;
      for (let j = Math.max(0, k - lo); j <= Math.min(c - 1, k + hi); j++) sum += x.data[base + j]! ** 2;
      y.data[base + k] = x.data[base + k]! / (a.bias + a.alpha * sum) ** a.beta;
    }
  return y;
}

/**
 * Reflect or edge padding of an NHWC map by folding each index back into the map: numpy's
 * 'reflect' (mirror about the edge unit) and 'edge' (repeat it), which ONNX's Pad follows.
 */
function borderPad(x: RefTensor, [t, b, l, r]: number[], mode: string): RefTensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const oh = H + t! + b!;
  const ow = W + l! + r!;
  const fold = (i: number, size: number): number => {
    if (mode === 'edge') return i < 0 ? 0 : i >= size ? size - 1 : i;
    let k = i;
    while (k < 0 || k >= size) k = k < 0 ? -k : 2 * size - 2 - k;
    return k;
  };
  const y = zeros([N, oh, ow, C]);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let c = 0; c < C; c++) y.data[((n * oh + i) * ow + j) * C + c] = x.data[((n * H + fold(i - t!, H)) * W + fold(j - l!, W)) * C + c]!;
  return y;
}

function pad2d(x: RefTensor, [t, b, l, r]: number[], crop: boolean, value = 0): RefTensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const sign = crop ? -1 : 1;
  const oh = H + sign * (t! + b!);
  const ow = W + sign * (l! + r!);
  const y = zeros([N, oh, ow, C]);
  y.data.fill(value);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const ih = i - sign * t!;
        const iw = j - sign * l!;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        for (let c = 0; c < C; c++) y.data[((n * oh + i) * ow + j) * C + c] = x.data[((n * H + ih) * W + iw) * C + c]!;
      }
  return y;
}

function concat(xs: RefTensor[], axisNoBatch: number): RefTensor {
  const rank = xs[0]!.shape.length;
  const ax = (axisNoBatch < 0 ? rank - 1 + axisNoBatch : axisNoBatch) + 1;
  const outer = size(xs[0]!.shape.slice(0, ax));
  const inner = size(xs[0]!.shape.slice(ax + 1));
  const total = xs.reduce((s, x) => s + x.shape[ax]!, 0);
  const shape = [...xs[0]!.shape];
  shape[ax] = total;
  const y = zeros(shape);
  for (let o = 0; o < outer; o++) {
    let off = 0;
    for (const x of xs) {
      const len = x.shape[ax]! * inner;
      y.data.set(x.data.subarray(o * len, (o + 1) * len), o * total * inner + off);
      off += len;
    }
  }
  return y;
}

/** Elementwise binary op with NumPy broadcasting of equal-rank shapes. */
function broadcast(a: RefTensor, b: RefTensor, f: (x: number, y: number) => number): RefTensor {
  const shape = a.shape.map((d, i) => Math.max(d, b.shape[i]!));
  const y = zeros(shape);
  const strides = (s: number[]) => s.map((_, i) => (s[i] === 1 ? 0 : size(s.slice(i + 1))));
  const sa = strides(a.shape);
  const sb = strides(b.shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < y.data.length; i++) {
    let rem = i;
    for (let k = shape.length - 1; k >= 0; k--) {
      idx[k] = rem % shape[k]!;
      rem = Math.floor(rem / shape[k]!);
    }
    const ia = idx.reduce((s, v, k) => s + v * sa[k]!, 0);
    const ib = idx.reduce((s, v, k) => s + v * sb[k]!, 0);
    y.data[i] = f(a.data[ia]!, b.data[ib]!);
  }
  return y;
}

/** Reorders the axes after the batch: output axis i is input axis dims[i]. */
function permute(x: RefTensor, dims: number[]): RefTensor {
  const perm = [0, ...dims.map((d) => d + 1)];
  const shape = perm.map((p) => x.shape[p]!);
  const stride = x.shape.map((_, k) => x.shape.slice(k + 1).reduce((s, d) => s * d, 1));
  const y = zeros(shape);
  for (let i = 0; i < y.data.length; i++) {
    let rem = i;
    let at = 0;
    for (let k = shape.length - 1; k >= 0; k--) {
      at += (rem % shape[k]!) * stride[perm[k]!]!;
      rem = Math.floor(rem / shape[k]!);
    }
    y.data[i] = x.data[at]!;
  }
  return y;
}

/** Output length and leading crop of a transposed conv along one axis, by Keras' and ONNX's rules. */
function transposeAxis(n: number, k: number, s: number, d: number, pad: 'same' | 'valid' | [number, number], op: number | null) {
  const eff = (k - 1) * d + 1;
  const full = (n - 1) * s + eff;
  if (pad === 'valid') return { out: op === null ? n * s + Math.max(eff - s, 0) : full + op, crop: 0 };
  if (pad === 'same') {
    const out = op === null ? n * s : full - 2 * Math.floor(eff / 2) + op;
    return { out, crop: Math.floor(Math.max(full - out, 0) / 2) };
  }
  return { out: full - pad[0] - pad[1] + (op ?? 0), crop: pad[0] };
}

/** Scatters every input unit through the kernel: output (i·s + j·d - crop) += x[i]·w[j]. */
function convTranspose(x: RefTensor, kernel: Float32Array, bias: Float32Array | null, a: Attrs): RefTensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [kh, kw] = a.kernelSize as [number, number];
  const [sh, sw] = a.strides as [number, number];
  const [dh, dw] = a.dilation as [number, number];
  const p = a.padding as Padding;
  const op = a.outputPadding as [number, number] | null;
  const gh = transposeAxis(H, kh, sh, dh, typeof p === 'string' ? p : [p[0], p[1]], op?.[0] ?? null);
  const gw = transposeAxis(W, kw, sw, dw, typeof p === 'string' ? p : [p[2], p[3]], op?.[1] ?? null);
  const K = a.filters as number;
  const groups = a.groups as number;
  const kg = K / groups;
  const cg = C / groups;
  const y = zeros([N, gh.out, gw.out, K]);
  for (let n = 0; n < N; n++) {
    if (bias) for (let q = 0; q < gh.out * gw.out; q++) for (let f = 0; f < K; f++) y.data[(n * gh.out * gw.out + q) * K + f] = bias[f]!;
    for (let ih = 0; ih < H; ih++)
      for (let iw = 0; iw < W; iw++)
        for (let c = 0; c < C; c++) {
          const v = x.data[((n * H + ih) * W + iw) * C + c]!;
          const grp = Math.floor(c / cg);
          for (let i = 0; i < kh; i++) {
            const oh = ih * sh + i * dh - gh.crop;
            if (oh < 0 || oh >= gh.out) continue;
            for (let j = 0; j < kw; j++) {
              const ow = iw * sw + j * dw - gw.crop;
              if (ow < 0 || ow >= gw.out) continue;
              for (let o = 0; o < kg; o++) {
                const at = ((n * gh.out + oh) * gw.out + ow) * K + grp * kg + o;
                y.data[at] = y.data[at]! + v * kernel[((i * kw + j) * kg + o) * C + c]!;
              }
            }
          }
        }
  }
  return y;
}

/**
 * ONNX Resize along one axis as ONNX's own reference reads it: the position by the coordinate
 * mode (lengths unfloored), the n nearest units of an edge-padded axis (2 for nearest and linear,
 * 4 for cubic; ties to the lower unit), their coefficients from the fraction (1 when the position
 * is whole), and exclude_outside. Convlab's plain nearest (no rounding) is ⌊o·in/out⌋.
 * Returns per output unit its units and weights, or null outside a crop.
 */
function resizeAxis(size: number, out: number, a: Attrs, axis: 0 | 1): Array<{ units: number[]; weights: number[] } | null> {
  const rows: Array<{ units: number[]; weights: number[] } | null> = [];
  for (let o = 0; o < out; o++) {
    if (a.mode === 'nearest' && a.rounding === null) {
      rows.push({ units: [Math.min(Math.floor((o * size) / out), size - 1)], weights: [1] });
      continue;
    }
    const scale: number = a.scale ? a.scale[axis] : out / size;
    const length = scale * size;
    let x: number;
    if (a.coordinates === 'align_corners') x = length === 1 ? 0 : (o * (size - 1)) / (length - 1);
    else if (a.coordinates === 'asymmetric') x = o / scale;
    else if (a.coordinates === 'pytorch_half_pixel') x = length === 1 ? -0.5 : (o + 0.5) / scale - 0.5;
    else if (a.coordinates === 'tf_half_pixel_for_nn') x = (o + 0.5) / scale;
    else if (a.coordinates === 'tf_crop_and_resize') {
      const [r0, r1] = [a.roi[axis], a.roi[axis + 2]];
      x = (length === 1 ? ((r1 - r0) * (size - 1)) / 2 : (o * (r1 - r0) * (size - 1)) / (length - 1)) + r0 * (size - 1);
      if (x < 0 || x > size - 1) {
        rows.push(null);
        continue;
      }
    } else x = (o + 0.5) / scale - 0.5;
    const ratio = Number.isInteger(x) ? 1 : x - Math.floor(x);
    let coeffs: number[];
    if (a.mode === 'bilinear') coeffs = [1 - ratio, ratio];
    else if (a.mode === 'bicubic') {
      const A: number = a.cubicA;
      const far = (t: number) => ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
      const near = (t: number) => ((A + 2) * t - (A + 3)) * t * t + 1;
      coeffs = [far(ratio + 1), near(ratio), near(1 - ratio), far(2 - ratio)];
    } else if (ratio === 1) coeffs = [0, 1];
    else {
      const up = { round_prefer_floor: ratio > 0.5, round_prefer_ceil: ratio >= 0.5, floor: false, ceil: true }[a.rounding as string];
      coeffs = up ? [0, 1] : [1, 0];
    }
    const n = coeffs.length;
    // The n units nearest x, ties to the lower one, in ascending order.
    const candidates: number[] = [];
    for (let i = Math.floor(x) - n; i <= Math.ceil(x) + n; i++) candidates.push(i);
    candidates.sort((p, q) => Math.abs(x - p) - Math.abs(x - q) || p - q);
    const units = candidates.slice(0, n).sort((p, q) => p - q);
    if (a.excludeOutside) {
      coeffs = coeffs.map((c, k) => (units[k]! < 0 || units[k]! >= size ? 0 : c));
      const total = coeffs.reduce((p, q) => p + q, 0);
      coeffs = coeffs.map((c) => c / total);
    }
    rows.push({ units: units.map((u) => Math.min(Math.max(u, 0), size - 1)), weights: coeffs });
  }
  return rows;
}

/** ONNX Resize of an NHWC map, separably: rows, then columns (ONNX's reference nests the axes the same way). */
function resize(x: RefTensor, out: [number, number], a: Attrs): RefTensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [oh, ow] = out;
  const rows = resizeAxis(H, oh, a, 0);
  const cols = resizeAxis(W, ow, a, 1);
  const y = zeros([N, oh, ow, C]);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let c = 0; c < C; c++) {
          const r = rows[i]!;
          const q = cols[j]!;
          let v = a.extrapolation as number;
          if (r && q) {
            v = 0;
            r.units.forEach((u, ku) => q.units.forEach((t, kt) => { v += r.weights[ku]! * q.weights[kt]! * x.data[((n * H + u) * W + t) * C + c]!; }));
          }
          y.data[((n * oh + i) * ow + j) * C + c] = v;
        }
  return y;
}

/** torchvision's adaptive average pooling, bins [⌊i·H/o⌋, ⌈(i+1)·H/o⌉), straight from its definition. */
function adaptiveAvg(x: RefTensor, [oh, ow]: [number, number]): RefTensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const y = zeros([N, oh, ow, C]);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const [h0, h1] = [Math.floor((i * H) / oh), Math.ceil(((i + 1) * H) / oh)];
        const [w0, w1] = [Math.floor((j * W) / ow), Math.ceil(((j + 1) * W) / ow)];
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let r = h0; r < h1; r++) for (let q = w0; q < w1; q++) sum += x.data[((n * H + r) * W + q) * C + c]!;
          y.data[((n * oh + i) * ow + j) * C + c] = sum / ((h1 - h0) * (w1 - w0));
        }
      }
  return y;
}

function evalNode(node: ResolvedNode, xs: RefTensor[], w: (name: string) => Float32Array): RefTensor {
  const a = node.attrs as Attrs;
  const x = xs[0]!;
  const N = x.shape[0]!;
  const act = (y: RefTensor) => activation(y, a.activation as ActivationFn);
  const channels = x.shape[x.shape.length - 1]!;
  switch (node.op) {
    case 'Conv2D':
      return act(conv(x, w('kernel'), a.useBias ? w('bias') : null, a, a.groups, a.filters));
    case 'DepthwiseConv2D':
      return act(depthwise(x, w('depthwise_kernel'), a.useBias ? w('bias') : null, a));
    case 'SeparableConv2D': {
      const d = depthwise(x, w('depthwise_kernel'), null, a);
      return act(conv(d, w('pointwise_kernel'), a.useBias ? w('bias') : null, { kernelSize: [1, 1], strides: [1, 1], padding: 'valid' }, 1, a.filters));
    }
    case 'Dense':
      return act(dense(x, w('kernel'), a.useBias ? w('bias') : null, a.units));
    case 'MaxPool2D':
      return pool(x, a, true);
    case 'AvgPool2D':
      return pool(x, a, false);
    case 'GlobalAvgPool':
    case 'GlobalMaxPool': {
      const [, H, W, C] = x.shape as [number, number, number, number];
      const y = zeros(a.keepDims ? [N, 1, 1, C] : [N, C]);
      for (let n = 0; n < N; n++)
        for (let c = 0; c < C; c++) {
          let acc = node.op === 'GlobalMaxPool' ? -Infinity : 0;
          for (let p = 0; p < H * W; p++) {
            const v = x.data[(n * H * W + p) * C + c]!;
            acc = node.op === 'GlobalMaxPool' ? Math.max(acc, v) : acc + v;
          }
          y.data[n * C + c] = node.op === 'GlobalMaxPool' ? acc : acc / (H * W);
        }
      return y;
    }
    case 'BatchNorm': {
      const c = x.shape[x.shape.length - 1]!;
      const gamma = a.scale ? w('gamma') : new Float32Array(c).fill(1);
      const beta = a.center ? w('beta') : new Float32Array(c);
      const mean = w('moving_mean');
      const variance = w('moving_variance');
      const scale = (k: number) => gamma[k]! / Math.sqrt(variance[k]! + a.epsilon);
      return perChannel(x, scale, (k) => beta[k]! - mean[k]! * scale(k));
    }
    case 'LRN':
      return lrn(x, a);
    case 'Dropout':
      return x;
    case 'Flatten':
    case 'Reshape':
      return { shape: [N, ...node.outputShape], data: x.data };
    case 'Permute':
      return permute(x, a.dims);
    case 'ZeroPadding2D':
      return pad2d(x, a.padding, false);
    case 'Cropping2D':
      return pad2d(x, a.cropping, true);
    case 'Add':
      return xs.slice(1).reduce((s, t) => broadcast(s, t, (p, q) => p + q), x);
    case 'Multiply':
      return xs.slice(1).reduce((s, t) => broadcast(s, t, (p, q) => p * q), x);
    case 'ScaledAdd':
      return broadcast(x, xs[1]!, (p, q) => p + a.scale * q);
    case 'Concat':
      return concat(xs, a.axis);
    case 'Rescaling':
      return perChannel(x, () => a.scale, () => a.offset);
    case 'Normalization': {
      const mean = w('mean');
      const variance = w('variance');
      const denom = (k: number) => Math.max(Math.sqrt(variance[k]!), 1e-7);
      return perChannel(x, (k) => 1 / denom(k), (k) => -mean[k]! / denom(k));
    }
    case 'Activation':
      if (a.fn === 'softmax' && a.axis !== -1 && a.axis !== x.shape.length - 2) throw new Error('the reference takes softmax over the last axis only');
      return activation(x, a.fn, a.alpha);
    case 'PReLU': {
      const alpha = w('alpha');
      const y: RefTensor = { shape: [...x.shape], data: new Float64Array(x.data.length) };
      for (let i = 0; i < x.data.length; i++) y.data[i] = x.data[i]! >= 0 ? x.data[i]! : alpha[i % channels]! * x.data[i]!;
      return y;
    }
    case 'Conv2DTranspose':
      return act(convTranspose(x, w('kernel'), a.useBias ? w('bias') : null, a));
    case 'ConstantPad2D':
      return pad2d(x, a.padding, false, a.value);
    case 'BorderPad2D':
      return borderPad(x, a.padding, a.mode);
    case 'Resize':
      return resize(x, a.scale ? [Math.floor(x.shape[1]! * a.scale[0]), Math.floor(x.shape[2]! * a.scale[1])] : a.size, a);
    case 'Split': {
      const start = (a.splits as number[]).slice(0, a.index).reduce((p: number, q: number) => p + q, 0);
      const len = a.splits[a.index] as number;
      const rows = x.data.length / channels;
      const y = zeros([...x.shape.slice(0, -1), len]);
      for (let r = 0; r < rows; r++) for (let k = 0; k < len; k++) y.data[r * len + k] = x.data[r * channels + start + k]!;
      return y;
    }
    case 'AdaptiveAvgPool':
      return adaptiveAvg(x, a.outputSize);
  }
}

/** Runs a graph on NHWC inputs with Keras-layout weights; returns every graph output. */
export function runReference(source: Graph | GraphSpec, weights: Weights, inputs: Record<string, RefTensor>): Record<string, RefTensor> {
  const graph = 'shapes' in source ? source : resolveGraph(source);
  const values = new Map<string, RefTensor>();
  for (const inp of graph.inputs) values.set(inp.name, inputs[inp.name]!);
  for (const node of graph.nodes) {
    const w = (name: string) => {
      const t = weights.get(`${node.name}/${name}`);
      if (!t) throw new Error(`reference: no weight ${node.name}/${name}`);
      return t;
    };
    const y = evalNode(node, node.inputs.map((i) => values.get(i)!), w);
    const expected = [y.shape[0]!, ...node.outputShape];
    if (expected.join() !== y.shape.join()) throw new Error(`reference: ${node.name} gave shape [${y.shape}], graph says [${expected}]`);
    values.set(node.name, y);
  }
  return Object.fromEntries(graph.outputs.map((o) => [o, values.get(o)!]));
}
