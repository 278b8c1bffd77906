/**
 * int8 accuracy on trained models: each model directory (`convlab train` output) is exported to
 * float ONNX, quantized with each calibration method (static int8, calibrated on the first N
 * training images), and with dynamic int8; every variant is scored on the whole test split in
 * ONNX Runtime next to the float model: top-1, its change in points, top-1 agreement and the
 * largest output difference. One JSON line per variant, then a markdown table.
 * Usage: node dist/bench/quantize_accuracy.js DIR:DATASET [DIR:DATASET ...] [--samples 256] [--full-range]
 *   e.g. runs/lenet-mnist:mnist runs/fashion-cnn:fashion-mnist runs/cifar-cnn:cifar10
 */
import { loadavg } from 'node:os';
import * as ort from 'onnxruntime-node';
import { resolveModel } from '../src/cli/resolve.js';
import { isDatasetName } from '../src/data/index.js';
import { exportModel } from '../src/runtime/onnx/export.js';
import { closeSession, createSession, run } from '../src/runtime/onnx/node.js';
import { encodeModel, type ModelProto } from '../src/onnx/proto.js';
import { agreement } from '../src/runtime/onnx/quantize/agreement.js';
import { quantizeDynamic } from '../src/runtime/onnx/quantize/dynamic.js';
import { quantizeStatic } from '../src/runtime/onnx/quantize/quantize.js';
import { CALIBRATION_METHODS } from '../src/runtime/onnx/quantize/ranges.js';
import type { CalibrationSamples } from '../src/runtime/onnx/quantize/calibrate.js';
import { datasetSamples, trainedRecipe } from '../src/runtime/onnx/quantize/samples.js';
import type { OrtModule } from '../src/runtime/onnx/session.js';
import { evaluation } from '../src/runtime/tfjs/metrics.js';
import { dataRoot, flag } from './tfjs_bench.js';

const samplesCount = Number(flag('--samples') ?? 256);
const fullRange = process.argv.includes('--full-range');
const targets = process.argv.slice(2).filter((a) => a.includes(':') && !a.startsWith('--'));

/** Class scores of a model on a sample set, in batches of 500. */
async function scores(model: ModelProto, set: CalibrationSamples, label: string): Promise<Float32Array> {
  const session = await createSession(encodeModel(model), { label });
  try {
    let all = new Float32Array(0);
    for (let s = 0; s < set.count; s += 500) {
      const e = Math.min(set.count, s + 500);
      const y = (await run(session, { data: set.slice(s, e), shape: [e - s, ...set.shape] }))[session.outputNames[0]!]!.data;
      if (s === 0) all = new Float32Array((set.count * y.length) / (e - s));
      all.set(y, (s * y.length) / (e - s));
    }
    return all;
  } finally {
    await closeSession(session);
  }
}

const rows: string[] = [];
for (const t of targets) {
  const [dir, dataset] = t.split(':') as [string, string];
  if (!isDatasetName(dataset)) throw new Error(`unknown data set ${dataset}`);
  const loaded = await resolveModel(dir);
  const fp32 = exportModel(loaded.graph, { weights: loaded.weights! }).model;
  const shape = [...loaded.graph.inputs[0]!.shape];
  const recipe = trainedRecipe(loaded.meta['preprocessing']);
  const test = await datasetSamples(dataset, dataRoot(), 'test', shape, recipe);
  const calibration = await datasetSamples(dataset, dataRoot(), 'train', shape, recipe, samplesCount);
  const classes = test.classes.length;
  const ref = await scores(fp32, test, `${dir} fp32`);
  const base = evaluation(ref, test.labels, classes).top1;
  const report = (variant: string, s: Float32Array, seconds: number | null) => {
    const top1 = evaluation(s, test.labels, classes).top1;
    const a = agreement(s, ref, classes);
    const line = {
      bench: 'quantize_accuracy', model: dir, dataset, test_samples: test.count, variant, calibration_samples: variant.startsWith('int8') ? calibration.count : null,
      top1: +top1.toFixed(4), top1_change_points: +((top1 - base) * 100).toFixed(2), agreement: +a.top1.toFixed(4),
      max_abs_diff: +a.maxAbsDiff.toPrecision(3), quantize_seconds: seconds === null ? null : +seconds.toFixed(2), load: +loadavg()[0]!.toFixed(2),
    };
    console.log(JSON.stringify(line));
    rows.push(`| ${dir} | ${variant} | ${(top1 * 100).toFixed(2)}% | ${line.top1_change_points >= 0 ? '+' : ''}${line.top1_change_points.toFixed(2)} | ${(a.top1 * 100).toFixed(2)}% | ${line.max_abs_diff} |`);
  };
  report('fp32', ref, null);
  for (const method of CALIBRATION_METHODS) {
    const t0 = performance.now();
    const q = await quantizeStatic(ort as unknown as OrtModule, fp32, calibration, { method, reduceRange: !fullRange }, dir);
    report(`int8 ${method}${fullRange ? ' (±127 weights)' : ''}`, await scores(q.model, test, `${dir} int8`), (performance.now() - t0) / 1000);
  }
  const t0 = performance.now();
  const d = quantizeDynamic(fp32, { reduceRange: !fullRange }, dir);
  report(`dynamic${fullRange ? ' (±127 weights)' : ''}`, await scores(d.model, test, `${dir} dynamic`), (performance.now() - t0) / 1000);
}
console.log('\n| model | variant | top-1 | change (points) | top-1 agreement with fp32 | max output difference |\n|---|---|---:|---:|---:|---:|');
console.log(rows.join('\n'));
