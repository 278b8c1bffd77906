/**
 * Transposed convolution beyond tfjs' Conv2DTranspose: explicit (asymmetric) padding, output
 * padding, dilation and groups. Each group runs tf.conv2dTranspose 'valid' to the full output,
 * which is then cropped (or extended with zeros) as convlab's one transposed geometry says.
 */
import * as tf from '@tensorflow/tfjs';
import { transposeGeometry, type TransposeGeometry } from '../../../ops/geometry.js';
import { one, oneShape, type Initializer, type Kwargs, type LayerArgs, type PaddingConfig } from './base.js';

type Pair = [number, number];

export interface ConvTransposeArgs extends LayerArgs {
  filters: number;
  kernelSize: Pair;
  strides: Pair;
  padding: PaddingConfig;
  dilation: Pair;
  outputPadding: Pair | null;
  groups: number;
  useBias: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/** Spreads a (kh, kw, o, c) kernel to its dilated extent, zeros between the taps. */
function dilateKernel(w: tf.Tensor4D, [dh, dw]: Pair): tf.Tensor4D {
  if (dh === 1 && dw === 1) return w;
  const [kh, kw, o, c] = w.shape;
  const spread = tf.pad(tf.reshape(w, [kh, 1, kw, 1, o, c]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
  return tf.slice(tf.reshape(spread, [kh * dh, kw * dw, o, c]), [0, 0, 0, 0], [(kh - 1) * dh + 1, (kw - 1) * dw + 1, o, c]) as tf.Tensor4D;
}

/** Conv2DTranspose with every option convlab's op has; weights `kernel` (fh, fw, K/groups, cin) and `bias`, as Keras names them. */
export class ConvlabConv2DTranspose extends tf.layers.Layer {
  static className = 'ConvlabConv2DTranspose';
  readonly a: ConvTransposeArgs;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: ConvTransposeArgs) {
    super(args);
    this.a = args;
  }

  private geometry(inputShape: tf.Shape): TransposeGeometry {
    const [, h, w, c] = inputShape;
    const a = this.a;
    return transposeGeometry([h!, w!, c!], { kernel: a.kernelSize, strides: a.strides, dilation: a.dilation, padding: a.padding, outputPadding: a.outputPadding });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const cin = oneShape(inputShape)[3]!;
    const [fh, fw] = this.a.kernelSize;
    this.kernel = this.addWeight('kernel', [fh, fw, this.a.filters / this.a.groups, cin], 'float32', this.a.kernelInitializer ?? tf.initializers.glorotUniform({}));
    if (this.a.useBias) this.bias = this.addWeight('bias', [this.a.filters], 'float32', this.a.biasInitializer ?? tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    const g = this.geometry(s);
    return [s[0]!, g.outH, g.outW, this.a.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const a = this.a;
      const g = this.geometry(x.shape);
      const w = dilateKernel(this.kernel!.read() as tf.Tensor4D, a.dilation);
      const kg = a.filters / a.groups;
      const full = (xi: tf.Tensor4D, wi: tf.Tensor4D) => tf.conv2dTranspose(xi, wi, [x.shape[0], g.fullH, g.fullW, kg], a.strides, 'valid');
      let y: tf.Tensor4D = a.groups === 1
        ? full(x, w)
        : tf.concat(tf.split(x, a.groups, 3).map((xi, k) => full(xi as tf.Tensor4D, tf.split(w, a.groups, 3)[k] as tf.Tensor4D)), 3);
      const endH = Math.max(g.outH - (g.fullH - g.cropTop), 0);
      const endW = Math.max(g.outW - (g.fullW - g.cropLeft), 0);
      if (endH > 0 || endW > 0) y = tf.pad(y, [[0, 0], [0, endH], [0, endW], [0, 0]]);
      y = tf.slice(y, [0, g.cropTop, g.cropLeft, 0], [-1, g.outH, g.outW, -1]);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const a = this.a;
    return {
      ...super.getConfig(),
      filters: a.filters, kernelSize: a.kernelSize, strides: a.strides, padding: a.padding, dilation: a.dilation,
      outputPadding: a.outputPadding, groups: a.groups, useBias: a.useBias,
    };
  }
}
