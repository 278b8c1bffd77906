/**
 * From decoded pixels to a model input: channels (gray or RGB), bilinear resize, centre crop and
 * the normalization the model's metadata names. Browser-safe; output is one NHWC sample.
 */
import { DataError, UsageError } from '../core/errors.js';
import type { FloatImage, Preprocessing, RgbaImage } from './types.js';
import { messages } from '../core/messages.js';

/** How an image is brought to the input size: keep aspect and crop the centre, keep it and pad with black, or stretch. */
export type Fit = 'crop' | 'pad' | 'stretch';
/** Every Fit, for option checking. */
export const FITS: readonly Fit[] = ['crop', 'pad', 'stretch'];

// Keras imagenet_utils: BGR means for 'caffe', RGB mean / std for 'torch'.
const CAFFE_BGR_MEAN = [103.939, 116.779, 123.68];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

/** RGBA bytes to 1 (ITU-R 601 luma, as PIL's "L") or 3 float channels in [0, 255]; alpha is ignored. */
export function toChannels(img: RgbaImage, channels: number): FloatImage {
  if (channels !== 1 && channels !== 3) throw new UsageError(messages.imageChannels(channels));
  const n = img.width * img.height;
  const data = new Float32Array(n * channels);
  for (let p = 0; p < n; p++) {
    const r = img.data[p * 4]!;
    const g = img.data[p * 4 + 1]!;
    const b = img.data[p * 4 + 2]!;
    if (channels === 1) data[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else data.set([r, g, b], p * 3);
  }
  return { width: img.width, height: img.height, channels, data };
}

/** Bilinear resize with half-pixel centres (TensorFlow's and PyTorch's align_corners=False). */
export function resizeBilinear(img: FloatImage, width: number, height: number): FloatImage {
  if (img.width === 0 || img.height === 0) throw new DataError(messages.emptyImage(img.width, img.height));
  const { channels: c } = img;
  const out = new Float32Array(width * height * c);
  const sy = img.height / height;
  const sx = img.width / width;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const wx = fx - x0;
      for (let k = 0; k < c; k++) {
        const at = (yy: number, xx: number) => img.data[(yy * img.width + xx) * c + k]!;
        const top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx;
        const bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx;
        out[(y * width + x) * c + k] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return { width, height, channels: c, data: out };
}

/** The centre width×height window of an image at least that large. */
export function centreCrop(img: FloatImage, width: number, height: number): FloatImage {
  const top = Math.floor((img.height - height) / 2);
  const left = Math.floor((img.width - width) / 2);
  const c = img.channels;
  const out = new Float32Array(width * height * c);
  for (let y = 0; y < height; y++) {
    const start = ((top + y) * img.width + left) * c;
    out.set(img.data.subarray(start, start + width * c), y * width * c);
  }
  return { width, height, channels: c, data: out };
}

/** The image centred on a black height×width canvas at least as large. */
export function padCentre(img: FloatImage, width: number, height: number): FloatImage {
  const top = Math.floor((height - img.height) / 2);
  const left = Math.floor((width - img.width) / 2);
  const c = img.channels;
  const out = new Float32Array(width * height * c);
  for (let y = 0; y < img.height; y++) {
    out.set(img.data.subarray(y * img.width * c, (y + 1) * img.width * c), ((top + y) * width + left) * c);
  }
  return { width, height, channels: c, data: out };
}

/**
 * Resizes to height×width: 'crop' scales the shorter side to fit then crops the centre; 'pad'
 * shrinks a larger image to fit inside (never enlarges, as training's centre padding of MNIST
 * into 32×32 does) then pads; 'stretch' ignores aspect.
 */
export function fitTo(img: FloatImage, height: number, width: number, fit: Fit): FloatImage {
  if (fit === 'stretch') return resizeBilinear(img, width, height);
  if (fit === 'pad') {
    const scale = Math.min(1, height / img.height, width / img.width);
    const shrunk = scale < 1 ? resizeBilinear(img, Math.max(1, Math.round(img.width * scale)), Math.max(1, Math.round(img.height * scale))) : img;
    return padCentre(shrunk, width, height);
  }
  const scale = Math.max(height / img.height, width / img.width);
  const h = Math.max(height, Math.round(img.height * scale));
  const w = Math.max(width, Math.round(img.width * scale));
  return centreCrop(resizeBilinear(img, w, h), width, height);
}

function perChannel(values: number[] | null | undefined, fallback: number[], channels: number, what: string): number[] {
  const v = values ?? fallback;
  if (v.length === channels) return v;
  if (v.length === 1) return new Array<number>(channels).fill(v[0]!);
  // ImageNet statistics on a gray model: use their average, as a single channel.
  if (values == null && channels === 1) return [v.reduce((a, b) => a + b, 0) / v.length];
  throw new UsageError(messages.meanLength(what, v.length, channels));
}

/** Applies the model's normalization to [0, 255] pixels; returns the NHWC values. */
export function normalize(img: FloatImage, prep: Preprocessing = {}): Float32Array {
  const c = img.channels;
  const out = new Float32Array(img.data.length);
  const mode = prep.mode ?? 'none';
  // Caffe mode swaps to BGR itself; `bgr` asks the other modes for the same order.
  if (prep.bgr && c === 3 && mode !== 'caffe') img = { ...img, data: img.data.map((_, i) => img.data[i - (i % 3) + 2 - (i % 3)]!) };
  if (mode === 'caffe') {
    const mean = perChannel(prep.mean, CAFFE_BGR_MEAN, c, 'mean');
    for (let i = 0; i < out.length; i += c) {
      for (let k = 0; k < c; k++) {
        const src = c === 3 ? 2 - k : k;
        out[i + k] = img.data[i + src]! - mean[k]!;
      }
    }
    return out;
  }
  if (mode === 'tf') {
    for (let i = 0; i < out.length; i++) out[i] = img.data[i]! / 127.5 - 1;
    return out;
  }
  const scale = mode === 'torch' || mode === 'unit' ? 1 / 255 : prep.scale ?? 1;
  const mean = mode === 'torch' ? perChannel(prep.mean, TORCH_MEAN, c, 'mean') : prep.mean ? perChannel(prep.mean, [], c, 'mean') : null;
  const std = mode === 'torch' ? perChannel(prep.std, TORCH_STD, c, 'std') : prep.std ? perChannel(prep.std, [], c, 'std') : null;
  for (let i = 0; i < out.length; i++) {
    const k = i % c;
    let v = img.data[i]! * scale;
    if (mean) v -= mean[k]!;
    if (std) v /= std[k]!;
    out[i] = v;
  }
  return out;
}

/** Decoded pixels → one NHWC sample of shape [H, W, C] for a model with the given preprocessing. */
export function imageToInput(img: RgbaImage, shape: readonly number[], prep: Preprocessing = {}, fit: Fit = 'crop'): Float32Array {
  if (shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) throw new UsageError(messages.imageTarget(shape));
  const [h, w, c] = shape as [number, number, number];
  return normalize(fitTo(toChannels(img, c), h, w, fit), prep);
}
