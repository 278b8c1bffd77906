/**
 * Activations. Where tfjs has the same function under a name, layers use it; hard_sigmoid and
 * hard_swish follow Keras 3 (relu6(x + 3) / 6, and x times that), which tfjs' own hardSigmoid
 * (0.2·x + 0.5, Keras 2) is not, so they get a layer of their own.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActivationFn } from '../../../ops/types.js';
import { one, type Kwargs, type LayerArgs } from './base.js';

type TfActivation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' | 'swish' | 'gelu';

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
  hard_sigmoid: null,
  hard_swish: null,
};

const hardSigmoid = (x: tf.Tensor): tf.Tensor => tf.relu6(tf.add(x, 3)).div(6);

/** Applies one of the activations tfjs has no exact equivalent for. */
function applyHard(fn: 'hard_sigmoid' | 'hard_swish', x: tf.Tensor): tf.Tensor {
  return fn === 'hard_sigmoid' ? hardSigmoid(x) : tf.mul(x, hardSigmoid(x));
}

/** An activation layer for hard_sigmoid and hard_swish. */
export class HardActivation extends tf.layers.Layer {
  static className = 'ConvlabHardActivation';
  readonly fn: 'hard_sigmoid' | 'hard_swish';

  constructor(args: LayerArgs & { fn: 'hard_sigmoid' | 'hard_swish' }) {
    super(args);
    this.fn = args.fn;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => applyHard(this.fn, one(inputs)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), fn: this.fn };
  }
}
