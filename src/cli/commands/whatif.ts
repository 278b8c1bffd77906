/** `convlab whatif`: apply the lecture's design moves to a model and see their cost, counted and measured. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { OPTIMIZERS, type Optimizer } from '../../core/sets.js';
import { DATASET_NAMES, DATASETS, isDatasetName } from '../../data/datasets.js';
import { UsageError } from '../../core/errors.js';
import { resolveGraph } from '../../graph/graph.js';
import type { GraphSpec } from '../../graph/types.js';
import { FORMATS } from '../../report/document.js';
import { render } from '../../report/format.js';
import { whatIfCsvTable, whatIfJson, whatIfReport, type WhatIfMeasured } from '../../report/whatif.js';
import { MOVES, MOVE_NAMES, parseMove, whatIf, type AccuracyPair, type LatencyPair } from '../../rewrite/index.js';
import { hasModel } from '../../zoo/index.js';
import { resolveModel } from '../resolve.js';
import { messages } from '../../core/messages.js';
import { addAnalysisOptions, addModelOptions, analysisOptionsOf, choice, dataDirOf, modelOptionsOf, positiveInt, wholeNumber } from '../options.js';
import { deliver } from '../output.js';
import { checkOutput, writeOutput } from '../../core/output.js';

const EXAMPLES = `
Examples:
  $ convlab whatif vgg16 --move gap-head                        # the FC layers' 123 M parameters gone
  $ convlab whatif mobilenet --move width=0.5                   # 569 M → 149 M MACs (the paper's α = 0.5)
  $ convlab whatif mobilenet --move resolution=160,160          # 569 M → 291 M MACs (ρ = 160/224)
  $ convlab whatif vgg16 --move separable --bench               # 8× fewer MACs; how much faster, measured
  $ convlab whatif googlenet --move bottleneck=2 --layers 'inception_*_5x5'
  $ convlab whatif googlenet --move no-lrn --move fold-bn --format json
  $ convlab whatif efficientnet_b0 --move compound=1 -o b0_phi1.json
  $ convlab whatif resnet50 --move depth=2 --format csv
  $ convlab whatif lenet5 --move separable --train mnist --data ../shared/data --epochs 2

Moves (NAME or NAME=ARG, applied in order):
${MOVE_NAMES.map((n) => `  ${(MOVES[n].arg.kind === 'none' ? n : MOVES[n].arg.example.replace(/=.*/, '=…')).padEnd(14)} ${MOVES[n].doc}`).join('\n')}

Layer moves (factorize … fold-bn) rewrite every layer they apply to, or those --layers names;
a layer they cannot rewrite (a strided 5×5, channels that do not divide) is an error naming it.
--bench and --train run both graphs with seeded weights, the same settings, in the same run.`;

interface WhatIfFlags {
  move: string[];
  layers?: string;
  format: string;
  out?: string;
  convention: string;
  params: string;
  dtype: string;
  batch: string;
  optimizer: string;
  bench?: boolean;
  threads?: string;
  warmup: string;
  runs: string;
  seed: string;
  train?: string;
  data?: string;
  epochs: string;
  batchSize: string;
  lr: string;
  limit?: string;
  testLimit?: string;
  input?: string;
  classes?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Times both graphs with the bench code `convlab bench` uses, one after the other in this process. */
async function measureLatency(before: GraphSpec, after: GraphSpec, o: { threads: number; warmup: number; runs: number; seed: number }): Promise<LatencyPair> {
  const { benchModel } = await import('../../runtime/onnx/bench_node.js');
  const { engineInfo } = await import('../../runtime/onnx/node.js');
  const settings = { batches: [1], warmup: o.warmup, runs: o.runs, threads: o.threads, optimizationLevel: 'all' as const, seed: o.seed, perLayer: false };
  const time = async (spec: GraphSpec, label: string) => {
    const r = await benchModel({ label, source: 'spec', graph: resolveGraph(spec), bytes: null, weights: null, graphNote: null }, settings);
    return r.batches[0]!.latencyMs.p50;
  };
  const beforeMs = await time(before, 'before');
  const afterMs = await time(after, 'after');
  const engine = engineInfo();
  return { engine: `${engine.name} ${engine.version}`, threads: o.threads, batch: 1, runs: o.runs, beforeMs, afterMs, weights: `seeded Keras-style weights (seed ${o.seed})` };
}

/** Adds `convlab whatif` to the program. */
export function register(program: Command): void {
  const cmd = program
    .command('whatif')
    .description('apply design moves (factorize, separable, gap-head, width=α, ...) and compare the cost before and after')
    .argument('<model>', 'zoo id, spec .json, .onnx, model.json, or a trained model directory');
  addModelOptions(cmd);
  addAnalysisOptions(cmd)
    .requiredOption('--move <NAME[=ARG]>', 'a design move; repeat to apply several in order', collect, [])
    .option('--layers <globs>', "restrict layer moves to these layers (comma-separated globs, e.g. 'block4_*,block5_*')")
    .option('--format <name>', `output format: ${FORMATS.join(' | ')}`, 'table')
    .option('-o, --out <file>', 'write the rewritten model as a spec .json (atomically)')
    .option('--batch <n>', 'batch size for training memory', '32')
    .option('--optimizer <name>', `optimizer for training memory and --train: ${OPTIMIZERS.join(' | ')}`, 'adam')
    .option('--bench', 'measure the latency of both graphs in ONNX Runtime (batch 1)')
    .option('--threads <n>', '--bench: intra-op threads (default: one per core)')
    .option('--warmup <n>', '--bench: untimed runs before timing', '3')
    .option('--runs <n>', '--bench: timed runs per graph', '20')
    .option('--seed <n>', 'seed of the weights (--bench) and of initialization and shuffling (--train)', '0')
    .option('--train <dataset>', `train both graphs from scratch and compare test accuracy: ${DATASET_NAMES.join(' | ')}`)
    .option('--data <dir>', '--train: the data set folder, or a parent holding it (default: $CONVLAB_DATA)')
    .option('--epochs <n>', '--train: passes over the training set', '2')
    .option('--batch-size <n>', '--train: samples per step', '64')
    .option('--lr <rate>', '--train: learning rate', '0.001')
    .option('--limit <n>', '--train: train on the first N samples only')
    .option('--test-limit <n>', '--train: evaluate on the first N test samples only')
    .addHelpText('after', EXAMPLES)
    .action(async (model: string, o: WhatIfFlags) => {
      const format = choice('--format', FORMATS, o.format);
      const analysis = analysisOptionsOf(o);
      const batch = positiveInt('--batch', o.batch);
      const optimizer: Optimizer = choice('--optimizer', OPTIMIZERS, o.optimizer);
      const seed = wholeNumber('--seed', o.seed);
      const moves = o.move.map(parseMove);
      if (o.out) {
        if (!o.out.endsWith('.json')) throw new UsageError(messages.outputExtension(o.out, ['json']));
        checkOutput(o.out);
      }
      const dataset = o.train;
      let dataDir = '';
      if (dataset !== undefined) {
        if (!isDatasetName(dataset)) throw new UsageError(messages.unknownDataset(dataset, DATASET_NAMES));
        dataDir = dataDirOf(o.data);
      }
      const options = modelOptionsOf(cmd, o);
      if (dataset !== undefined && isDatasetName(dataset) && hasModel(model) && options.classes === undefined) options.classes = DATASETS[dataset].classCount;
      const { spec } = (await resolveModel(model, options)).graph;

      const w = whatIf(spec, moves, { ...analysis, batch, optimizer, ...(o.layers !== undefined ? { layers: o.layers } : {}) });
      const measured: WhatIfMeasured = {};
      if (o.bench) {
        const threads = o.threads === undefined ? availableParallelism() : positiveInt('--threads', o.threads);
        measured.latency = await measureLatency(spec, w.spec, { threads, warmup: wholeNumber('--warmup', o.warmup), runs: positiveInt('--runs', o.runs), seed });
      }
      if (dataset !== undefined && isDatasetName(dataset)) {
        const tfjs = await import('../../runtime/tfjs/index.js');
        await tfjs.initBackend();
        const recipe = {
          dataset, data: dataDir, epochs: positiveInt('--epochs', o.epochs), batchSize: positiveInt('--batch-size', o.batchSize),
          optimizer, lr: Number(o.lr), seed,
          ...(o.limit !== undefined ? { limit: positiveInt('--limit', o.limit) } : {}),
          ...(o.testLimit !== undefined ? { testLimit: positiveInt('--test-limit', o.testLimit) } : {}),
        };
        if (!(recipe.lr > 0)) throw new UsageError(messages.badPositive('--lr', o.lr));
        const before = await tfjs.trainAndTest(spec, recipe);
        const after = await tfjs.trainAndTest(w.spec, recipe);
        const accuracy: AccuracyPair = { dataset, recipe: tfjs.recipeText(recipe), testSamples: after.testSamples, before: before.top1, after: after.top1 };
        measured.accuracy = accuracy;
      }

      if (o.out) {
        const text = `${JSON.stringify(w.spec, null, 2)}\n`;
        writeOutput(o.out, text);
        process.stderr.write(`${messages.wrote(o.out, Buffer.byteLength(text))}\n`);
      }
      deliver(render(format, { report: () => whatIfReport(w, measured), csv: () => whatIfCsvTable(w), json: () => whatIfJson(w, measured) }));
    });
}
