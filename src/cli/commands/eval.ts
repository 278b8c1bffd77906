/**
 * `convlab eval`: top-1 / top-5, confusion matrix and per-class accuracy of a trained model
 * directory (TensorFlow.js), or of an .onnx file in ONNX Runtime, optionally against a reference.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { BACKENDS } from '../../core/sets.js';
import { DATASET_NAMES, isDatasetName, type DatasetName } from '../../data/datasets.js';
import { folderOf } from '../../data/folder.js';
import type { DataName } from '../../runtime/tfjs/data.js';
import { int } from '../../report/units.js';
import type { TrainedMeta } from '../../import/trained.js';
import type { Evaluation } from '../../report/eval_chart.js';
import { drawChart, imageFormat } from '../charts.js';
import { checkOutput } from '../../core/output.js';
import { choice, dataDirOf, positiveInt } from '../options.js';
import { resolveModel } from '../resolve.js';
import { withWeights } from '../weights.js';
import type { OnnxEvalResult } from './eval_onnx.js';
import { messages } from '../../core/messages.js';

const EXAMPLES = `
Examples:
  $ convlab eval runs/lenet-mnist --data ../shared/data          # the data set training recorded
  $ convlab eval lenet-mnist.onnx --data ../shared/data           # an exported file records it too
  $ convlab eval my_cifar.keras --dataset cifar10 --data ../shared/data
  $ convlab eval runs/lenet-mnist --dataset mnist --data ../shared/data --chart lenet-mnist.png
  $ convlab eval runs/cnn-cifar --dataset cifar10 --data ../shared/data --format json
  $ convlab eval runs/photos --dataset folder:photos`;

type Write = (text: string) => void;

interface Opts {
  dataset?: string;
  weights?: string;
  data?: string;
  split: string;
  limit?: string;
  batchSize: string;
  chart?: string;
  format: string;
  backend: string;
  threads?: string;
  against?: string;
}

const pct = (x: number) => (Number.isNaN(x) ? '   -  ' : `${(x * 100).toFixed(2)}%`);

function streams(cmd: Command): { out: Write; err: Write } {
  const o = cmd.configureOutput();
  return { out: o.writeOut ?? ((t) => process.stdout.write(t)), err: o.writeErr ?? ((t) => process.stderr.write(t)) };
}

/** The confusion matrix and per-class accuracy as text. */
function report(ev: { top1: number; top5: number; count: number; confusion: number[][]; perClass: number[] }, classes: string[], heading: string): string {
  const w = Math.max(5, ...ev.confusion.flat().map((c) => String(c).length + 1));
  const labels = classes.map((c, i) => (c === String(i) ? c : `${i} ${c}`));
  const lw = Math.max(...labels.map((l) => l.length)) + 2;
  const lines = [heading, `top-1 ${pct(ev.top1)}   top-5 ${pct(ev.top5)}`, '', 'confusion matrix (rows: true class, columns: predicted class)'];
  lines.push(`${''.padEnd(lw)}${classes.map((_, i) => String(i).padStart(w)).join('')}`);
  ev.confusion.forEach((row, t) => lines.push(`${labels[t]!.padEnd(lw)}${row.map((c) => String(c).padStart(w)).join('')}`));
  lines.push('', 'accuracy per class');
  ev.perClass.forEach((a, c) => lines.push(`${labels[c]!.padEnd(lw)}${pct(a).padStart(8)}  (${int(ev.confusion[c]!.reduce((s, x) => s + x, 0))} samples)`));
  return `${lines.join('\n')}\n`;
}

/** Registers `convlab eval`. */
export function register(program: Command): void {
  program
    .command('eval')
    .description('evaluate a trained model directory: top-1 / top-5, confusion matrix, per-class accuracy')
    .argument('<model>', 'a trained model directory (model.json, weights.bin, spec.json), an .onnx file, or a model with weights (.keras, --weights)')
    .option('--dataset <name>', `${DATASET_NAMES.join(' | ')} | folder:PATH (default: the one the model records)`)
    .option('--weights <source>', 'a Keras weights file (.h5, .weights.h5, .keras) or an http(s) URL for the model')
    .option('--data <dir>', 'the data set folder, or a parent holding it (default: $CONVLAB_DATA)')
    .option('--split <name>', 'test | train', 'test')
    .option('--limit <n>', 'evaluate the first N samples only')
    .option('--batch-size <n>', 'samples per forward pass', '256')
    .option('--chart <file>', 'also draw the confusion matrix and per-class accuracy (.png or .svg)')
    .option('--format <format>', 'text | json', 'text')
    .option('--backend <name>', 'wasm | cpu', 'wasm')
    .option('--threads <n>', 'wasm threads (default: the cores other work leaves free); ONNX Runtime threads for .onnx')
    .option('--against <model>', 'also run a reference model (e.g. the float original) and report top-1 agreement and output differences')
    .addHelpText('after', EXAMPLES)
    .action(async (dir: string, o: Opts, self: Command) => {
      const { out, err } = streams(self);
      const dataset = await datasetOf(dir, o.dataset, err);
      // A folder data set names its own folder; --data is for the named ones.
      const dataDir = folderOf(dataset) !== undefined ? o.data ?? '' : dataDirOf(o.data);
      const split = choice('--split', ['test', 'train'] as const, o.split);
      const format = choice('--format', ['text', 'json'] as const, o.format);
      const batchSize = positiveInt('--batch-size', o.batchSize);
      const limit = o.limit !== undefined ? positiveInt('--limit', o.limit) : undefined;
      if (o.chart) {
        imageFormat(o.chart);
        checkOutput(o.chart);
      }
      const backend = choice('--backend', BACKENDS, o.backend);
      const threads = o.threads !== undefined ? positiveInt('--threads', o.threads) : undefined;

      if (/\.onnx$/i.test(dir) || o.against !== undefined) {
        const { evalOnnx } = await import('./eval_onnx.js');
        if (folderOf(dataset) !== undefined) throw new UsageError(messages.unknownDataset(dataset, DATASET_NAMES));
        const r = await evalOnnx({ model: dir, dataset: dataset as DatasetName, data: dataDir, ...(o.weights ? { weights: o.weights } : {}), split, batchSize, ...(o.against ? { against: o.against } : {}), ...(limit ? { limit } : {}), ...(threads ? { threads } : {}) });
        const ev = r.evaluation;
        const perClass = (e: typeof ev) => e.perClass.map((a) => (Number.isNaN(a) ? null : a));
        if (format === 'json') {
          const reference = r.reference && { ...r.reference, evaluation: { ...r.reference.evaluation, perClass: perClass(r.reference.evaluation) } };
          out(`${JSON.stringify({ model: dir, name: r.name, dataset, split, classes: r.classes, ...ev, perClass: perClass(ev), ...(reference ? { reference } : {}) }, null, 1)}\n`);
        } else {
          out(report(ev, r.classes, `${dir} (ONNX Runtime) on ${dataset} ${split}: ${int(ev.count)} samples`));
          if (r.reference) out(`${agreementLines(r).join('\n')}\n`);
        }
        if (o.chart) await drawEvaluation(ev, r.classes, `${dir} on ${dataset} ${split}`, o.chart, err);
        return;
      }

      const m = await withWeights(await resolveModel(dir), o.weights, {});
      if (!m.weights) throw new UsageError(messages.needsWeights(m.label));
      const meta = m.meta as TrainedMeta;
      const tfjs = await import('../../runtime/tfjs/index.js');
      await tfjs.initBackend({ backend, ...(threads ? { threads } : {}) });
      const model = tfjs.modelWithWeights(m.graph, m.weights);
      const input = m.graph.inputs[0]!.shape as [number, number, number];
      const data = await tfjs.loadEvalData(dataset, dataDir, split, input, meta.preprocessing, limit);
      const classes = meta.classes ?? data.classes;
      const outputs = model.outputs[0]!.shape.at(-1);
      if (outputs !== data.classes.length) throw new UsageError((s) => messages.classesMismatch(outputs ?? 0, dataset, data.classes.length, s));
      const ev = tfjs.evaluation(tfjs.predictScores(model, data, batchSize), data.labels, data.classes.length);
      const name = m.graph.name;
      if (format === 'json') {
        out(`${JSON.stringify({ model: dir, name, dataset, split, classes, ...ev, perClass: ev.perClass.map((a) => (Number.isNaN(a) ? null : a)) }, null, 1)}\n`);
      } else {
        out(report(ev, classes, `${dir} (${name}) on ${dataset} ${split}: ${int(ev.count)} samples`));
      }
      if (o.chart) await drawEvaluation(ev, classes, `${name} on ${dataset} ${split}`, o.chart, err);
    });
}

/**
 * The data set to evaluate on: --dataset, else the one the model records (a trained directory's
 * metadata, an exported file's convlab.meta); a --dataset that contradicts the record is warned about.
 */
async function datasetOf(arg: string, given: string | undefined, err: Write): Promise<DataName> {
  const isName = (d: string): d is DataName => isDatasetName(d) || folderOf(d) !== undefined;
  if (given !== undefined && !isName(given)) throw new UsageError(messages.unknownDataset(given, [...DATASET_NAMES, 'folder:PATH']));
  const { resolveRunnable } = await import('../resolve.js');
  const recorded = (await resolveRunnable(arg)).meta.dataset;
  const known = typeof recorded === 'string' && isName(recorded) ? recorded : undefined;
  if (given !== undefined) {
    if (known !== undefined && known !== given) err(`warning: ${messages.datasetContradicts(arg, known, given)}\n`);
    return given;
  }
  if (known === undefined) throw new UsageError(messages.evalNeedsDataset(arg, DATASET_NAMES));
  return known;
}

/** Draws the confusion matrix and per-class accuracy. */
async function drawEvaluation(ev: Evaluation, classes: string[], title: string, file: string, err: Write): Promise<void> {
  const { evaluationChart } = await import('../../report/eval_chart.js');
  await drawChart(evaluationChart(ev, classes, title), file);
  err(`wrote ${file}\n`);
}

/** The comparison with a reference model as text. */
function agreementLines(r: OnnxEvalResult): string[] {
  const ref = r.reference!;
  const a = ref.agreement;
  const change = (r.evaluation.top1 - ref.evaluation.top1) * 100;
  return [
    '',
    `reference ${ref.model}: top-1 ${pct(ref.evaluation.top1)}   top-5 ${pct(ref.evaluation.top5)}`,
    `top-1 change ${change >= 0 ? '+' : ''}${change.toFixed(2)} points; top-1 class agrees on ${pct(a.top1)} of ${int(a.count)} samples`,
    `output difference: max ${a.maxAbsDiff.toPrecision(3)}, mean ${a.meanAbsDiff.toPrecision(3)}`,
  ];
}

