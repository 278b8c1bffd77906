/**
 * Helpers for gradient kernels composed from kernels the wasm backend already has. A composed
 * kernel calls the registered wasm kernel functions directly (no engine, no tape) and frees every
 * intermediate it made, as the backends' own composite kernels do.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { numel } from '../../../core/numel.js';

type Attrs = Record<string, unknown>;

/** Runs wasm kernels on behalf of one composed kernel and disposes their intermediates. */
export class Composer {
  private readonly made: tf.TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** Runs a registered wasm kernel; its output is freed by `finish` unless it is the result. */
  run(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Attrs = {}): tf.TensorInfo {
    const config = tf.getKernel(kernelName, 'wasm');
    if (!config) throw new Error(`convlab: the wasm backend has no ${kernelName} kernel to compose with`);
    return this.call(config, inputs, attrs);
  }

  /** Runs a given kernel config, e.g. the native kernel a replacement wraps. */
  call(config: tf.KernelConfig, inputs: Record<string, tf.TensorInfo>, attrs: Attrs = {}): tf.TensorInfo {
    const out = config.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: this.backend }) as tf.TensorInfo;
    this.made.push(out);
    return out;
  }

  /** A constant tensor of `shape` holding `values` (one value fills it). */
  constant(values: number[] | Float32Array, shape: number[] = []): tf.TensorInfo {
    const size = numel(shape);
    const data = values.length === size ? Float32Array.from(values) : new Float32Array(size).fill(values[0]!);
    const t: tf.TensorInfo = { dataId: this.backend.write(data, shape, 'float32'), shape, dtype: 'float32' };
    this.made.push(t);
    return t;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Pads (positive amounts) or crops (negative amounts) each axis; a no-op returns `x` itself. */
  padOrCrop(x: tf.TensorInfo, amounts: Array<[number, number]>): tf.TensorInfo {
    let y = x;
    if (amounts.some(([a, b]) => a < 0 || b < 0)) {
      const begin = amounts.map(([a]) => Math.max(0, -a));
      const size = y.shape.map((d, i) => d - begin[i]! - Math.max(0, -amounts[i]![1]));
      y = this.run('Slice', { x: y }, { begin, size });
    }
    if (amounts.some(([a, b]) => a > 0 || b > 0)) {
      y = this.run('PadV2', { x: y }, { paddings: amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]), constantValue: 0 });
    }
    return y;
  }

  /**
   * Crops the negative part of spatial pad amounts [[top, bottom], [left, right]] and returns the
   * positive part as the explicit padding of a conv, which pads implicitly instead of copying.
   */
  frame(x: tf.TensorInfo, h: [number, number], w: [number, number]): { x: tf.TensorInfo; pad: 'valid' | tf.backend_util.ExplicitPadding } {
    const neg = (v: number) => Math.min(0, v);
    const pos = (v: number) => Math.max(0, v);
    const cropped = this.padOrCrop(x, [[0, 0], [neg(h[0]), neg(h[1])], [neg(w[0]), neg(w[1])], [0, 0]]);
    const pads = [pos(h[0]), pos(h[1]), pos(w[0]), pos(w[1])] as const;
    const pad = pads.every((p) => p === 0) ? 'valid' : ([[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]] as tf.backend_util.ExplicitPadding);
    return { x: cropped, pad };
  }

  /** Frees every intermediate except `result`, which the engine takes over. */
  finish(result: tf.TensorInfo): tf.TensorInfo {
    for (const t of this.made) if (t !== result) this.backend.disposeData(t.dataId);
    return result;
  }
}

/** Inserts s-1 zeros after every row and column: [N, Ho, Wo, C] -> [N, Ho·sh, Wo·sw, C]. */
export function spread(c: Composer, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, h, w, ch] = dy.shape as [number, number, number, number];
  const six = c.reshape(dy, [n, h, 1, w, 1, ch]);
  const padded = c.run('PadV2', { x: six }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
  return c.reshape(padded, [n, h * sh, w * sw, ch]);
}

/**
 * Padding (negative: cropping) of a spread output gradient along one axis so that a stride-1
 * correlation with the flipped filter yields the input gradient. Input row i gathers output rows
 * o with o·s = i + padBefore - k·d, i.e. spread rows shifted by (k-1)·d - padBefore.
 */
export function transposedFrame(size: number, k: number, d: number, padBefore: number, spreadLength: number): [number, number] {
  const before = (k - 1) * d - padBefore;
  return [before, size + (k - 1) * d - before - spreadLength];
}

/** Attributes of a windowed op as the kernels receive them. */
export interface WindowAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const pair = (v: number | [number, number] | undefined): [number, number] => (v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v);

/** Geometry of one conv from the shapes the gradient kernels see, via tfjs' own computeConv2DInfo. */
export function convInfo(xShape: number[], filterShape: number[], a: WindowAttrs, depthwise: boolean): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    pair(a.strides),
    pair(a.dilations),
    a.pad,
    a.dimRoundingMode,
    depthwise,
  );
}

/**
 * Rows (or columns) of the input a filter gradient reads, as a pad/crop of the input: the
 * window slides over [-padBefore, -padBefore + extent), extent = (k-1)·d + (out-1)·s + 1.
 */
export function inputSpan(size: number, k: number, d: number, s: number, out: number, padBefore: number): [number, number] {
  const extent = (k - 1) * d + (out - 1) * s + 1;
  return [padBefore, extent - padBefore - size];
}
