/**
 * tfjs' Conv2D layer runs a fused conv whose custom gradient always computes the gradient of
 * its input as well as of its kernel. For a conv that nothing trainable feeds (the first layer,
 * or any layer of a frozen base) that input gradient is thrown away: on LeNet it is a fifth of a
 * training step. Such layers are switched to the plain conv, whose gradient tfjs computes only
 * where needed; the layer keeps its class, config and weights, so model.json does not change.
 */
import * as tf from '@tensorflow/tfjs';
import { one, type Kwargs } from './base.js';

/** The fields of tfjs' Conv2D layer the plain call reads. */
interface ConvFields {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  strides: [number, number];
  padding: 'valid' | 'same';
  dilationRate: [number, number];
  activation: { apply(t: tf.Tensor): tf.Tensor };
}

/** Makes a standard Conv2D layer run conv, bias and activation as separate ops. */
export function unfuseConv2D(layer: tf.layers.Layer): void {
  const l = layer as unknown as ConvFields;
  layer.call = (inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs) =>
    tf.tidy(() => {
      const y = tf.conv2d(one(inputs) as tf.Tensor4D, l.kernel.read() as tf.Tensor4D, l.strides, l.padding, 'NHWC', l.dilationRate);
      return l.activation.apply(l.bias ? tf.add(y, l.bias.read()) : y);
    });
}
