/**
 * Resizing feature maps: Keras UpSampling2D and ONNX Resize (opset 10 to 13 semantics): nearest,
 * bilinear or bicubic, every ONNX coordinate mode, nearest rounding and crop. Which input units an
 * output unit reads, and with what weights, is worked out here only (`resizeTaps`): the runtimes'
 * lowerings and the receptive field take it from this file.
 */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Shape } from '../graph/types.js';
import { mul, v, zero } from './formula.js';
import { elements, noMacs, noWeights } from './common.js';
import { defineOp, OpType, type ReceptiveField } from './types.js';

/** How an output position maps to an input one (ONNX coordinate_transformation_mode). */
export const RESIZE_COORDINATES = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'tf_crop_and_resize'] as const;
export type ResizeCoordinates = (typeof RESIZE_COORDINATES)[number];

/** How nearest mode rounds a fractional input position (ONNX nearest_mode). */
export const RESIZE_ROUNDING = ['floor', 'ceil', 'round_prefer_floor', 'round_prefer_ceil'] as const;
export type ResizeRounding = (typeof RESIZE_ROUNDING)[number];

export const RESIZE_MODES = ['nearest', 'bilinear', 'bicubic'] as const;
export type ResizeMode = (typeof RESIZE_MODES)[number];

export interface ResizeAttrs {
  scale: [number, number] | null;
  size: [number, number] | null;
  mode: ResizeMode;
  coordinates: ResizeCoordinates;
  rounding: ResizeRounding | null;
  cubicA: number;
  excludeOutside: boolean;
  roi: [number, number, number, number] | null;
  extrapolation: number;
}

/** The attrs that decide positions and weights (what `resizeTaps` reads). */
export type ResizeSampling = Pick<ResizeAttrs, 'scale' | 'mode' | 'coordinates' | 'rounding' | 'cubicA' | 'excludeOutside' | 'roi'>;

/** The crop [start, end] along axis 0 (rows) or 1 (columns), as fractions of the map; the whole map without one. */
function cropOf(a: Pick<ResizeAttrs, 'coordinates' | 'roi'>, axis: 0 | 1): [number, number] {
  return a.coordinates === 'tf_crop_and_resize' && a.roi ? [a.roi[axis], a.roi[axis + 2]!] : [0, 1];
}

/** Output [H, W] of a Resize node on an input of [H, W, C]: the size, or ⌊in · scale⌋ as ONNX. */
export function resizeTarget(input: Shape, a: Pick<ResizeAttrs, 'scale' | 'size' | 'coordinates' | 'roi'>): [number, number] {
  if ((a.scale === null) === (a.size === null)) throw new OpRuleError('attribute', messages.resizeTarget(a.scale, a.size), a.scale === null ? 'size' : 'scale');
  if (a.coordinates === 'tf_crop_and_resize' && !a.roi) throw new OpRuleError('attribute', messages.resizeRoi(a.roi), 'roi');
  if (a.size) return [a.size[0], a.size[1]];
  // TensorFlow's crop_and_resize always names its output size; ONNX readers disagree on what scales give there.
  if (a.coordinates === 'tf_crop_and_resize') throw new OpRuleError('attribute', messages.resizeCropScale(a.scale), 'scale');
  const along = (axis: 0 | 1): number => {
    // Whole factors are exact; fractional ones floor like ONNX, forgiving float noise just under a whole number.
    const units = input[axis]! * a.scale![axis];
    const whole = Math.round(units);
    return Math.abs(units - whole) < 1e-9 * Math.max(1, units) ? whole : Math.floor(units);
  };
  const out: [number, number] = [along(0), along(1)];
  if (out.some((x) => x < 1)) throw new OpRuleError('attribute', messages.resizeEmpty(a.scale!, input), 'scale');
  return out;
}

/**
 * The input position output unit `o` samples along an axis of `size` → `out` units, in ONNX's
 * terms: the scale is the one given (fractional scales place samples by it) or out / size.
 * Unset rounding in nearest mode is ⌊o·size/out⌋ (Keras' UpSampling2D, PyTorch's nearest).
 */
export function sourceCoordinate(o: number, size: number, out: number, a: ResizeSampling, axis: 0 | 1): number {
  if (a.mode === 'nearest' && a.rounding === null) return Math.floor((o * size) / out);
  const scale = a.scale ? a.scale[axis] : out / size;
  // ONNX's output length before flooring: align_corners and pytorch_half_pixel read it, not the whole count.
  const length = a.scale ? a.scale[axis] * size : out;
  const single = Math.abs(length - 1) < 1e-9;
  switch (a.coordinates) {
    case 'half_pixel': return (o + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel': return single ? -0.5 : (o + 0.5) / scale - 0.5;
    case 'align_corners': return single ? 0 : (o * (size - 1)) / (length - 1);
    case 'asymmetric': return o / scale;
    case 'tf_half_pixel_for_nn': return (o + 0.5) / scale;
    case 'tf_crop_and_resize': {
      const [start, end] = cropOf(a, axis);
      return out > 1 ? start * (size - 1) + (o * (end - start) * (size - 1)) / (out - 1) : 0.5 * (start + end) * (size - 1);
    }
  }
}

/** Rounds a position to a unit by ONNX's nearest_mode. */
function rounded(x: number, r: ResizeRounding | null): number {
  if (r === null || r === 'floor') return Math.floor(x);
  if (r === 'ceil') return Math.ceil(x);
  // Ties go down (round_prefer_floor) or up (round_prefer_ceil); everything else to the nearest unit.
  return r === 'round_prefer_floor' ? Math.ceil(x - 0.5) : Math.floor(x + 0.5);
}

/** Keys' cubic convolution kernel with parameter A at distance d (ONNX cubic_coeff_a). */
function cubic(d: number, A: number): number {
  const t = Math.abs(d);
  if (t <= 1) return ((A + 2) * t - (A + 3)) * t * t + 1;
  if (t < 2) return ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
  return 0;
}

/** Input units one output unit reads along an axis, with their weights; `outside` when a crop samples past the map. */
export interface AxisTaps {
  index: number[];
  weight: number[];
  outside: boolean;
}

/** Taps per output unit and axis: 1 nearest, 2 bilinear, 4 bicubic. */
const tapCount = (mode: ResizeMode): number => (mode === 'nearest' ? 1 : mode === 'bilinear' ? 2 : 4);

/**
 * The input units output unit `o` reads along one axis and their weights (summing to 1). Taps
 * past an edge read the edge unit (ONNX's edge padding), or with `excludeOutside` drop out and
 * the rest are renormalized; a crop position outside [0, size - 1] reads nothing (the
 * extrapolation value fills it).
 */
export function resizeTaps(o: number, size: number, out: number, a: ResizeSampling, axis: 0 | 1): AxisTaps {
  const x = sourceCoordinate(o, size, out, a, axis);
  if (a.coordinates === 'tf_crop_and_resize' && (x < 0 || x > size - 1)) return { index: [], weight: [], outside: true };
  const clamp = (i: number): number => Math.min(Math.max(i, 0), size - 1);
  if (a.mode === 'nearest') return { index: [clamp(rounded(x, a.rounding))], weight: [1], outside: false };
  if (a.mode === 'bilinear') {
    // Linear taps on a clamped position equal edge padding: a position before 0 reads unit 0 only.
    const c = Math.min(Math.max(x, 0), size - 1);
    const lo = Math.floor(c);
    const t = c - lo;
    return { index: [lo, clamp(lo + 1)], weight: [1 - t, t], outside: false };
  }
  const lo = Math.floor(x);
  const t = x - lo;
  let index = [lo - 1, lo, lo + 1, lo + 2];
  let weight = [cubic(1 + t, a.cubicA), cubic(t, a.cubicA), cubic(1 - t, a.cubicA), cubic(2 - t, a.cubicA)];
  if (a.excludeOutside) {
    weight = weight.map((w, k) => (index[k]! < 0 || index[k]! > size - 1 ? 0 : w));
    const total = weight.reduce((s, w) => s + w, 0);
    weight = weight.map((w) => w / total);
  }
  index = index.map(clamp);
  return { index, weight, outside: false };
}

/**
 * The [out, size] row-major matrix M with y = M · x along one axis, and which outputs fall outside
 * a crop (their rows are zero). Runtimes without a native mode resize with two of these.
 */
export function resizeMatrix(size: number, out: number, a: ResizeSampling, axis: 0 | 1): { matrix: Float64Array; outside: boolean[] } {
  const matrix = new Float64Array(out * size);
  const outside: boolean[] = [];
  for (let o = 0; o < out; o++) {
    const t = resizeTaps(o, size, out, a, axis);
    outside.push(t.outside);
    t.index.forEach((i, k) => { matrix[o * size + i] = matrix[o * size + i]! + t.weight[k]!; });
  }
  return { matrix, outside };
}

// Per output unit: bilinear is three lerps (two along the rows, one between them), each a sub, a mul and
// an add; bicubic is five 4-tap sums (four along the rows, one between them), each 4 muls and 3 adds.
const FLOPS_PER_UNIT: Record<ResizeMode, number> = { nearest: 0, bilinear: 9, bicubic: 35 };

export const Resize = defineOp<ResizeAttrs>({
  type: OpType.Resize,
  doc: 'Resizes a feature map by factors (Keras UpSampling2D) or to a size, by nearest neighbour, bilinear or bicubic interpolation',
  attrs: {
    scale: { kind: 'pair', min: 0, real: true, default: null, doc: 'factors s or [sh, sw], whole (UpSampling2D size) or fractional (ONNX scales: output ⌊in·s⌋, positions placed by s)' },
    size: { kind: 'pair', min: 1, default: null, doc: 'output [H, W], instead of scale' },
    mode: { kind: 'enum', values: RESIZE_MODES, default: 'nearest', doc: 'interpolation' },
    coordinates: { kind: 'enum', values: RESIZE_COORDINATES, default: 'half_pixel', doc: 'how output positions map to input ones (ONNX coordinate_transformation_mode); nearest reads it only with rounding set' },
    rounding: { kind: 'enum', values: RESIZE_ROUNDING, default: null, doc: 'nearest: how a position rounds to a unit (ONNX nearest_mode); unset: ⌊o·in/out⌋, as UpSampling2D and PyTorch' },
    cubicA: { kind: 'float', default: -0.75, doc: 'bicubic: the kernel\'s A (ONNX cubic_coeff_a; PyTorch -0.75, TensorFlow -0.5)' },
    excludeOutside: { kind: 'bool', default: false, doc: 'bicubic: taps past the edge weigh 0 and the rest are renormalized, instead of reading the edge' },
    roi: { kind: 'floats', default: null, doc: 'tf_crop_and_resize: the crop [top, left, bottom, right] as fractions of the map' },
    extrapolation: { kind: 'float', default: 0, doc: 'tf_crop_and_resize: the value of outputs the crop places outside the map' },
  },
  arity: [1, 1],
  inferShape([x], a) {
    if (x!.length !== 3) throw new OpRuleError('shape', messages.inputRank('rank 3 [H, W, C]', x!));
    if (a.roi && a.roi.length !== 4) throw new OpRuleError('attribute', messages.resizeRoi(a.roi), 'roi');
    return [...resizeTarget(x!, a), x![2]!];
  },
  weights: noWeights,
  macs: noMacs,
  // Nearest only copies; the interpolating modes count FLOPS_PER_UNIT per output unit.
  flops: (ctx, convention) => {
    const k = FLOPS_PER_UNIT[ctx.attrs.mode];
    return convention === 'lecture' || k === 0 ? zero : mul(v(String(k), k), elements(ctx.output));
  },
  backward: 'forward',
  receptiveField([rf], ctx): ReceptiveField {
    const k = tapCount(ctx.attrs.mode);
    // Output unit 0 reads k neighbours around its position; each further unit moves by the position's step.
    const ax = (i: 0 | 1) => {
      const size = ctx.inputs[0]![i]!;
      const out = ctx.output[i]!;
      const first = resizeTaps(0, size, out, ctx.attrs, i);
      const centre = first.index.length ? (Math.min(...first.index) + Math.max(...first.index)) / 2 : 0;
      const legacy = ctx.attrs.mode === 'nearest' && ctx.attrs.rounding === null;
      const step = legacy ? size / out : out > 1 ? sourceCoordinate(1, size, out, ctx.attrs, i) - sourceCoordinate(0, size, out, ctx.attrs, i) : size;
      return { size: rf!.size[i] + (k - 1) * rf!.jump[i], jump: rf!.jump[i] * step, start: rf!.start[i] + centre * rf!.jump[i] };
    };
    const y = ax(0);
    const x = ax(1);
    return { size: [y.size, x.size], jump: [y.jump, x.jump], start: [y.start, x.start], ...(rf!.disagree ? { disagree: true } : {}) };
  },
});
