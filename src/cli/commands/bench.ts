/** `convlab bench`: latency, throughput and achieved GFLOP/s in ONNX Runtime, per model and per layer. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { render } from '../../report/format.js';
import { toJson } from '../../report/json.js';
import type { BenchRun, ModelBench } from '../../report/bench.js';
import { OPTIMIZATION_LEVELS } from '../../runtime/onnx/session.js';
import { deliver } from '../output.js';
import { checkOutput } from '../../core/output.js';
import { addModelOptions, choice, modelOptionsOf, positiveInt, wholeNumber } from '../options.js';
import { addQuantizeOptions, makeVariants, type QuantizeFlags } from '../quantize_options.js';
import type { BenchTarget } from '../../runtime/onnx/bench_node.js';
import type { Variant } from '../../runtime/onnx/quantize/variants.js';
import { onnxBytes, resolveRunnable } from '../resolve.js';
import { addWeightsOption, withWeights } from '../weights.js';
import { drawChart, imageFormat } from '../charts.js';
import { messages } from '../../core/messages.js';

const BENCH_FORMATS = ['table', 'json', 'md'] as const;
/** Engines `bench` can time; the tfjs runtime adds its name here when it lands. */
const BENCH_RUNTIMES = ['onnx'] as const;

const EXAMPLES = `
Examples:
  $ convlab bench resnet50 --weights imagenet --batch 1,8       # Keras' ImageNet weights from the cache
  $ convlab bench resnet50                                  # batch 1, all cores
  $ convlab bench resnet50 --batch 1,8,32 --threads 2 --runs 50
  $ convlab bench mobilenet_v2 --per-layer --chart layers.svg   # time vs MACs per layer
  $ convlab bench resnet50 mobilenet_v2 efficientnet_b0 --chart models.png
  $ convlab bench model.onnx --format json > bench.json
  $ convlab bench resnet50 --compare fp32,int8 --batch 1,8       # int8 calibrated on noise: timing only
  $ convlab bench runs/cnn-cifar --compare fp32,int8,dynamic,fp16 --calibrate cifar10 --per-layer

Achieved GFLOP/s counts FLOPs as 2 × MACs (conv + dense multiply-accumulates from convlab's
analysis). Zoo ids and spec files run with seeded Keras-style weights (--seed). --compare makes
each precision variant from the float model, times them one after another and prints the
speed-up; with --per-layer each layer shows its precision and why it stayed float.`;

interface BenchFlags extends QuantizeFlags {
  compare?: string;
  runtime: string;
  batch: string;
  threads?: string;
  warmup: string;
  runs: string;
  optimization: string;
  perLayer?: boolean;
  format: string;
  chart?: string;
  seed: string;
  weights?: string;
  out?: string;
  input?: string;
  classes?: string;
}

/** Reads `--batch 1,8,32`. */
function parseBatches(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || !parts.every((p) => /^\d+$/.test(p) && Number(p) > 0)) throw new UsageError(messages.badBatchList(text));
  return parts.map(Number);
}

/** A progress bar on stderr when it is a terminal; silent otherwise. */
async function progressBar(total: number): Promise<{ tick(label: string): void; stop(): void }> {
  if (!process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar = new SingleBar({ format: 'bench {label} |{bar}| {value}/{total} runs', stream: process.stderr, clearOnComplete: true, hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0, { label: '' });
  return { tick: (label) => bar.increment(1, { label }), stop: () => bar.stop() };
}

/** Adds `convlab bench` to the program. */
export function register(program: Command): void {
  const cmd = program
    .command('bench')
    .description('measure latency (p50/p90), images/s and achieved GFLOP/s in ONNX Runtime; --per-layer for time per node')
    .argument('<models...>', 'zoo ids, spec .json files or .onnx files');
  addWeightsOption(cmd);
  addModelOptions(cmd)
    .option('--runtime <name>', `engine: ${BENCH_RUNTIMES.join(' | ')}`, 'onnx')
    .option('--batch <list>', 'batch sizes, comma-separated', '1')
    .option('--threads <n>', 'intra-op threads (default: one per core)')
    .option('--warmup <n>', 'untimed runs before timing, per batch size', '3')
    .option('--runs <n>', 'timed runs per batch size', '20')
    .option('--optimization <level>', `ORT graph optimization: ${OPTIMIZATION_LEVELS.join(' | ')}`, 'all')
    .option('--per-layer', 'profile time per node next to its MACs and arithmetic intensity (first batch size)')
    .option('--format <name>', `output format: ${BENCH_FORMATS.join(' | ')}`, 'table')
    .option('--chart <file>', 'draw to .svg or .png: throughput vs batch for several batch sizes, else time vs MACs per model, or per layer with --per-layer')
    .option('--seed <n>', 'seed of the Keras-style weights for zoo ids and spec files', '0')
    .option('-o, --out <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--compare <variants>', 'also time lower-precision variants, comma-separated: fp32, int8, dynamic, fp16, bf16');
  addQuantizeOptions(cmd)
    .addHelpText('after', EXAMPLES)
    .action(async (models: string[], o: BenchFlags) => {
      choice('--runtime', BENCH_RUNTIMES, o.runtime);
      const format = choice('--format', BENCH_FORMATS, o.format);
      const batches = parseBatches(o.batch);
      const threads = o.threads === undefined ? availableParallelism() : positiveInt('--threads', o.threads);
      const warmup = wholeNumber('--warmup', o.warmup);
      const runs = positiveInt('--runs', o.runs);
      const seed = wholeNumber('--seed', o.seed);
      const optimizationLevel = choice('--optimization', OPTIMIZATION_LEVELS, o.optimization);
      if (o.chart) {
        imageFormat(o.chart);
        checkOutput(o.chart);
      }
      if (o.out) checkOutput(o.out);
      const options = modelOptionsOf(cmd, o);

      const variants = o.compare === undefined ? null : (await import('../../runtime/onnx/quantize/variants.js')).parseVariants(o.compare);
      const { benchModel } = await import('../../runtime/onnx/bench_node.js');
      const { engineInfo } = await import('../../runtime/onnx/node.js');
      const perModel = batches.length * (warmup + runs) + (o.perLayer ? warmup + runs : 0);
      const bar = await progressBar(models.length * perModel * (variants?.length ?? 1));
      const results: ModelBench[] = [];
      try {
        for (const arg of models) {
          const m = await withWeights(await resolveRunnable(arg, options), o.weights, options);
          const importError = m.source.kind === 'onnx' ? m.source.importError : null;
          const resolved: BenchTarget = { label: m.label, source: m.source.kind, graph: m.graph, bytes: onnxBytes(m), weights: m.weights, graphNote: importError?.message ?? null };
          const targets = variants ? await variantTargets(resolved, m.meta, variants, o, seed, threads) : [resolved];
          for (const target of targets) {
            results.push(await benchModel(target, {
              batches, warmup, runs, threads, optimizationLevel, seed, perLayer: o.perLayer ?? false,
              onProgress: (_done, _total, batch) => bar.tick(`${target.label} batch ${batch}`),
              onProfileRun: () => bar.tick(`${target.label} profile`),
            }));
          }
        }
      } finally {
        bar.stop();
      }

      const run: BenchRun = { engine: { ...engineInfo(), threads, optimizationLevel }, warmup, runs, models: results };
      const { benchReport, benchTable, perLayerReport, perLayerTable } = await import('../../report/bench.js');
      let text: string;
      if (format === 'json') text = `${toJson(run)}\n`;
      else {
        text = render(format, { report: () => benchReport(run), csv: () => benchTable(run), json: () => run });
        for (const m of results.filter((r) => r.perLayer)) {
          text += `\n${render(format, { report: () => perLayerReport(m), csv: () => perLayerTable(m.perLayer!), json: () => m.perLayer })}`;
        }
      }
      deliver(text, o.out);

      if (o.chart) {
        const { layerTimeChart, modelTimeChart, batchChart } = await import('../../report/bench_charts.js');
        // Several batch sizes chart throughput; several models at one batch, latency against MACs; one model with --per-layer, its layers.
        const spec = batches.length > 1 ? batchChart(results) : results.length > 1 ? modelTimeChart(results) : results[0]!.perLayer ? layerTimeChart(results[0]!) : batchChart(results);
        process.stderr.write(`${messages.wrote(o.chart, await drawChart(spec, o.chart))}\n`);
      }
    });
}

/** One bench target per precision variant of a model, each made from its float ONNX form. */
async function variantTargets(target: BenchTarget, meta: Record<string, unknown>, variants: readonly Variant[], flags: QuantizeFlags, seed: number, threads: number): Promise<BenchTarget[]> {
  const { decodeModel, infoDims } = await import('../../onnx/proto.js');
  const { exportModel } = await import('../../runtime/onnx/export.js');
  const fp32 = target.bytes
    ? decodeModel(target.bytes, target.label)
    : exportModel(target.graph!, target.weights ? { weights: target.weights } : { seed }).model;
  const input = target.graph?.inputs[0]?.shape ?? infoDims(fp32.graph.input[0]!).slice(1);
  if (input.some((d) => typeof d !== 'number')) throw new UsageError(messages.freeDims(target.label, fp32.graph.input[0]!.name, input.map((d) => (typeof d === 'number' ? d : null))));
  const made = await makeVariants(fp32, variants, flags, { label: target.label, input: input as number[], meta }, threads);
  return made.map((v) => ({ ...target, label: `${target.label} [${v.variant}]`, bytes: v.bytes, variant: v.variant, variantOf: target.label, record: v.record }));
}
