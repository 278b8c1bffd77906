/**
 * The one geometry helper for windowed ops (conv, depthwise, pooling). Shape inference, cost
 * rules, receptive field and both runtimes read this object, as tfjs' computeConv2DInfo.
 */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Shape } from '../graph/types.js';
import type { Padding, ReceptiveField } from './types.js';

/** What every kernel geometry resolves: input size, kernel, strides, dilation and the dilated extent. */
interface KernelGeometry {
  inH: number;
  inW: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  /** Dilated kernel extent: (k-1)·d + 1. */
  effKh: number;
  effKw: number;
}

/** Resolved geometry of a 2-D window over an NHWC input. */
export interface WindowGeometry extends KernelGeometry {
  /** Padding actually applied before the window starts, per side. */
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
  /** Extra bottom/right reach that ceil mode adds beyond the declared padding. */
  ceilExtraH: number;
  ceilExtraW: number;
  outH: number;
  outW: number;
}

export interface WindowParams {
  kernel: [number, number];
  strides: [number, number];
  dilation?: [number, number];
  padding: Padding;
  ceilMode?: boolean;
}

function axis(
  name: 'height' | 'width',
  size: number,
  k: number,
  s: number,
  d: number,
  pad: 'valid' | 'same' | [number, number],
  ceil: boolean,
): { out: number; before: number; after: number; extra: number; eff: number } {
  const eff = (k - 1) * d + 1;
  if (pad === 'same') {
    const out = Math.ceil(size / s);
    const total = Math.max((out - 1) * s + eff - size, 0);
    const before = Math.floor(total / 2);
    return { out, before, after: total - before, extra: 0, eff };
  }
  const [before, after] = pad === 'valid' ? [0, 0] : pad;
  const span = size + before + after;
  if (eff > span) throw new OpRuleError('shape', messages.kernelTooLarge(name, eff, span), 'kernelSize');
  let out = (ceil ? Math.ceil((span - eff) / s) : Math.floor((span - eff) / s)) + 1;
  // PyTorch/ONNX rule: in ceil mode the last window must start inside the input or the leading padding.
  if (ceil && (out - 1) * s >= size + before) out -= 1;
  const reach = (out - 1) * s + eff;
  return { out, before, after, extra: Math.max(reach - span, 0), eff };
}

/** Computes output size and padding of a window op on an [H, W, C] input. */
export function windowGeometry(input: Shape, p: WindowParams): WindowGeometry {
  if (input.length !== 3) throw new OpRuleError('shape', messages.inputRank('rank 3 [H, W, C]', input));
  const [inH, inW] = input as [number, number, number];
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.strides;
  const [dh, dw] = p.dilation ?? [1, 1];
  const padH = p.padding === 'valid' || p.padding === 'same' ? p.padding : ([p.padding[0], p.padding[1]] as [number, number]);
  const padW = p.padding === 'valid' || p.padding === 'same' ? p.padding : ([p.padding[2], p.padding[3]] as [number, number]);
  const h = axis('height', inH, kh, sh, dh, padH, p.ceilMode ?? false);
  const w = axis('width', inW, kw, sw, dw, padW, p.ceilMode ?? false);
  return {
    inH, inW, kh, kw, sh, sw, dh, dw,
    effKh: h.eff, effKw: w.eff,
    padTop: h.before, padBottom: h.after, padLeft: w.before, padRight: w.after,
    ceilExtraH: h.extra, ceilExtraW: w.extra,
    outH: h.out, outW: w.out,
  };
}

/** Receptive-field transfer through a window: size grows by (k_eff-1)·jump, jump multiplies by stride. */
export function windowReceptiveField(rf: ReceptiveField, g: WindowGeometry): ReceptiveField {
  const k = [g.effKh, g.effKw];
  const s = [g.sh, g.sw];
  const p = [g.padTop, g.padLeft];
  const ax = (i: 0 | 1) => ({
    size: rf.size[i] + (k[i]! - 1) * rf.jump[i],
    jump: rf.jump[i] * s[i]!,
    start: rf.start[i] + ((k[i]! - 1) / 2 - p[i]!) * rf.jump[i],
  });
  const h = ax(0);
  const w = ax(1);
  return { size: [h.size, w.size], jump: [h.jump, w.jump], start: [h.start, w.start], ...(rf.disagree ? { disagree: true } : {}) };
}

/** Receptive field after a window that covers the whole [H, W] map (global pooling, flatten). */
export function globalReceptiveField(rf: ReceptiveField, input: Shape): ReceptiveField {
  if (input.length < 3) return rf;
  const [h, w] = input as [number, number];
  return windowReceptiveField(rf, {
    inH: h, inW: w, kh: h, kw: w, sh: h, sw: w, dh: 1, dw: 1, effKh: h, effKw: w,
    padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, ceilExtraH: 0, ceilExtraW: 0, outH: 1, outW: 1,
  });
}

/** Resolved geometry of a transposed convolution over an NHWC input, per axis. */
export interface TransposeGeometry extends KernelGeometry {
  /** Rows / columns cut from the start of the full output (the padding of the forward conv). */
  cropTop: number;
  cropLeft: number;
  /** Length of the full output, (in - 1)·s + (k - 1)·d + 1, before cropping. */
  fullH: number;
  fullW: number;
  outH: number;
  outW: number;
}

export interface TransposeParams {
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: Padding;
  /** Extra rows / columns at the end (Keras output_padding, ONNX output_padding); null: Keras' rule. */
  outputPadding: [number, number] | null;
}

function transposeAxis(
  name: 'height' | 'width', size: number, k: number, s: number, d: number, pad: 'valid' | 'same' | [number, number], extra: number | null,
): { out: number; crop: number; full: number; eff: number } {
  const eff = (k - 1) * d + 1;
  const full = (size - 1) * s + eff;
  if (extra !== null && extra >= Math.max(s, d)) throw new OpRuleError('attribute', messages.outputPaddingTooLarge(name, extra, s, d), 'outputPadding');
  let out: number;
  let crop: number;
  if (pad === 'valid') {
    // Keras' deconv_output_length: without output_padding a stride above the kernel leaves a gap of s - k zeros.
    out = extra === null ? size * s + Math.max(eff - s, 0) : full + extra;
    crop = 0;
  } else if (pad === 'same') {
    out = extra === null ? size * s : full - 2 * Math.floor(eff / 2) + extra;
    // The forward conv's 'same' padding for an input of `out`: the odd unit goes at the end.
    crop = Math.floor(Math.max(full - out, 0) / 2);
  } else {
    out = full - pad[0] - pad[1] + (extra ?? 0);
    crop = pad[0];
  }
  if (out < 1) throw new OpRuleError('shape', messages.transposeEmpty(name, size, out), 'padding');
  return { out, crop, full, eff };
}

/**
 * Output size and cropping of a transposed convolution: input unit i, kernel tap j lands on
 * output (i·s + j·d) - crop; positions past the full output (output padding) get only the bias.
 */
export function transposeGeometry(input: Shape, p: TransposeParams): TransposeGeometry {
  if (input.length !== 3) throw new OpRuleError('shape', messages.inputRank('rank 3 [H, W, C]', input));
  const [inH, inW] = input as [number, number, number];
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.strides;
  const [dh, dw] = p.dilation;
  const padH = typeof p.padding === 'string' ? p.padding : ([p.padding[0], p.padding[1]] as [number, number]);
  const padW = typeof p.padding === 'string' ? p.padding : ([p.padding[2], p.padding[3]] as [number, number]);
  const h = transposeAxis('height', inH, kh, sh, dh, padH, p.outputPadding?.[0] ?? null);
  const w = transposeAxis('width', inW, kw, sw, dw, padW, p.outputPadding?.[1] ?? null);
  return {
    inH, inW, kh, kw, sh, sw, dh, dw, effKh: h.eff, effKw: w.eff,
    cropTop: h.crop, cropLeft: w.crop, fullH: h.full, fullW: w.full, outH: h.out, outW: w.out,
  };
}

/** Receptive field through a transposed conv: jump divides by the stride; each output sees ⌈k_eff / s⌉ inputs. */
export function transposeReceptiveField(rf: ReceptiveField, g: TransposeGeometry): ReceptiveField {
  const ax = (i: 0 | 1) => {
    const [eff, s, crop] = i === 0 ? [g.effKh, g.sh, g.cropTop] : [g.effKw, g.sw, g.cropLeft];
    return {
      size: rf.size[i] + (Math.ceil(eff / s) - 1) * rf.jump[i],
      jump: rf.jump[i] / s,
      start: rf.start[i] + ((crop - (eff - 1) / 2) / s) * rf.jump[i],
    };
  };
  const h = ax(0);
  const w = ax(1);
  return { size: [h.size, w.size], jump: [h.jump, w.jump], start: [h.start, w.start], ...(rf.disagree ? { disagree: true } : {}) };
}
