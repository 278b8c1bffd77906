/**
 * Pure image transforms over NHWC float sets: normalization, and fitting images to a model's
 * input (centred zero padding, bilinear resizing, channel replication). Each returns a new set
 * and leaves its input unchanged.
 */
import { UsageError } from '../core/errors.js';
import { imageSize, type ImageSet, type ImageShape } from './types.js';
import { messages } from '../core/messages.js';

/** Per-channel mean and (population) standard deviation. */
export interface ChannelStats {
  mean: number[];
  std: number[];
}

/** Checks a shape is three positive integers and the buffer holds exactly `count` images. */
export function checkImageSet(set: ImageSet): void {
  const s = set.shape;
  if (s.length !== 3 || !s.every((d) => Number.isInteger(d) && d > 0)) throw new UsageError(messages.badShape('image shape', s));
  if (set.images.length !== set.count * imageSize(s)) throw new UsageError(messages.sizeMismatch(set.images.length, set.count, s));
}

function checkTarget(what: string, shape: readonly number[], rank: number): void {
  if (shape.length !== rank || !shape.every((d) => Number.isInteger(d) && d > 0)) throw new UsageError(messages.badShape(what, shape));
}

/** Mean and std of each channel over every pixel of every image, after multiplying by `scale`. */
export function channelStats(set: ImageSet, scale = 1): ChannelStats {
  checkImageSet(set);
  const c = set.shape[2];
  const x = set.images;
  const n = x.length / c;
  const mean: number[] = [];
  const std: number[] = [];
  for (let k = 0; k < c; k++) {
    // Two passes: summing squared deviations avoids the cancellation of E[x²] − E[x]².
    let sum = 0;
    for (let i = k; i < x.length; i += c) sum += x[i]!;
    const m = (sum / n) * scale;
    let dev = 0;
    for (let i = k; i < x.length; i += c) dev += (x[i]! * scale - m) ** 2;
    mean.push(m);
    std.push(Math.sqrt(dev / n));
  }
  return { mean, std };
}

/** Options of normalize: x → (x·scale − mean[c]) / std[c]. */
export interface NormalizeOptions {
  scale?: number;
  mean?: readonly number[];
  std?: readonly number[];
}

/** Scales pixels and, when mean/std are given, standardizes each channel. */
export function normalize(set: ImageSet, opts: NormalizeOptions): ImageSet {
  checkImageSet(set);
  const c = set.shape[2];
  const scale = opts.scale ?? 1;
  const mean = opts.mean ?? new Array<number>(c).fill(0);
  const std = opts.std ?? new Array<number>(c).fill(1);
  if (mean.length !== c) throw new UsageError(messages.statsLength('mean', c, mean.length));
  if (std.length !== c) throw new UsageError(messages.statsLength('std', c, std.length));
  const zero = std.findIndex((s) => s === 0);
  if (zero >= 0) throw new UsageError(messages.zeroStd(zero));
  const inv = std.map((s) => 1 / s);
  const out = new Float32Array(set.images.length);
  const x = set.images;
  for (let i = 0; i < x.length; i++) {
    const k = i % c;
    out[i] = (x[i]! * scale - mean[k]!) * inv[k]!;
  }
  return { images: out, shape: [...set.shape], count: set.count };
}

/** Zero-pads every image to [height, width], centred; an odd margin puts the extra pixel bottom/right. */
export function padCenter(set: ImageSet, size: readonly [number, number], fill = 0): ImageSet {
  checkImageSet(set);
  checkTarget('pad size', size, 2);
  const [h, w, c] = set.shape;
  const [H, W] = size;
  if (H < h || W < w) throw new UsageError(messages.padTooSmall(set.shape, [H, W, c]));
  const top = Math.floor((H - h) / 2);
  const left = Math.floor((W - w) / 2);
  const out = new Float32Array(set.count * H * W * c);
  if (fill !== 0) out.fill(fill);
  const rowLen = w * c;
  for (let n = 0; n < set.count; n++) {
    for (let y = 0; y < h; y++) {
      const src = ((n * h + y) * w) * c;
      const dst = ((n * H + y + top) * W + left) * c;
      out.set(set.images.subarray(src, src + rowLen), dst);
    }
  }
  return { images: out, shape: [H, W, c], count: set.count };
}

/**
 * Bilinear resize with half-pixel centres (TensorFlow 2's tf.image.resize, PyTorch's
 * align_corners=False): output pixel i samples input coordinate (i + 0.5)·in/out − 0.5, clamped.
 */
export function resizeBilinear(set: ImageSet, size: readonly [number, number]): ImageSet {
  checkImageSet(set);
  checkTarget('resize size', size, 2);
  const [h, w, c] = set.shape;
  const [H, W] = size;
  const axis = (out: number, inp: number) => {
    const lo = new Int32Array(out);
    const hi = new Int32Array(out);
    const frac = new Float32Array(out);
    for (let i = 0; i < out; i++) {
      const p = Math.min(Math.max((i + 0.5) * (inp / out) - 0.5, 0), inp - 1);
      lo[i] = Math.floor(p);
      hi[i] = Math.min(lo[i]! + 1, inp - 1);
      frac[i] = p - lo[i]!;
    }
    return { lo, hi, frac };
  };
  const ys = axis(H, h);
  const xs = axis(W, w);
  const x = set.images;
  const out = new Float32Array(set.count * H * W * c);
  let o = 0;
  for (let n = 0; n < set.count; n++) {
    const base = n * h * w * c;
    for (let y = 0; y < H; y++) {
      const r0 = base + ys.lo[y]! * w * c;
      const r1 = base + ys.hi[y]! * w * c;
      const fy = ys.frac[y]!;
      for (let xx = 0; xx < W; xx++) {
        const c0 = xs.lo[xx]! * c;
        const c1 = xs.hi[xx]! * c;
        const fx = xs.frac[xx]!;
        for (let k = 0; k < c; k++) {
          const top = x[r0 + c0 + k]! + (x[r0 + c1 + k]! - x[r0 + c0 + k]!) * fx;
          const bottom = x[r1 + c0 + k]! + (x[r1 + c1 + k]! - x[r1 + c0 + k]!) * fx;
          out[o++] = top + (bottom - top) * fy;
        }
      }
    }
  }
  return { images: out, shape: [H, W, c], count: set.count };
}

/** Converts to `channels` channels: the same count is a copy, one channel is replicated (gray → RGB). */
export function convertChannels(set: ImageSet, channels: number): ImageSet {
  checkImageSet(set);
  const [h, w, c] = set.shape;
  if (channels === c) return { images: set.images.slice(), shape: [h, w, c], count: set.count };
  if (c !== 1 || !Number.isInteger(channels) || channels < 1) throw new UsageError(messages.channelConversion(c, channels));
  const x = set.images;
  const out = new Float32Array(x.length * channels);
  for (let i = 0; i < x.length; i++) out.fill(x[i]!, i * channels, (i + 1) * channels);
  return { images: out, shape: [h, w, channels], count: set.count };
}

/** How fitToInput reaches the target size. */
export type FitMode = 'pad' | 'resize';

/**
 * Fits images to a model input [H, W, C]: spatially by centred zero padding (MNIST 28×28 →
 * LeNet's 32×32) or bilinear resizing, then channels by replication. The default mode pads when
 * the target is at least as large on both axes and resizes otherwise.
 */
export function fitToInput(set: ImageSet, target: ImageShape, mode?: FitMode): ImageSet {
  checkImageSet(set);
  checkTarget('model input', target, 3);
  const [h, w] = set.shape;
  const [H, W, C] = target;
  const chosen = mode ?? (H >= h && W >= w ? 'pad' : 'resize');
  let out: ImageSet = set;
  if (H !== h || W !== w) out = chosen === 'pad' ? padCenter(set, [H, W]) : resizeBilinear(set, [H, W]);
  return out.shape[2] === C && out !== set ? out : convertChannels(out, C);
}
