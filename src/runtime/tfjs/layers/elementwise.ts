/** Elementwise layers tfjs lacks (ScaledAdd, LRN, Keras' Normalization) and seeded dropout. */
import * as tf from '@tensorflow/tfjs';
import { one, oneShape, type Kwargs, type LayerArgs } from './base.js';

/** x + scale·y: Inception-ResNet's scaled residual (a Lambda layer in Keras). */
export class ScaledAdd extends tf.layers.Layer {
  static className = 'ConvlabScaledAdd';
  readonly scale: number;

  constructor(args: LayerArgs & { scale: number }) {
    super(args);
    this.scale = args.scale;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const [x, y] = inputs as tf.Tensor[];
      return tf.add(x!, tf.mul(y!, this.scale));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale };
  }
}

/**
 * Local response normalization across channels, as tf.nn.lrn and the AlexNet paper define it:
 * x / (bias + alpha·Σ x²)^beta over `size` neighbouring channels (size odd, radius (size-1)/2).
 */
export class LocalResponseNorm extends tf.layers.Layer {
  static className = 'ConvlabLRN';
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly bias: number;

  constructor(args: LayerArgs & { size: number; alpha: number; beta: number; bias: number }) {
    super(args);
    this.size = args.size;
    this.alpha = args.alpha;
    this.beta = args.beta;
    this.bias = args.bias;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => tf.localResponseNormalization(one(inputs) as tf.Tensor4D, (this.size - 1) / 2, this.bias, this.alpha, this.beta));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size, alpha: this.alpha, beta: this.beta, bias: this.bias };
  }
}

/** Keras' epsilon, the floor of the standard deviation Normalization divides by. */
const KERAS_EPSILON = 1e-7;

/**
 * Keras' Normalization: (x - mean) / max(sqrt(variance), ε) per channel, with mean, variance and
 * a sample count stored as non-trainable weights (EfficientNet's input layer).
 */
export class Normalization extends tf.layers.Layer {
  static className = 'ConvlabNormalization';
  readonly initialMean: number[] | null;
  readonly initialVariance: number[] | null;
  private mean?: tf.LayerVariable;
  private variance?: tf.LayerVariable;

  constructor(args: LayerArgs & { mean?: number[] | null; variance?: number[] | null }) {
    super(args);
    this.initialMean = args.mean ?? null;
    this.initialVariance = args.variance ?? null;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape).at(-1)!;
    this.mean = this.addWeight('mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.variance = this.addWeight('variance', [c], 'float32', tf.initializers.ones(), undefined, false);
    this.addWeight('count', [], 'float32', tf.initializers.zeros(), undefined, false);
    // Values given as attributes (possibly one per channel, or one broadcast) replace the defaults.
    if (this.initialMean) this.mean.write(tf.broadcastTo(tf.tensor1d(this.initialMean), [c]) as tf.Tensor1D);
    if (this.initialVariance) this.variance.write(tf.broadcastTo(tf.tensor1d(this.initialVariance), [c]) as tf.Tensor1D);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => tf.div(tf.sub(one(inputs), this.mean!.read()), tf.maximum(tf.sqrt(this.variance!.read()), KERAS_EPSILON)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mean: this.initialMean, variance: this.initialVariance };
  }
}

/**
 * Reproducible dropout masks on tfjs' Dropout layer. With a seed, tfjs draws the same mask every
 * step; without one it draws from Math.random, so a resumed run could not replay it. The layer
 * keeps its class and config (a plain Keras Dropout in model.json); its training call mixes the
 * layer's seed with `dropoutSeed`, which the trainer passes in the call's kwargs from its own
 * checkpointed generator.
 */
export function seededDropout(layer: tf.layers.Layer, rate: number, seed: number): void {
  layer.call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => {
    const x = one(inputs);
    if (kwargs['training'] !== true || rate === 0) return x;
    const step = typeof kwargs['dropoutSeed'] === 'number' ? kwargs['dropoutSeed'] : 0;
    return tf.tidy(() => tf.dropout(x, rate, undefined, (Math.imul(seed ^ step, 0x9e3779b1) >>> 0) + 1));
  };
}
