/**
 * Activations. Where tfjs has the same function under a name, layers use it; hard_sigmoid and
 * hard_swish follow Keras 3 (relu6(x + 3) / 6, and x times that), which tfjs' own hardSigmoid
 * (0.2·x + 0.5, Keras 2) is not, so they get a layer of their own, as does elu with an α other
 * than 1 (tfjs' ELU refuses it). leaky_relu has tfjs' LeakyReLU layer but no activation name.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActivationFn } from '../../../ops/types.js';
import { one, type Kwargs, type LayerArgs } from './base.js';

type TfActivation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' | 'swish' | 'gelu' | 'elu' | 'selu';

/** convlab activation → tfjs identifier with the same definition, or null where none exists. */
export const TFJS_ACTIVATIONS: Record<ActivationFn, TfActivation | null> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  swish: 'swish',
  // tfjs' gelu is the exact erf form, as Keras' default (approximate=False).
  gelu: 'gelu',
  // tfjs' elu has α = 1 and its selu Klambauer et al.'s constants, as Keras.
  elu: 'elu',
  selu: 'selu',
  hard_sigmoid: null,
  hard_swish: null,
  leaky_relu: null,
};

/** The functions HardActivation computes. */
export type OwnActivation = 'hard_sigmoid' | 'hard_swish' | 'elu';

const hardSigmoid = (x: tf.Tensor): tf.Tensor => tf.relu6(tf.add(x, 3)).div(6);

/** Applies one of the activations tfjs has no exact equivalent for. */
function applyOwn(fn: OwnActivation, x: tf.Tensor, alpha: number): tf.Tensor {
  if (fn === 'elu') return tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1)));
  return fn === 'hard_sigmoid' ? hardSigmoid(x) : tf.mul(x, hardSigmoid(x));
}

/** An activation layer for hard_sigmoid, hard_swish and elu with any α. */
export class HardActivation extends tf.layers.Layer {
  static className = 'ConvlabHardActivation';
  readonly fn: OwnActivation;
  readonly alpha: number;

  constructor(args: LayerArgs & { fn: OwnActivation; alpha?: number }) {
    super(args);
    this.fn = args.fn;
    this.alpha = args.alpha ?? 1;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => applyOwn(this.fn, one(inputs), this.alpha));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), fn: this.fn, ...(this.fn === 'elu' ? { alpha: this.alpha } : {}) };
  }
}
