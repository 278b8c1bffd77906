/**
 * `convlab train --engine torch`: the graph lowered to generated PyTorch source, the data
 * written once as arrays, the training run by torchrun with DistributedDataParallel, and the
 * result brought back as an ordinary convlab trained directory (Keras-layout weights, spec,
 * log), so eval, predict, bench and ONNX export read it as they read a tfjs-trained one.
 *
 * A run folder (`<out>/torch/`, or a temporary one without --out) holds what crosses to Python:
 * model.py, convlab_torch.py, run.json, init/ and final/ weights, data/ arrays, torchrun.log.
 * The checkpoint (`checkpoint.pt`) and `log.jsonl` sit in <out> itself, as with the tfjs engine.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuntimeError, UsageError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import type { Graph } from '../../graph/graph.js';
import { DATASETS, type DatasetName } from '../../data/index.js';
import { makeFolder } from '../../core/folders.js';
import { writeOutput } from '../../core/output.js';
import { readTrainedDirectory, type TrainedMeta } from '../../import/trained.js';
import { learningRate } from '../tfjs/schedule.js';
import type { EpochRecord, Progress, TrainOptions } from '../tfjs/train.js';
import { initWeights, listWeights, type WeightMap } from '../../weights/index.js';
import { generateTorchModule, type TorchModule } from './codegen.js';
import { prepareData, type DataRequest, type PreparedData } from './data.js';
import { findTorchPython, type TorchPython } from './interpreter.js';
import { freePort, launch, type Cluster, type TorchEvent } from './launch.js';
import { readNpy } from './npy.js';
import { saveTrainedDirectory } from './save.js';
import { checkTorchRunFolder, clearTorchRun, TORCH_CHECKPOINT } from './run_folder.js';
import { readTorchWeights, writeTorchWeights } from './weights.js';

export { TORCH_CHECKPOINT };
export const TORCH_LOG = 'log.jsonl';
/** The run folder inside --out. */
export const RUN_DIR = 'torch';
const RUNNER = fileURLToPath(new URL('../../../../src/runtime/torch/py/convlab_torch.py', import.meta.url));

/** The recipe, as the tfjs engine takes it. */
type Recipe = Pick<TrainOptions, 'epochs' | 'batchSize' | 'optimizer' | 'lr' | 'schedule' | 'momentum' | 'stepEvery' | 'gamma' | 'weightDecay' | 'seed'>;

export interface TorchTrainOptions extends Recipe, Pick<DataRequest, 'valSplit' | 'limit' | 'standardize' | 'augment' | 'test'> {
  dataset: DatasetName;
  /** The data set's folder, or a parent holding it. */
  data: string;
  out?: string;
  resume?: boolean;
  /** Replace an earlier run in `out` (without it, or `resume`, a folder holding files is refused). */
  force?: boolean;
  /** Initial weights from a trained model directory, by node name; `exclude` nodes keep fresh ones. */
  initialWeights?: { dir: string; exclude?: string[] };
  /** Processes on this node, and the other nodes (defaults: one node, this one). */
  cluster?: Partial<Cluster>;
  /** Threads per process; default: the cores divided among this node's processes. */
  threads?: number;
  /** cuda when PyTorch sees a GPU for every process of the node, else cpu, unless given. */
  device?: 'cpu' | 'cuda' | 'auto';
  /** The Python to run (see interpreter.ts for how one is found otherwise). */
  python?: string;
  /** Called when the processes have started (and resumed, when resuming at `epoch`, `batch`, from 1 and 0). */
  onStart?: (info: TorchStart) => void;
  onProgress?: (p: Progress) => void;
  onEpoch?: (r: EpochRecord) => void;
  /** Aborting asks every process to stop after its current batch, saving first (Ctrl-C). */
  signal?: AbortSignal;
}

/** What a run reports as it starts. */
export interface TorchStart {
  python: TorchPython;
  world: number;
  device: string;
  threads: number;
  /** gloo or nccl; null for a single process. */
  backend: string | null;
  epoch: number;
  batch: number;
  data: PreparedData;
}

export interface TorchTrainResult {
  graph: Graph;
  module: TorchModule;
  /** Epochs completed by the end of this run (earlier runs included when resumed). */
  epochs: number;
  interrupted: boolean;
  /** Trained weights in Keras layout (on node 0). */
  weights: WeightMap | null;
  /** Test-split class scores from PyTorch, with the labels, when asked for. */
  test: { scores: Float32Array; labels: Uint8Array } | null;
  data: PreparedData;
  /** False on nodes other than node 0, which write no model. */
  isMain: boolean;
}

/** The model must take one image and give one score per class of the data set. */
function checkFit(graph: Graph, dataset: DatasetName): void {
  if (graph.inputs.length !== 1) throw new UsageError(messages.multipleInputs(graph.inputs.length));
  if (graph.outputs.length !== 1) throw new UsageError(messages.multipleOutputs(graph.outputs.length));
  const out = graph.shapes.get(graph.outputs[0]!)!;
  if (out.length !== 1) throw new UsageError(messages.outputNotVector(out));
  const classes = DATASETS[dataset].classCount;
  if (out[0] !== classes) throw new UsageError((s) => messages.classesMismatch(out[0]!, dataset, classes, s));
  if (graph.inputs[0]!.shape.length !== 3) throw new UsageError(messages.inputMismatch(graph.inputs[0]!.shape, DATASETS[dataset].shape));
}

/** Nodes with weights that no output depends on: DDP must be told their parameters get no gradient. */
function hasUnusedParameters(graph: Graph, module: TorchModule): boolean {
  const used = new Set(graph.outputs);
  for (const node of [...graph.nodes].reverse()) if (used.has(node.name)) for (const i of node.inputs) used.add(i);
  return module.weights.some((w) => w.trainable && !used.has(w.key.slice(0, w.key.lastIndexOf('/'))));
}

/** Initial weights: convlab's seeded Keras initializers, or a trained directory's tensors for the nodes it covers. */
function initialWeights(graph: Graph, o: TorchTrainOptions): WeightMap {
  const weights = initWeights(graph, { seed: o.seed });
  if (!o.initialWeights) return weights;
  const { dir, exclude = [] } = o.initialWeights;
  const stored = readTrainedDirectory(dir).weights;
  const skip = new Set(exclude);
  for (const e of listWeights(graph)) {
    if (skip.has(e.node)) continue;
    const t = stored.get(e.key);
    if (!t) throw new UsageError(messages.missingWeight(e.node, e.spec.name, dir));
    if (t.length !== e.size) throw new UsageError(messages.weightShape(e.key, e.shape, [t.length]));
    weights.set(e.key, t);
  }
  return weights;
}

/** Settings a checkpoint must share with the run resuming it. */
function fingerprint(graph: Graph, data: PreparedData, o: TorchTrainOptions): Record<string, unknown> {
  const model = createHash('sha256').update(JSON.stringify({ inputs: graph.spec.inputs, nodes: graph.spec.nodes, outputs: graph.spec.outputs })).digest('hex').slice(0, 16);
  return {
    model, dataset: data.name, samples: data.train.count, batchSize: o.batchSize, epochs: o.epochs, optimizer: o.optimizer, lr: o.lr,
    schedule: o.schedule, momentum: o.momentum ?? null, weightDecay: o.weightDecay ?? 0, seed: o.seed,
    augment: data.augment ? `pad ${data.augment.padding}${data.augment.flip ? ', flip' : ''}` : 'none',
  };
}

/** The error an `error` event stands for, worded here. */
function errorOf(e: Extract<TorchEvent, { event: 'error' }>): Error {
  const v = e as Record<string, unknown>;
  switch (e.code) {
    case 'badCheckpoint':
      return new RuntimeError((s) => messages.badCheckpoint(String(v['file']), String(v['detail']), s));
    case 'checkpointMismatch':
      return new UsageError((s) => messages.checkpointMismatch(String(v['file']), String(v['what']), v['saved'], v['now'], s));
    case 'alreadyDone':
      return new UsageError(messages.alreadyDone(String(v['dir']), Number(v['epochs'])));
    case 'nanLoss':
      return new RuntimeError((s) => messages.nanLoss(Number(v['epoch']), Number(v['batch']), Number(v['lr']), s));
    case 'noCuda':
      return new UsageError((s) => messages.noCuda(String(v['python']), s));
    case 'tooFewGpus':
      return new UsageError((s) => messages.tooFewGpus(Number(v['gpus']), Number(v['nproc']), s));
    default:
      return new RuntimeError(messages.unknownCode(e.code));
  }
}

/**
 * Threads per process: the cores other work leaves free (cores minus the 1-minute load, as the
 * tfjs engine counts them) shared among this node's processes, at least one. OpenMP threads
 * spin while they wait, so a thread on a busy core slows the step down (LeNet-5 here: 530
 * samples/s on 1 thread, 90 on 2, with other work on both cores).
 */
function defaultThreads(nproc: number): number {
  return Math.max(1, Math.floor((availableParallelism() - Math.floor(loadavg()[0] ?? 0)) / nproc));
}

/** Resolves the cluster options, choosing a free port for a single-node run that names none. */
async function clusterOf(o: TorchTrainOptions): Promise<Cluster> {
  const c = o.cluster ?? {};
  const nnodes = c.nnodes ?? 1;
  const nodeRank = c.nodeRank ?? 0;
  const nproc = c.nproc ?? 1;
  if (nodeRank >= nnodes) throw new UsageError((s) => messages.nodeRankRange(nodeRank, nnodes, s));
  if (o.batchSize < nproc * nnodes) throw new UsageError((s) => messages.batchBelowWorld(o.batchSize, nproc * nnodes, s));
  const masterPort = c.masterPort ?? (nnodes === 1 ? await freePort() : 29500);
  return { nproc, nnodes, nodeRank, masterAddr: c.masterAddr ?? '127.0.0.1', masterPort };
}

/** Trains a graph with PyTorch. */
export async function trainTorch(graph: Graph, o: TorchTrainOptions): Promise<TorchTrainResult> {
  checkFit(graph, o.dataset);
  const module = generateTorchModule(graph);
  if (o.resume && !o.out) throw new UsageError((s) => messages.resumeNeedsOut(s));
  if (o.out) checkTorchRunFolder(o.out, { resume: o.resume ?? false, force: o.force ?? false, nodeRank: o.cluster?.nodeRank ?? 0 });
  const lrs = Array.from({ length: o.epochs }, (_, e) =>
    learningRate({ name: o.schedule, lr: o.lr, ...(o.stepEvery ? { stepEvery: o.stepEvery } : {}), ...(o.gamma ? { gamma: o.gamma } : {}) }, e, o.epochs));
  const python = findTorchPython(o.python !== undefined ? { python: o.python } : {});
  const cluster = await clusterOf(o);
  const threads = o.threads ?? defaultThreads(cluster.nproc);

  const run = o.out ? join(o.out, RUN_DIR) : mkdtempSync(join(tmpdir(), 'convlab-torch-'));
  try {
    if (o.out && !o.resume && o.force) clearTorchRun(o.out);
    makeFolder(join(run, 'data'));
    const input = graph.inputs[0]!.shape as [number, number, number];
    const data = await prepareData(join(run, 'data'), {
      dataset: o.dataset, dir: o.data, input, seed: o.seed, valSplit: o.valSplit,
      ...(o.limit !== undefined ? { limit: o.limit } : {}),
      ...(o.standardize !== undefined ? { standardize: o.standardize } : {}),
      ...(o.augment !== undefined ? { augment: o.augment } : {}),
      ...(o.test ? { test: o.test } : {}),
    });
    writeOutput(join(run, 'model.py'), module.source);
    copyFileSync(RUNNER, join(run, 'convlab_torch.py'));
    if (!(o.resume && existsSync(join(run, 'init', 'weights.json')))) writeTorchWeights(join(run, 'init'), module.weights, initialWeights(graph, o));
    rmSync(join(run, 'final'), { recursive: true, force: true });
    rmSync(join(run, 'stop'), { force: true });
    const config = {
      model: {
        file: join(run, 'model.py'), class: module.className, logits: module.logits, weights: join(run, 'init'),
        names: module.weights.map((w) => w.name), decayed: module.weights.filter((w) => w.decay && w.trainable).map((w) => w.name),
        unusedParameters: hasUnusedParameters(graph, module),
      },
      data: { train: data.train, ...(data.validation ? { validation: data.validation } : {}), ...(data.test ? { test: data.test } : {}) },
      recipe: {
        epochs: o.epochs, batchSize: o.batchSize, optimizer: o.optimizer, momentum: o.momentum ?? 0.9, weightDecay: o.weightDecay ?? 0,
        lrs, seed: o.seed, augment: data.augment,
      },
      fingerprint: fingerprint(graph, data, o),
      resume: Boolean(o.resume),
      device: o.device ?? 'auto',
      threads,
      out: {
        dir: o.out ?? run, checkpoint: join(o.out ?? run, TORCH_CHECKPOINT), log: join(o.out ?? run, TORCH_LOG),
        weights: join(run, 'final'), testScores: join(run, 'test_scores.npy'), stop: join(run, 'stop'),
      },
    };
    writeOutput(join(run, 'run.json'), `${JSON.stringify(config, null, 1)}\n`);

    let error: Error | undefined;
    let done: Extract<TorchEvent, { event: 'done' }> | undefined;
    const logFile = join(run, 'torchrun.log');
    const ended = await launch({
      python: python.python, runner: join(run, 'convlab_torch.py'), runFile: join(run, 'run.json'), cluster, threads, logFile,
      stopFile: join(run, 'stop'), ...(o.signal ? { signal: o.signal } : {}),
      onEvent: (e) => {
        if (e.event === 'start') o.onStart?.({ python, world: e.world, device: e.device, threads: e.threads, backend: e.backend, epoch: e.epoch, batch: e.batch, data });
        else if (e.event === 'progress') o.onProgress?.(e);
        else if (e.event === 'epoch') o.onEpoch?.(e.record);
        else if (e.event === 'done') done = e;
        else if (e.event === 'error') error ??= errorOf(e);
      },
    });
    if (error) throw error;
    const isMain = cluster.nodeRank === 0;
    if (ended.code !== 0 || (isMain && !done)) {
      throw new RuntimeError(messages.torchRunFailed(ended.code, ended.signal, ended.lastLine, o.out ? logFile : null));
    }
    const weights = isMain ? readTorchWeights(join(run, 'final'), module.weights) : null;
    let test: TorchTrainResult['test'] = null;
    if (done?.testScores && data.test) {
      const scores = readNpy(done.testScores);
      const labels = readNpy(data.test.y);
      if (scores.dtype !== 'float32' || labels.dtype !== 'uint8') throw new RuntimeError(messages.badEvent(done.testScores));
      test = { scores: scores.data, labels: labels.data };
    }
    if (weights && o.out) {
      const meta: TrainedMeta = { dataset: data.name, classes: data.classes, preprocessing: data.preprocessing, seed: o.seed, epochs: done!.epoch - 1, engine: 'torch' };
      await saveTrainedDirectory(graph, weights, o.out, meta);
    }
    return { graph, module, epochs: done ? done.epoch - 1 : 0, interrupted: done?.interrupted ?? false, weights, test, data, isMain };
  } finally {
    if (!o.out) rmSync(run, { recursive: true, force: true });
  }
}
