/**
 * Layers that resample or slice feature maps where tfjs has no layer with convlab's meaning:
 * Resize (positions from the op's own sourceCoordinate, so every coordinate mode matches),
 * torchvision's adaptive average pooling, constant padding with a value, and one channel part.
 */
import * as tf from '@tensorflow/tfjs';
import { adaptiveBins } from '../../../ops/pool.js';
import { sourceCoordinate, type ResizeCoordinates } from '../../../ops/resize.js';
import { one, oneShape, type Kwargs, type LayerArgs } from './base.js';

type Pair = [number, number];

/** Index and weight tensors that read `out` units from `size` along one axis. */
function axisTaps(size: number, out: number, mode: 'nearest' | 'bilinear', coordinates: ResizeCoordinates) {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const t = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const f = sourceCoordinate(o, size, out, { mode, coordinates });
    lo[o] = Math.min(Math.floor(f), size - 1);
    hi[o] = Math.min(lo[o]! + 1, size - 1);
    t[o] = mode === 'nearest' ? 0 : f - lo[o]!;
  }
  return { lo, hi, t };
}

export interface ResizeArgs extends LayerArgs {
  size: Pair;
  mode: 'nearest' | 'bilinear';
  coordinates: ResizeCoordinates;
}

/** Nearest or bilinear resizing to a fixed [H, W] by gathers along each axis. */
export class ConvlabResize extends tf.layers.Layer {
  static className = 'ConvlabResize';
  readonly a: ResizeArgs;

  constructor(args: ResizeArgs) {
    super(args);
    this.a = args;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    return [s[0]!, this.a.size[0], this.a.size[1], s[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const { mode, coordinates } = this.a;
      const along = (v: tf.Tensor, axis: 1 | 2, size: number, out: number) => {
        const taps = axisTaps(size, out, mode, coordinates);
        const first = tf.gather(v, tf.tensor1d(taps.lo, 'int32'), axis);
        if (mode === 'nearest') return first;
        const shape = axis === 1 ? [1, out, 1, 1] : [1, 1, out, 1];
        const t = tf.tensor(taps.t, shape);
        return tf.add(tf.mul(first, tf.sub(1, t)), tf.mul(tf.gather(v, tf.tensor1d(taps.hi, 'int32'), axis), t));
      };
      const rows = along(x, 1, x.shape[1]!, this.a.size[0]);
      return along(rows, 2, x.shape[2]!, this.a.size[1]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.a.size, mode: this.a.mode, coordinates: this.a.coordinates };
  }
}

/** [size, out] matrix whose column i averages bin i. */
function binColumns(size: number, out: number): tf.Tensor2D {
  const m = new Float32Array(size * out);
  adaptiveBins(size, out).forEach(([p, q], i) => {
    for (let k = p; k < q; k++) m[k * out + i] = 1 / (q - p);
  });
  return tf.tensor2d(m, [size, out]);
}

/** torchvision's AdaptiveAvgPool2d as two matrix products, over rows then columns. */
export class AdaptiveAvgPool2D extends tf.layers.Layer {
  static className = 'ConvlabAdaptiveAvgPool';
  readonly outputSize: Pair;

  constructor(args: LayerArgs & { outputSize: Pair }) {
    super(args);
    this.outputSize = args.outputSize;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    return [s[0]!, this.outputSize[0], this.outputSize[1], s[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const [n, h, w, c] = x.shape;
      const [oh, ow] = this.outputSize;
      // [N, H, W, C] → [N·W·C, H] · [H, oh] → [N, oh, W, C] → [N·oh·C, W] · [W, ow] → [N, oh, ow, C].
      const byRows = tf.matMul(tf.reshape(tf.transpose(x, [0, 2, 3, 1]), [n * w * c, h]), binColumns(h, oh));
      const rows = tf.transpose(tf.reshape(byRows, [n, w, c, oh]), [0, 3, 1, 2]);
      const byCols = tf.matMul(tf.reshape(tf.transpose(rows, [0, 1, 3, 2]), [n * oh * c, w]), binColumns(w, ow));
      return tf.transpose(tf.reshape(byCols, [n, oh, c, ow]), [0, 1, 3, 2]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), outputSize: this.outputSize };
  }
}

/** Pads height and width with a constant. */
export class ConstantPad2D extends tf.layers.Layer {
  static className = 'ConvlabConstantPad2D';
  readonly padding: [number, number, number, number];
  readonly value: number;

  constructor(args: LayerArgs & { padding: [number, number, number, number]; value: number }) {
    super(args);
    this.padding = args.padding;
    this.value = args.value;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    const [t, b, l, r] = this.padding;
    return [s[0]!, s[1]! + t + b, s[2]! + l + r, s[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const [t, b, l, r] = this.padding;
    return tf.tidy(() => tf.pad(one(inputs), [[0, 0], [t, b], [l, r], [0, 0]], this.value));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding, value: this.value };
  }
}

/** `size` channels starting at `start`: one part of a channel split. */
export class ChannelSlice extends tf.layers.Layer {
  static className = 'ConvlabChannelSlice';
  readonly start: number;
  readonly size: number;

  constructor(args: LayerArgs & { start: number; size: number }) {
    super(args);
    this.start = args.start;
    this.size = args.size;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...oneShape(inputShape).slice(0, -1), this.size];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const begin = x.shape.map((_, i) => (i === x.rank - 1 ? this.start : 0));
      const size = x.shape.map((_, i) => (i === x.rank - 1 ? this.size : -1));
      return tf.slice(x, begin, size);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), start: this.start, size: this.size };
  }
}
