/**
 * Layers that resample or slice feature maps where tfjs has no layer with convlab's meaning:
 * Resize and torchvision's adaptive average pooling (both as a matrix product per axis, the
 * matrices from the op's own rules), constant padding with a value, reflect and edge padding, and
 * one channel part.
 */
import * as tf from '@tensorflow/tfjs';
import { adaptiveBins } from '../../../ops/pool.js';
import { borderSource, type BorderMode } from '../../../ops/shape.js';
import { resizeMatrix, type ResizeSampling } from '../../../ops/resize.js';
import { one, oneShape, type Kwargs, type LayerArgs } from './base.js';

type Pair = [number, number];

/** The transpose, as a [size, out] tensor, of a row-major [out, size] matrix. */
function columns(m: ArrayLike<number>, out: number, size: number): tf.Tensor2D {
  const t = new Float32Array(size * out);
  for (let o = 0; o < out; o++) for (let i = 0; i < size; i++) t[i * out + o] = m[o * size + i]!;
  return tf.tensor2d(t, [size, out]);
}

/** y[n, i, j, c] = Σ rows[h, i] · cols[w, j] · x[n, h, w, c]: a map resampled along its rows, then its columns. */
function alongAxes(x: tf.Tensor4D, rows: tf.Tensor2D, cols: tf.Tensor2D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const oh = rows.shape[1];
  const ow = cols.shape[1];
  // [N, H, W, C] → [N·W·C, H] · [H, oh] → [N, oh, W, C] → [N·oh·C, W] · [W, ow] → [N, oh, ow, C].
  const byRows = tf.matMul(tf.reshape(tf.transpose(x, [0, 2, 3, 1]), [n * w * c, h]), rows);
  const r = tf.transpose(tf.reshape(byRows, [n, w, c, oh]), [0, 3, 1, 2]);
  const byCols = tf.matMul(tf.reshape(tf.transpose(r, [0, 1, 3, 2]), [n * oh * c, w]), cols);
  return tf.transpose(tf.reshape(byCols, [n, oh, c, ow]), [0, 1, 3, 2]);
}

export interface ResizeArgs extends LayerArgs {
  size: Pair;
  sampling: ResizeSampling;
  extrapolation: number;
}

/** Models saved before the layer took a full sampling wrote only mode and coordinates (nearest then meant ⌊o·in/out⌋). */
function samplingOf(args: ResizeArgs | (LayerArgs & { mode: 'nearest' | 'bilinear'; coordinates: ResizeSampling['coordinates'] })): ResizeSampling {
  if ('sampling' in args) return args.sampling;
  return { scale: null, mode: args.mode, coordinates: args.coordinates, rounding: null, cubicA: -0.75, excludeOutside: false, roi: null };
}

/** Resizing to a fixed [H, W] by any of convlab's samplings: one interpolation matrix per axis, plus the crop's extrapolation value. */
export class ConvlabResize extends tf.layers.Layer {
  static className = 'ConvlabResize';
  readonly size: Pair;
  readonly sampling: ResizeSampling;
  readonly extrapolation: number;

  constructor(args: ResizeArgs) {
    super(args);
    this.size = args.size;
    this.sampling = samplingOf(args);
    this.extrapolation = args.extrapolation ?? 0;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    return [s[0]!, this.size[0], this.size[1], s[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const [oh, ow] = this.size;
      const rows = resizeMatrix(x.shape[1], oh, this.sampling, 0);
      const cols = resizeMatrix(x.shape[2], ow, this.sampling, 1);
      const y = alongAxes(x, columns(rows.matrix, oh, x.shape[1]), columns(cols.matrix, ow, x.shape[2]));
      if (!rows.outside.some(Boolean) && !cols.outside.some(Boolean)) return y;
      // Outputs the crop places past the map read nothing above (zero rows) and take the extrapolation value.
      const fill = new Float32Array(oh * ow);
      for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) fill[i * ow + j] = rows.outside[i] || cols.outside[j] ? this.extrapolation : 0;
      return tf.add(y, tf.tensor4d(fill, [1, oh, ow, 1]));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size, sampling: { ...this.sampling }, extrapolation: this.extrapolation };
  }
}

/** [out, size] matrix whose row i averages bin i. */
function binRows(size: number, out: number): Float32Array {
  const m = new Float32Array(out * size);
  adaptiveBins(size, out).forEach(([p, q], i) => {
    for (let k = p; k < q; k++) m[i * size + k] = 1 / (q - p);
  });
  return m;
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
      const [, h, w] = x.shape;
      const [oh, ow] = this.outputSize;
      return alongAxes(x, columns(binRows(h, oh), oh, h), columns(binRows(w, ow), ow, w));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), outputSize: this.outputSize };
  }
}

type Sides = [number, number, number, number];

/** What both padding layers share: [top, bottom, left, right] and the shape it gives. */
abstract class Padded2D extends tf.layers.Layer {
  readonly padding: Sides;

  constructor(args: LayerArgs & { padding: Sides }) {
    super(args);
    this.padding = args.padding;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    const [t, b, l, r] = this.padding;
    return [s[0]!, s[1]! + t + b, s[2]! + l + r, s[3]!];
  }
}

/** Pads height and width with a constant. */
export class ConstantPad2D extends Padded2D {
  static className = 'ConvlabConstantPad2D';
  readonly value: number;

  constructor(args: LayerArgs & { padding: Sides; value: number }) {
    super(args);
    this.value = args.value;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const [t, b, l, r] = this.padding;
    return tf.tidy(() => tf.pad(one(inputs), [[0, 0], [t, b], [l, r], [0, 0]], this.value));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding, value: this.value };
  }
}

/** Pads height and width with copies of the border (reflected or repeated), by a gather along each axis. */
export class BorderPad2D extends Padded2D {
  static className = 'ConvlabBorderPad2D';
  readonly mode: BorderMode;

  constructor(args: LayerArgs & { padding: Sides; mode: BorderMode }) {
    super(args);
    this.mode = args.mode;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const [t, b, l, r] = this.padding;
    return tf.tidy(() => {
      const along = (v: tf.Tensor, axis: 1 | 2, before: number, after: number) => {
        const size = v.shape[axis]!;
        const index = Int32Array.from({ length: size + before + after }, (_, o) => borderSource(o, size, before, this.mode));
        return tf.gather(v, tf.tensor1d(index, 'int32'), axis);
      };
      return along(along(one(inputs), 1, t, b), 2, l, r);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding, mode: this.mode };
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
