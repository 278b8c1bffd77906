/**
 * Pooling tfjs' layers cannot express: ceil mode (the lecture's ZFNet), explicit padding,
 * average pooling that counts the padding, and dilation. The input is padded to the full reach
 * of the last window (-∞ for max, 0 for average) and pooled 'valid' (a dilated window as the
 * max or sum of one strided slice per tap); an average is then rescaled by the number of
 * elements each window should divide by, as PyTorch and ONNX define it.
 */
import * as tf from '@tensorflow/tfjs';
import { poolGeometry } from '../../../ops/pool.js';
import type { WindowGeometry } from '../../../ops/geometry.js';
import { one, oneShape, type Kwargs, type LayerArgs, type PaddingConfig } from './base.js';

type Pair = [number, number];

export interface WindowPoolArgs extends LayerArgs {
  mode: 'max' | 'avg';
  poolSize: Pair;
  strides: Pair;
  padding: PaddingConfig;
  dilation?: Pair;
  ceilMode: boolean;
  countIncludePad: boolean;
}

/** Per output position, `taps` / (elements the window divides by): [1, outH, outW, 1]. */
function averageScale(g: WindowGeometry, includePad: boolean, taps: number): Float32Array {
  const out = new Float32Array(g.outH * g.outW);
  // A window may count the declared padding (countIncludePad) but never the ceil-mode overhang.
  const counted = (start: number, k: number, d: number, size: number, before: number, after: number) => {
    let n = 0;
    for (let t = 0; t < k; t++) {
      const p = start + t * d;
      if (includePad ? p >= -before && p < size + after : p >= 0 && p < size) n++;
    }
    return n;
  };
  for (let i = 0; i < g.outH; i++) {
    const rows = counted(i * g.sh - g.padTop, g.kh, g.dh, g.inH, g.padTop, g.padBottom);
    for (let j = 0; j < g.outW; j++) {
      const cols = counted(j * g.sw - g.padLeft, g.kw, g.dw, g.inW, g.padLeft, g.padRight);
      out[i * g.outW + j] = taps / Math.max(1, rows * cols);
    }
  }
  return out;
}

/** Max or sum over a dilated window of a padded input: one strided slice per tap. */
function dilatedPool(x: tf.Tensor4D, g: WindowGeometry, isMax: boolean): tf.Tensor4D {
  let acc: tf.Tensor4D | undefined;
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      const begin = [0, i * g.dh, j * g.dw, 0];
      const end = [x.shape[0], i * g.dh + (g.outH - 1) * g.sh + 1, j * g.dw + (g.outW - 1) * g.sw + 1, x.shape[3]];
      const tap = tf.stridedSlice(x, begin, end, [1, g.sh, g.sw, 1]) as tf.Tensor4D;
      acc = acc === undefined ? tap : ((isMax ? tf.maximum(acc, tap) : tf.add(acc, tap)) as tf.Tensor4D);
    }
  }
  return acc!;
}

/** Max or average pooling with ceil mode, explicit padding and count-include-pad. */
export class WindowPool2D extends tf.layers.Layer {
  static className = 'ConvlabPool2D';
  readonly a: WindowPoolArgs;

  constructor(args: WindowPoolArgs) {
    super(args);
    this.a = args;
  }

  private geometry(inputShape: tf.Shape): WindowGeometry {
    const [, h, w, c] = inputShape;
    const a = this.a;
    return poolGeometry([h!, w!, c!], { poolSize: a.poolSize, strides: a.strides, padding: a.padding, dilation: a.dilation ?? [1, 1], ceilMode: a.ceilMode, countIncludePad: a.countIncludePad });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    const g = this.geometry(s);
    return [s[0]!, g.outH, g.outW, s[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const g = this.geometry(x.shape);
      const isMax = this.a.mode === 'max';
      const paddings: Array<[number, number]> = [[0, 0], [g.padTop, g.padBottom + g.ceilExtraH], [g.padLeft, g.padRight + g.ceilExtraW], [0, 0]];
      const padded = paddings.some(([p, q]) => p > 0 || q > 0) ? tf.pad(x, paddings, isMax ? -Infinity : 0) : x;
      const dilated = g.dh > 1 || g.dw > 1;
      const pooled = dilated
        ? dilatedPool(padded, g, isMax)
        : (isMax ? tf.maxPool(padded, [g.kh, g.kw], [g.sh, g.sw], 'valid') : tf.avgPool(padded, [g.kh, g.kw], [g.sh, g.sw], 'valid')).slice([0, 0, 0, 0], [-1, g.outH, g.outW, -1]);
      if (isMax) return pooled;
      // tf.avgPool divided by kh·kw already; the dilated sum is divided here alone.
      return tf.mul(pooled, tf.tensor4d(averageScale(g, this.a.countIncludePad, dilated ? 1 : g.kh * g.kw), [1, g.outH, g.outW, 1]));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const a = this.a;
    return { ...super.getConfig(), mode: a.mode, poolSize: a.poolSize, strides: a.strides, padding: a.padding, dilation: a.dilation ?? [1, 1], ceilMode: a.ceilMode, countIncludePad: a.countIncludePad };
  }
}

/** Global pooling that keeps [1, 1, C], as the squeeze of an SE block wants it. */
export class GlobalPoolKeepDims extends tf.layers.Layer {
  static className = 'ConvlabGlobalPool';
  readonly mode: 'max' | 'avg';

  constructor(args: LayerArgs & { mode: 'max' | 'avg' }) {
    super(args);
    this.mode = args.mode;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    return [s[0]!, 1, 1, s[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => (this.mode === 'max' ? tf.max(one(inputs), [1, 2], true) : tf.mean(one(inputs), [1, 2], true)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}
