/**
 * Convolutions tfjs' own layers cannot express or cannot train: grouped convs, explicit
 * (asymmetric) padding, and dilation. tfjs refuses gradients of dilated convs; here a custom
 * gradient calls the backprop kernels with the dilation, which convlab's wasm kernels honour.
 */
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../../../core/errors.js';
import { windowGeometry } from '../../../ops/geometry.js';
import { one, oneShape, tfPad, type Initializer, type Kwargs, type LayerArgs, type PaddingConfig } from './base.js';
import { messages } from '../../../core/messages.js';

type Pair = [number, number];
type Pad = ReturnType<typeof tfPad>;

const isDilated = (d: Pair) => d[0] > 1 || d[1] > 1;

function needWasm(): void {
  if (tf.getBackend() !== 'wasm') throw new RuntimeError(messages.dilatedNeedsWasm(tf.getBackend()));
}

/** A dilated conv whose gradient passes the dilation to the backprop kernels. */
function dilatedConv(x: tf.Tensor4D, w: tf.Tensor4D, strides: Pair, pad: Pad, dilation: Pair, depthwise: boolean): tf.Tensor4D {
  const f = tf.customGrad((...args) => {
    const [xi, wi, save] = args as [tf.Tensor4D, tf.Tensor4D, (saved: tf.Tensor[]) => void];
    save([xi, wi]);
    const value = depthwise ? tf.depthwiseConv2d(xi, wi, strides, pad, 'NHWC', dilation) : tf.conv2d(xi, wi, strides, pad, 'NHWC', dilation);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      needWasm();
      const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
      const attrs = { strides, pad, dilations: dilation, dataFormat: 'NHWC' };
      const e = tf.engine();
      if (depthwise) {
        return [
          e.runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: sw }, { ...attrs, inputShape: sx.shape }) as tf.Tensor,
          e.runKernel('DepthwiseConv2dNativeBackpropFilter', { x: sx, dy }, { ...attrs, filterShape: sw.shape }) as tf.Tensor,
        ];
      }
      return [
        e.runKernel('Conv2DBackpropInput', { dy, filter: sw }, { ...attrs, inputShape: sx.shape }) as tf.Tensor,
        e.runKernel('Conv2DBackpropFilter', { x: sx, dy }, { ...attrs, filterShape: sw.shape }) as tf.Tensor,
      ];
    };
    return { value, gradFunc };
  });
  return f(x, w) as tf.Tensor4D;
}

/** Output [N, H, W, C] by convlab's one geometry helper, the rule shape inference used. */
function outShape(inputShape: tf.Shape | tf.Shape[], a: { kernelSize: Pair; strides: Pair; dilation: Pair; padding: PaddingConfig }, channels: number): tf.Shape {
  const [n, h, w, c] = oneShape(inputShape);
  const g = windowGeometry([h!, w!, c!], { kernel: a.kernelSize, strides: a.strides, dilation: a.dilation, padding: a.padding });
  return [n!, g.outH, g.outW, channels];
}

export interface ConvArgs extends LayerArgs {
  filters: number;
  kernelSize: Pair;
  strides: Pair;
  padding: PaddingConfig;
  dilation: Pair;
  groups: number;
  useBias: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/** Conv2D with groups, explicit padding and trainable dilation; weights as Keras names them. */
export class ConvlabConv2D extends tf.layers.Layer {
  static className = 'ConvlabConv2D';
  readonly a: ConvArgs;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: ConvArgs) {
    super(args);
    this.a = args;
    if (isDilated(args.strides) && isDilated(args.dilation)) throw new RuntimeError(messages.stridedDilated(args.strides, args.dilation));
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const cin = oneShape(inputShape)[3]!;
    const [fh, fw] = this.a.kernelSize;
    this.kernel = this.addWeight('kernel', [fh, fw, cin / this.a.groups, this.a.filters], 'float32', this.a.kernelInitializer ?? tf.initializers.glorotUniform({}));
    if (this.a.useBias) this.bias = this.addWeight('bias', [this.a.filters], 'float32', this.a.biasInitializer ?? tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return outShape(inputShape, this.a, this.a.filters);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const w = this.kernel!.read() as tf.Tensor4D;
      const a = this.a;
      const pad = tfPad(a.padding);
      const conv = (xi: tf.Tensor4D, wi: tf.Tensor4D) =>
        isDilated(a.dilation) ? dilatedConv(xi, wi, a.strides, pad, a.dilation, false) : tf.conv2d(xi, wi, a.strides, pad);
      let y: tf.Tensor4D;
      if (a.groups === 1) y = conv(x, w);
      else {
        const xs = tf.split(x, a.groups, 3);
        const ws = tf.split(w, a.groups, 3);
        y = tf.concat(xs.map((xi, g) => conv(xi as tf.Tensor4D, ws[g] as tf.Tensor4D)), 3);
      }
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const a = this.a;
    return {
      ...super.getConfig(),
      filters: a.filters, kernelSize: a.kernelSize, strides: a.strides, padding: a.padding,
      dilation: a.dilation, groups: a.groups, useBias: a.useBias,
    };
  }
}

export interface DepthwiseArgs extends LayerArgs {
  kernelSize: Pair;
  strides: Pair;
  padding: PaddingConfig;
  dilation: Pair;
  depthMultiplier: number;
  useBias: boolean;
  depthwiseInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/** DepthwiseConv2D with explicit padding and trainable dilation. */
export class ConvlabDepthwiseConv2D extends tf.layers.Layer {
  static className = 'ConvlabDepthwiseConv2D';
  readonly a: DepthwiseArgs;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: DepthwiseArgs) {
    super(args);
    this.a = args;
    if (isDilated(args.strides) && isDilated(args.dilation)) throw new RuntimeError(messages.stridedDilated(args.strides, args.dilation));
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const cin = oneShape(inputShape)[3]!;
    const [fh, fw] = this.a.kernelSize;
    this.kernel = this.addWeight('depthwise_kernel', [fh, fw, cin, this.a.depthMultiplier], 'float32', this.a.depthwiseInitializer ?? tf.initializers.glorotUniform({}));
    if (this.a.useBias) this.bias = this.addWeight('bias', [cin * this.a.depthMultiplier], 'float32', this.a.biasInitializer ?? tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return outShape(inputShape, this.a, oneShape(inputShape)[3]! * this.a.depthMultiplier);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const w = this.kernel!.read() as tf.Tensor4D;
      const a = this.a;
      const pad = tfPad(a.padding);
      const y = isDilated(a.dilation) ? dilatedConv(x, w, a.strides, pad, a.dilation, true) : tf.depthwiseConv2d(x, w, a.strides, pad);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const a = this.a;
    return {
      ...super.getConfig(),
      kernelSize: a.kernelSize, strides: a.strides, padding: a.padding,
      dilation: a.dilation, depthMultiplier: a.depthMultiplier, useBias: a.useBias,
    };
  }
}
