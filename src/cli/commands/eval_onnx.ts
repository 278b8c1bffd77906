/**
 * `convlab eval` in ONNX Runtime: a model file (float or quantized), or any model convlab runs,
 * scored on a data set split prepared as the model was trained, optionally against a reference
 * model (`--against`: top-1 agreement and output differences on the same samples).
 */
import { UsageError } from '../../core/errors.js';
import type { DatasetName } from '../../data/index.js';
import type { Evaluation } from '../../report/eval_chart.js';
import type { Agreement } from '../../runtime/onnx/quantize/agreement.js';
import type { Session } from '../../runtime/onnx/session.js';
import { onnxBytes, resolveRunnable } from '../resolve.js';
import { withWeightsExported } from '../weights.js';
import { messages } from '../../core/messages.js';

/** What an ONNX evaluation needs. */
export interface OnnxEvalRequest {
  model: string;
  /** --weights for the model (not the reference). */
  weights?: string;
  against?: string;
  dataset: DatasetName;
  data: string;
  split: 'train' | 'test';
  limit?: number;
  batchSize: number;
  threads?: number;
}

/** The result: the model's evaluation, the reference's, and their agreement. */
export interface OnnxEvalResult {
  name: string;
  classes: string[];
  evaluation: Evaluation;
  reference?: { model: string; evaluation: Evaluation; agreement: Agreement };
}

/** Scores of every sample through a session, in batches. */
async function scoresOf(session: Session, images: Float32Array, count: number, shape: number[], batchSize: number): Promise<Float32Array> {
  const { run } = await import('../../runtime/onnx/node.js');
  const per = shape.reduce((a, b) => a * b, 1);
  let all = new Float32Array(0);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const y = (await run(session, { data: images.subarray(start * per, (start + n) * per), shape: [n, ...shape] }))[session.outputNames[0]!]!.data;
    // The first batch tells how many scores a sample has.
    if (start === 0) all = new Float32Array((count * y.length) / n);
    all.set(y, (start * y.length) / n);
  }
  return all;
}

/** Opens a model argument in ONNX Runtime (trained directories and zoo ids are exported on the fly). */
async function open(arg: string, threads: number | undefined, weights?: string): Promise<Session> {
  const { createSession } = await import('../../runtime/onnx/node.js');
  const target = await withWeightsExported(await resolveRunnable(arg), weights, {});
  return createSession(onnxBytes(target) ?? target.graph!, {
    label: target.label, ...(threads ? { threads } : {}), ...(target.graph ? { graph: target.graph } : {}), ...(target.optimizedCache ? { optimizedCache: target.optimizedCache } : {}),
    ...(target.weights ? { export: { weights: target.weights } } : {}),
  });
}

/** Evaluates a model (and its reference) in ONNX Runtime. */
export async function evalOnnx(r: OnnxEvalRequest): Promise<OnnxEvalResult> {
  const { closeSession } = await import('../../runtime/onnx/node.js');
  const { datasetSamples, trainedRecipe } = await import('../../runtime/onnx/quantize/samples.js');
  const { evaluation } = await import('../../runtime/tfjs/metrics.js');
  const { agreement } = await import('../../runtime/onnx/quantize/agreement.js');
  const session = await open(r.model, r.threads, r.weights);
  const reference = r.against ? await open(r.against, r.threads) : null;
  try {
    const input = session.inputs[0]!;
    if (input.shape.some((d) => d === null)) throw new UsageError(messages.freeDims(r.model, input.name, input.shape));
    const shape = input.shape as number[];
    const data = await datasetSamples(r.dataset, r.data, r.split, shape, trainedRecipe(session.meta.preprocessing), r.limit);
    const classes = data.classes.length;
    const scores = await scoresOf(session, data.slice(0, data.count), data.count, shape, r.batchSize);
    if (scores.length !== data.count * classes) throw new UsageError((o) => messages.classesMismatch(scores.length / data.count, r.dataset, classes, o));
    const result: OnnxEvalResult = { name: session.label, classes: data.classes, evaluation: evaluation(scores, data.labels, classes) };
    if (reference) {
      const refScores = await scoresOf(reference, data.slice(0, data.count), data.count, shape, r.batchSize);
      result.reference = { model: r.against!, evaluation: evaluation(refScores, data.labels, classes), agreement: agreement(scores, refScores, classes) };
    }
    return result;
  } finally {
    await closeSession(session);
    if (reference) await closeSession(reference);
  }
}
