/**
 * The part of a training step every replica runs, in the main thread or a worker: forward pass,
 * loss and gradients of one batch; and which variables a replica must share besides the trainable
 * weights (BatchNorm's moving statistics, which training also changes).
 */
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from './metrics.js';

/** A batch as a step takes it: NHWC images, labels, and the count of samples. */
export interface StepBatch {
  images: Float32Array;
  labels: Uint8Array;
  shape: readonly number[];
  count: number;
}

/** What a batch's forward and backward pass give: mean loss (NaN when an output is not finite), hits, and one gradient per variable. */
export interface BatchGradients {
  loss: number;
  correct: number;
  grads: tf.Tensor[];
}

/**
 * Forward, loss and gradients of `variables` for one batch. Call inside tf.tidy: the gradients
 * are the tidy's to free.
 */
export function batchGradients(
  model: tf.LayersModel, variables: tf.Variable[], batch: StepBatch, classes: number, fromProbs: boolean, dropoutSeed: number,
): BatchGradients {
  const x = tf.tensor4d(batch.images, [batch.count, ...batch.shape] as [number, number, number, number]);
  const labels = tf.tensor1d(batch.labels, 'int32');
  const y = tf.oneHot(labels, classes);
  let predicted: tf.Tensor | undefined;
  let total: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = model.apply(x, { training: true, dropoutSeed }) as tf.Tensor;
    predicted = tf.keep(tf.argMax(out, -1));
    // Clipping before the log can hide a NaN output; the sum of the outputs cannot.
    total = tf.keep(tf.sum(out));
    return crossEntropy(y, out, fromProbs);
  }, variables);
  const correct = tf.sum(tf.cast(tf.equal(predicted!, labels), 'int32'));
  const [rawLoss, hits, sum] = tf.stack([value, tf.cast(correct, 'float32'), total!]).dataSync();
  predicted!.dispose();
  total!.dispose();
  return { loss: Number.isFinite(sum) ? rawLoss! : NaN, correct: hits!, grads: variables.map((v) => grads[v.name]!) };
}

/**
 * Weights that training changes without gradients: the moving mean and variance of every
 * BatchNorm layer that trains (a frozen one runs in inference mode and leaves them alone).
 */
export function trainingState(model: tf.LayersModel): tf.LayerVariable[] {
  return model.layers
    .filter((l) => l.getClassName() === 'BatchNormalization' && l.trainable)
    .flatMap((l) => l.nonTrainableWeights);
}
