/** Shared pieces of convlab's custom tfjs layers. */
import * as tf from '@tensorflow/tfjs';

/** The base constructor arguments every tfjs layer takes (name, trainable, ...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** An initializer as tfjs layers take it. */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** The kwargs a layer's call receives. */
export type Kwargs = Record<string, unknown>;

/** The single tensor of a call's inputs. */
export const one = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);

/** The shape of a single-input layer. */
export const oneShape = (s: tf.Shape | tf.Shape[]): tf.Shape => (Array.isArray(s[0]) ? (s[0] as tf.Shape) : (s as tf.Shape));

/** Convlab padding: a Keras keyword or explicit [top, bottom, left, right]. */
export type PaddingConfig = 'valid' | 'same' | [number, number, number, number];

/** The padding argument tf.conv2d takes for convlab padding. */
export function tfPad(p: PaddingConfig): 'valid' | 'same' | tf.backend_util.ExplicitPadding {
  return typeof p === 'string' ? p : [[0, 0], [p[0], p[1]], [p[2], p[3]], [0, 0]];
}
