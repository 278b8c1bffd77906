/** Loss and evaluation: cross-entropy as Keras computes it, and top-k / confusion figures. */
import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../../graph/graph.js';
import type { LabeledSet } from '../../data/index.js';
import type { Evaluation } from '../../report/eval_chart.js';

/** Keras' epsilon: probabilities are clipped to [ε, 1-ε] before the log. */
const EPSILON = 1e-7;

/** True when the graph's output is already a softmax (fused or as its own node). */
export function outputIsSoftmax(graph: Graph): boolean {
  const out = graph.nodes.find((n) => n.name === graph.outputs[0]);
  if (!out) return false;
  return (out.op === 'Activation' && out.attrs['fn'] === 'softmax') || out.attrs['activation'] === 'softmax';
}

/** Mean categorical cross-entropy of one-hot targets, from probabilities (clipped, as Keras) or logits. */
export function crossEntropy(target: tf.Tensor, output: tf.Tensor, fromProbs: boolean): tf.Scalar {
  return tf.tidy(() => {
    if (!fromProbs) return tf.losses.softmaxCrossEntropy(target, output) as tf.Scalar;
    const p = tf.clipByValue(output, EPSILON, 1 - EPSILON);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.log(p)), -1))) as tf.Scalar;
  });
}

/** Class scores of every sample, in batches, in inference mode: [count, classes]. */
export function predictScores(model: tf.LayersModel, set: LabeledSet, batchSize: number): Float32Array {
  const chunks: Float32Array[] = [];
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const size = set.shape[0] * set.shape[1] * set.shape[2];
    // The tidy returns the tensor: returning its values would have tidy walk them one by one.
    const scores = tf.tidy(() => model.apply(tf.tensor4d(set.images.subarray(start * size, (start + n) * size), [n, ...set.shape]), { training: false }) as tf.Tensor);
    chunks.push(Float32Array.from(scores.dataSync()));
    scores.dispose();
  }
  const out = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Mean loss and accuracy of a set in inference mode. */
export function evaluateLoss(model: tf.LayersModel, set: LabeledSet, classes: number, fromProbs: boolean, batchSize: number): { loss: number; accuracy: number } {
  const scores = predictScores(model, set, batchSize);
  const loss = tf.tidy(() => crossEntropy(tf.oneHot(tf.tensor1d(set.labels, 'int32'), classes), tf.tensor2d(scores, [set.count, classes]), fromProbs).dataSync()[0]!);
  return { loss, accuracy: topK(scores, set.labels, classes, 1) };
}

/** Fraction of samples whose label is among the k highest scores. */
export function topK(scores: Float32Array, labels: Uint8Array, classes: number, k: number): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = scores.subarray(i * classes, (i + 1) * classes);
    const mine = row[labels[i]!]!;
    let above = 0;
    for (let c = 0; c < classes; c++) if (row[c]! > mine || (row[c] === mine && c < labels[i]!)) above++;
    if (above < k) hits++;
  }
  return labels.length === 0 ? 0 : hits / labels.length;
}

/** The predicted class (first of the highest scores) of each sample; Int32 so 1000-class models fit. */
export function argmaxRows(scores: Float32Array, classes: number): Int32Array {
  const out = new Int32Array(scores.length / classes);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c]! > scores[i * classes + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Top-1, top-5, confusion matrix and per-class accuracy from class scores. */
export function evaluation(scores: Float32Array, labels: Uint8Array, classes: number): Evaluation {
  const predicted = argmaxRows(scores, classes);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) confusion[labels[i]!]![predicted[i]!]! += 1;
  const perClass = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? NaN : row[c]! / total;
  });
  return { count: labels.length, top1: topK(scores, labels, classes, 1), top5: topK(scores, labels, classes, Math.min(5, classes)), confusion, perClass };
}
