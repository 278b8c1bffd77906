/** `convlab train`: train a zoo model or spec on a data set with TensorFlow.js (wasm backend) or PyTorch. */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { BACKENDS, OPTIMIZERS, SCHEDULES } from '../../core/sets.js';
import type { Graph } from '../../graph/graph.js';
import { checkDatasetChannels, DATASET_NAMES, DATASETS, isDatasetName, type DatasetName } from '../../data/datasets.js';
import { folderClassCount, folderOf, folderSplitDir } from '../../data/folder.js';
import type { DataName } from '../../runtime/tfjs/data.js';
import { checkRunFolder } from '../../runtime/tfjs/run_folder.js';
import { checkTorchRunFolder } from '../../runtime/torch/run_folder.js';
import { int } from '../../report/units.js';
import { defaultWorkers } from '../../runtime/tfjs/workers.js';
import { hasModel } from '../../zoo/index.js';
import { resolveModel } from '../resolve.js';
import { addModelOptions, choice, flagOf, modelOptionsOf, positiveInt } from '../options.js';
import { messages } from '../../core/messages.js';
import { dataLine, pct, stopOnCtrlC, trainingReport, type Write } from './train_report.js';
import { number, readRun, type RunOpts, type RunSettings } from './train_run.js';
import { addTorchOptions, checkEngineOptions, ENGINES, readTorchEngine, trainWithTorch, type TorchOpts } from './train_torch.js';

const EXAMPLES = `
Defaults: Adam, learning rate 0.001, batch 64, 10 epochs, 10% of the training split held out for
validation; MNIST, Fashion-MNIST and CIFAR-10 standardized per channel with the training split's
mean and std (--no-standardize keeps pixels in [0, 1]); CIFAR-10 augmented with crops and flips;
one data-parallel worker per core, each with its own model replica.

Examples:
  $ convlab train lenet5 --dataset mnist --data ../shared/data --epochs 1
  $ CONVLAB_DATA=../shared/data convlab train lenet5 --dataset mnist --epochs 10 --out runs/lenet-mnist
  $ convlab train lenet5 --dataset mnist --data ../shared/data --epochs 10 --out runs/lenet-mnist
  $ convlab train lenet5 --dataset mnist --data ../shared/data --epochs 10 --out runs/lenet-mnist --resume
  $ convlab train lenet5 --dataset mnist --data ../shared/data --epochs 10 --out runs/lenet-mnist --force   # start it over
  $ convlab train my_cnn.json --dataset cifar10 --data ../shared/data --optimizer momentum --lr 0.05 --schedule cosine
  $ convlab train resnet20 --dataset cifar10 --data ../shared/data --workers 2 --epochs 30
  $ convlab train lenet5 --dataset fashion-mnist --data ../shared/data --weights runs/lenet-mnist --freeze-base --new-head
  $ convlab train mobilenet_v2 --input 96,96,3 --dataset cifar10 --data ../shared/data --freeze-base --epochs 10 --out runs/mnv2-head
  $ convlab train mobilenet_v2 --input 96,96,3 --dataset folder:photos --freeze-base --head gap,dense:256,dropout:0.5 --out runs/photos
  $ convlab train resnet50 --input 128,128,3 --no-top --weights imagenet --dataset folder:photos --freeze-base --head gap,dense:256 --unfreeze-top 2 --out runs/photos-ft
  $ convlab train lenet5 --dataset mnist --data ../shared/data --engine torch --nproc 2 --out runs/lenet-ddp
  $ convlab train resnet20 --dataset cifar10 --data ../shared/data --engine torch --nnodes 2 --node-rank 0 --master-addr 10.0.0.1 --master-port 29500 --out runs/r20

--freeze-base runs the frozen base once per image in ONNX Runtime and caches its features
(--feature-cache, default ~/.cache/convlab/features); the head trains on them, so a second run
with the same model, weights and data skips the base. folder:PATH reads one subfolder of PNG or
JPEG images per class (PATH/train and PATH/test when both exist).

Ctrl-C saves a checkpoint and the model before exiting; --resume continues from it.
--engine torch lowers the model to PyTorch source (<out>/torch/model.py) and trains it with
DistributedDataParallel under torchrun; it needs Python 3 with PyTorch and NumPy, found through
--python, CONVLAB_PYTHON, then python3, /usr/bin/python3, /usr/local/bin/python3, python. With
--engine torch, --freeze-base trains the unfrozen layers in PyTorch (no feature cache, no --head),
and the data set is one of the named ones.`;

interface Opts extends RunOpts, TorchOpts {
  engine: string;
  backend: string;
  threads?: string;
  workers?: string;
  input?: string;
  classes?: string;
  head?: string;
  unfreezeTop?: string;
  unfreezeEpochs?: string;
  unfreezeLr?: string;
  featureCache?: string;
}

function streams(cmd: Command): { out: Write; err: Write } {
  const o = cmd.configureOutput();
  return { out: o.writeOut ?? ((t) => process.stdout.write(t)), err: o.writeErr ?? ((t) => process.stderr.write(t)) };
}

/** Registers `convlab train`. */
export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('train a model on MNIST, Fashion-MNIST, CIFAR-10 or digits with TensorFlow.js (wasm backend) or PyTorch')
    .argument('<model>', 'zoo id or spec .json file')
    .requiredOption('--dataset <name>', `${DATASET_NAMES.join(' | ')} | folder:PATH (one subfolder of images per class)`)
    .option('--data <dir>', 'the data set folder, or a parent holding it (mnist/, cifar10-subset/, ...); default: $CONVLAB_DATA')
    .option('--epochs <n>', 'passes over the training set', '10')
    .option('--batch-size <n>', 'samples per step', '64')
    .option('--optimizer <name>', OPTIMIZERS.join(' | '), 'adam')
    .option('--lr <rate>', 'base learning rate', '0.001')
    .option('--momentum <m>', 'momentum μ (momentum) or β1 (adam); default 0.9')
    .option('--schedule <name>', `learning-rate schedule: ${SCHEDULES.join(' | ')}`, 'constant')
    .option('--step-every <n>', 'step schedule: epochs between drops (default a third of the run)')
    .option('--gamma <g>', 'step schedule: factor of each drop', '0.1')
    .option('--weight-decay <wd>', 'L2 weight decay on kernels', '0')
    .option('--val-split <f>', 'fraction of the training set held out for validation', '0.1')
    .option('--seed <n>', 'seed of initialization, shuffling, augmentation and dropout', '0')
    .option('--limit <n>', 'train on the first N samples only')
    .option('--standardize', 'standardize each channel with the training split\'s mean and std (the default, except for digits)')
    .option('--no-standardize', 'keep pixels scaled to [0, 1]')
    .option('--augment <name>', 'none | shift (±2 px) | crop-flip (±4 px and mirroring); default: crop-flip for CIFAR, none otherwise')
    .option('--out <dir>', 'folder for the checkpoint (checkpoint.ckpt; torch: checkpoint.pt and torch/), log.jsonl and the model (model.json, weights.bin, spec.json)')
    .option('--resume', 'continue from the checkpoint in --out')
    .option('--force', 'replace the run already in --out (without it, or --resume, a folder holding files is refused)')
    .option('--weights <source>', 'start from the weights of a trained model directory (matched by layer name); with --freeze-base also imagenet, a Keras weights file or a URL')
    .option('--freeze-base', 'freeze every layer but the head (classifier and what follows it)')
    .option('--new-head', 'with --weights: initialize the head afresh instead of loading it')
    .option('--head <layers>', 'with --freeze-base: a new head on the last feature map, e.g. gap,dense:256,dropout:0.5 (a softmax classifier is added)')
    .option('--unfreeze-top <n>', 'with --freeze-base: after the head, train the top N blocks of the base end to end')
    .option('--unfreeze-epochs <n>', 'epochs of --unfreeze-top (default: --epochs)')
    .option('--unfreeze-lr <rate>', 'learning rate of --unfreeze-top (default: --lr / 10)')
    .option('--feature-cache <dir>', 'with --freeze-base: folder of cached base features (default: $CONVLAB_CACHE/features or ~/.cache/convlab/features)')
    .option('--no-test', 'skip the test-split evaluation at the end')
    .option('--test-limit <n>', 'evaluate on the first N test samples only')
    .option('--engine <name>', 'tfjs (in this process, WebAssembly) | torch (PyTorch under torchrun, see --nproc)', 'tfjs')
    .option('--backend <name>', `${BACKENDS.join(' | ')} (a slow fallback)`, 'wasm')
    .option('--workers <n>', 'data-parallel worker threads, each with a model replica and a slice of every batch (default: the cores, at most 8)')
    .option('--threads <n>', 'wasm threads of a single worker, more than 1 implies --workers 1; with --engine torch, threads per process (default: the cores other work leaves free)')
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', EXAMPLES);
  addTorchOptions(cmd);
  addModelOptions(cmd);
  cmd.action(async (modelArg: string, o: Opts, self: Command) => {
    const { out, err } = streams(self);
    const folder = folderOf(o.dataset);
    if (!isDatasetName(o.dataset) && folder === undefined) throw new UsageError(messages.unknownDataset(o.dataset, [...DATASET_NAMES, 'folder:PATH']));
    const dataset = o.dataset as DataName;
    const run = readRun(o);
    const engine = choice('--engine', ENGINES, o.engine);
    checkEngineOptions(self, engine);
    const settings = engine === 'torch' ? readTorchEngine(o) : readTfjsEngine(o);
    // Before the engine and the data load: a bad --out fails in a moment, and an earlier run is never lost.
    if (run.out) {
      const use = { resume: run.resume, force: run.force };
      if ('cluster' in settings) checkTorchRunFolder(run.out, { ...use, nodeRank: settings.cluster.nodeRank }, flagOf);
      else checkRunFolder(run.out, use, flagOf);
    }
    if ('cluster' in settings && folder !== undefined) throw new UsageError(messages.torchNamedDatasets(o.dataset, DATASET_NAMES, flagOf));
    const options = modelOptionsOf(self, o);
    if (hasModel(modelArg) && options.classes === undefined) options.classes = folder !== undefined ? folderClassCount(folder) : DATASETS[dataset as DatasetName].classCount;
    // A folder without a test/ beside its train/ has no test split to score.
    if (folder !== undefined && folderSplitDir(folder, 'test') === undefined) run.test = false;
    let model = await resolveModel(modelArg, options);
    if (folder === undefined) checkDatasetChannels(dataset as DatasetName, model.graph.inputs[0]?.shape ?? []);
    if ('cluster' in settings) {
      await trainWithTorch(model.graph, dataset as DatasetName, run, settings, { out, err });
      return;
    }
    if (run.freezeBase) {
      // --weights imagenet | FILE | URL: the weights load onto the graph and feed the frozen base.
      if (run.weights && !(existsSync(run.weights.dir) && statSync(run.weights.dir).isDirectory())) {
        const { withWeights } = await import('../weights.js');
        model = await withWeights(model, run.weights.dir, options, err);
        delete run.weights;
      }
      const { trainFineTune } = await import('./train_finetune.js');
      await trainFineTune(model, { ...run, ...readFineTune(o, run), dataset, backend: settings.backend, workers: settings.workers }, { out, err });
      return;
    }
    for (const flag of ['head', 'unfreezeTop', 'unfreezeEpochs', 'unfreezeLr', 'featureCache'] as const) {
      if (o[flag] !== undefined) throw new UsageError(messages.headNeedsFreeze(flag, flagOf));
    }
    await trainTfjs(model.graph, dataset, run, settings, { out, err });
  });
}

/** The options of --freeze-base's fine-tuning; augmentation is refused, since features are computed once per image. */
function readFineTune(o: Opts, run: RunSettings) {
  if (run.augment !== undefined && run.augment !== 'none') throw new UsageError(messages.augmentWithCache(run.augment, flagOf));
  return {
    ...(o.head !== undefined ? { head: o.head } : {}),
    ...(o.unfreezeTop !== undefined ? { unfreezeTop: positiveInt('--unfreeze-top', o.unfreezeTop) } : {}),
    ...(o.unfreezeEpochs !== undefined ? { unfreezeEpochs: positiveInt('--unfreeze-epochs', o.unfreezeEpochs) } : {}),
    ...(o.unfreezeLr !== undefined ? { unfreezeLr: number('--unfreeze-lr', o.unfreezeLr, { min: 0, openMin: true }) } : {}),
    ...(o.featureCache !== undefined ? { featureCache: o.featureCache } : {}),
  };
}

/** The TensorFlow.js engine's own options. */
interface TfjsEngine {
  backend: 'wasm' | 'cpu';
  workers: number;
  threads?: number;
}

function readTfjsEngine(o: Opts): TfjsEngine {
  const backend = choice('--backend', BACKENDS, o.backend);
  const threads = o.threads !== undefined ? positiveInt('--threads', o.threads) : undefined;
  // Asking for several wasm threads asks for one worker that uses them.
  const workers = o.workers !== undefined ? positiveInt('--workers', o.workers) : threads !== undefined && threads > 1 ? 1 : defaultWorkers();
  if (threads !== undefined && threads > 1 && workers > 1) throw new UsageError(messages.threadsWithWorkers(workers, threads));
  return { backend, workers, ...(threads ? { threads } : {}) };
}

/** Trains with TensorFlow.js in this process: progress bar, Ctrl-C save, test evaluation. */
async function trainTfjs(graphIn: Graph, dataset: DataName, run: RunSettings, engine: TfjsEngine, { out, err }: { out: Write; err: Write }): Promise<void> {
  const tfjs = await import('../../runtime/tfjs/index.js');
  // With several workers this thread only averages and updates: one wasm thread, no idle spinners.
  const threads = engine.workers > 1 ? 1 : engine.threads;
  const info = await tfjs.initBackend({ backend: engine.backend, ...(threads ? { threads } : {}) });
  const where = engine.workers > 1 ? `${engine.workers} workers, 1 thread each` : `${info.threads} thread${info.threads > 1 ? 's' : ''}`;
  err(`training on ${info.name}${info.name === 'wasm' ? ` (${where}${info.simd ? ', SIMD' : ''})` : ''}${info.fallback ? `; ${info.fallback}` : ''}\n`);
  const graph = run.freezeBase ? tfjs.freezeBase(graphIn) : graphIn;
  const input = graph.inputs[0]!.shape as [number, number, number];
  const data = await tfjs.loadTrainingData(dataset, run.data, {
    input, valSplit: run.valSplit, seed: run.train.seed,
    ...(run.limit ? { limit: run.limit } : {}), ...(run.standardize !== undefined ? { standardize: run.standardize } : {}), ...(run.augment ? { augment: run.augment } : {}),
  });
  err(dataLine(dataset, data.train.count, data.validation?.count, input, data.preprocessing));

  const ctrlC = stopOnCtrlC(err);
  const report = trainingReport({ progress: run.progress, epochs: run.train.epochs }, out);
  try {
    const result = await tfjs.train(graph, data, {
      ...run.train,
      workers: engine.workers,
      ...(run.out ? { out: run.out } : {}),
      ...(run.resume ? { resume: true } : {}),
      ...(run.force ? { force: true } : {}),
      ...(run.weights ? { initialWeights: { dir: run.weights.dir, exclude: run.weights.newHead ? tfjs.headNodes(graph) : [] } } : {}),
      signal: ctrlC.signal,
      onProgress: report.onProgress,
      onEpoch: report.onEpoch,
    });
    report.stop();
    if (result.interrupted) {
      err(`${messages.interrupted(result.history.length + 1, run.out ?? '(no --out: nothing saved)')}\n`);
      // 128 + SIGINT, as a shell reports an interrupted program; everything is saved by now.
      process.exit(130);
    }
    if (run.test) {
      const test = await tfjs.loadEvalData(dataset, run.data, 'test', input, data.preprocessing, run.testLimit);
      const ev = tfjs.evaluation(tfjs.predictScores(result.model, test, 256), test.labels, data.classes.length);
      out(`test: top-1 ${pct(ev.top1)}  top-5 ${pct(ev.top5)}  (${int(ev.count)} samples)\n`);
    }
    if (run.out) out(`saved ${run.out}/model.json, weights.bin, spec.json; log ${run.out}/${tfjs.LOG_FILE}\n`);
  } finally {
    report.stop();
    ctrlC.release();
  }
}
