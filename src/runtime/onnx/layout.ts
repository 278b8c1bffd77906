/**
 * Layout rules of the exporter. convlab is NHWC; in ONNX every rank-3 convlab tensor [H, W, C]
 * is held as NCHW [N, C, H, W], every other tensor as [N, ...shape]. Layout is therefore a
 * function of rank alone, so elementwise ops and merges never need a transpose, and a transpose
 * appears only where a feature map meets a graph boundary, a Flatten or a Reshape.
 */
import type { Shape } from '../../graph/types.js';

/** True when the convlab tensor is a feature map held as NCHW in ONNX. */
export const isMap = (s: Shape): boolean => s.length === 3;

/** NHWC → NCHW permutation (with batch). */
export const TO_NCHW = [0, 3, 1, 2];
/** NCHW → NHWC permutation (with batch). */
export const TO_NHWC = [0, 2, 3, 1];

/**
 * True when NCHW and NHWC hold the map's values in the same memory order (H·W = 1 or C = 1),
 * so a Reshape can stand in for the Transpose.
 */
export const sameOrder = (s: Shape): boolean => s[0]! * s[1]! === 1 || s[2]! === 1;

/** The ONNX axis of a convlab axis (without batch, possibly negative) for a tensor of shape `s`. */
export function onnxAxis(s: Shape, axis: number): number {
  const a = axis < 0 ? s.length + axis : axis;
  if (!isMap(s)) return a + 1;
  return [2, 3, 1][a]!;
}

/** Keras conv kernel (fh, fw, cin, K) → ONNX weight (K, cin, fh, fw). */
export function hwioToOihw(k: Float32Array, fh: number, fw: number, cin: number, K: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      for (let c = 0; c < cin; c++) {
        const src = ((i * fw + j) * cin + c) * K;
        for (let o = 0; o < K; o++) out[((o * cin + c) * fh + i) * fw + j] = k[src + o]!;
      }
    }
  }
  return out;
}

/**
 * Keras depthwise kernel (fh, fw, cin, dm) → ONNX grouped weight (cin·dm, 1, fh, fw). Output
 * channel c·dm + m is input channel c's m-th filter, the order Keras and TensorFlow use.
 */
export function depthwiseToOihw(k: Float32Array, fh: number, fw: number, cin: number, dm: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      for (let c = 0; c < cin; c++) {
        for (let m = 0; m < dm; m++) out[((c * dm + m) * fh + i) * fw + j] = k[((i * fw + j) * cin + c) * dm + m]!;
      }
    }
  }
  return out;
}

/** Keras transposed-conv kernel (fh, fw, K/groups, cin) → ONNX ConvTranspose weight (cin, K/groups, fh, fw). */
export function transposeKernelToOnnx(k: Float32Array, fh: number, fw: number, kg: number, cin: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      for (let o = 0; o < kg; o++) {
        for (let c = 0; c < cin; c++) out[((c * kg + o) * fh + i) * fw + j] = k[((i * fw + j) * kg + o) * cin + c]!;
      }
    }
  }
  return out;
}
