/**
 * BatchNorm while training. tfjs' layer normalizes a batch with generic ops: its gradient tiles
 * and multiplies full-size tensors some twenty times, and the wasm FusedBatchNorm kernel is a
 * scalar loop. Here a custom gradient does the textbook backward pass,
 *   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ/σ · (dy − dβ/M − x̂·dγ/M),
 * in eight elementwise passes, reductions over the leading axes by XNNPACK's pooling. The layer
 * keeps its class, weights and moving-average rule (Keras momentum); a frozen layer runs in
 * inference mode, as Keras runs it.
 */
import * as tf from '@tensorflow/tfjs';
import { one, type Kwargs } from './base.js';

/** The fields of tfjs' BatchNormalization layer the training call reads. */
interface BatchNormFields {
  gamma: { read(): tf.Tensor } | null;
  beta: { read(): tf.Tensor } | null;
  movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
  epsilon: number;
  momentum: number;
}

/** Batch statistics and the normalized output, its gradient written out by hand. */
function normalizeBatch(x: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null, epsilon: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.size / x.shape.at(-1)!;
  let stats: { mean: tf.Tensor; variance: tf.Tensor } | undefined;
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  const f = tf.customGrad((...args) => {
    const save = args.at(-1) as (t: tf.Tensor[]) => void;
    const xi = args[0] as tf.Tensor;
    const g = gamma ? (args[1] as tf.Tensor) : null;
    const b = beta ? (args[gamma ? 2 : 1] as tf.Tensor) : null;
    const mean = tf.mean(xi, axes);
    const centered = tf.sub(xi, mean);
    const variance = tf.mean(tf.square(centered), axes);
    const inv = tf.rsqrt(tf.add(variance, epsilon));
    const k = g ? tf.mul(inv, g) : inv;
    const scaled = tf.mul(centered, k);
    const value = b ? tf.add(scaled, b) : scaled;
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    save([centered, inv, k]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xc, sInv, sK] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const dBeta = tf.sum(dy, axes);
      const xHat = tf.mul(xc, sInv);
      const dGamma = tf.sum(tf.mul(dy, xHat), axes);
      const dx = tf.mul(tf.sub(tf.sub(dy, tf.div(dBeta, count)), tf.mul(xHat, tf.div(dGamma, count))), sK);
      return [dx, ...(gamma ? [dGamma] : []), ...(beta ? [dBeta] : [])];
    };
    return { value, gradFunc };
  });
  const y = f(...inputs);
  return { y, mean: stats!.mean, variance: stats!.variance };
}

/** Installs the training call on a tfjs BatchNormalization layer (normalizing over the last axis). */
export function trainableBatchNorm(layer: tf.layers.Layer): void {
  const l = layer as unknown as BatchNormFields;
  const inference = layer.call.bind(layer);
  layer.call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => {
    if (kwargs['training'] !== true || !layer.trainable) return inference(inputs, { ...kwargs, training: false });
    return tf.tidy(() => {
      const { y, mean, variance } = normalizeBatch(one(inputs), l.gamma?.read() ?? null, l.beta?.read() ?? null, l.epsilon);
      // Keras' moving averages: moving = moving·momentum + batch·(1 − momentum).
      const decay = 1 - l.momentum;
      l.movingMean.write(tf.add(tf.mul(l.movingMean.read(), l.momentum), tf.mul(mean, decay)));
      l.movingVariance.write(tf.add(tf.mul(l.movingVariance.read(), l.momentum), tf.mul(variance, decay)));
      mean.dispose();
      variance.dispose();
      return y;
    });
  };
}
