/**
 * The training loop: mini-batch gradient descent over a compiled graph with seeded shuffling,
 * augmentation and dropout; a learning-rate schedule; validation each epoch; checkpoints that
 * let a run continue exactly where it stopped (weights, optimizer slots, generator state,
 * position in the epoch); a JSON-lines log; and the trained model saved in the layers format.
 * Steps run in this thread, or data-parallel over worker threads (parallel.ts) while the loop,
 * the master weights and the optimizer stay here, so everything above works the same either way.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError, UsageError } from '../../core/errors.js';
import type { Optimizer as OptimizerName, ScheduleName } from '../../core/sets.js';
import type { Graph } from '../../graph/graph.js';
import type { GraphSpec } from '../../graph/types.js';
import { batchCount, batches, epochPermutation, randomCropFlip, Rng } from '../../data/index.js';
import { backendInfo } from './backend.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { compileGraph } from './compile.js';
import type { TrainingData } from './data.js';
import { makeFolder } from '../../core/folders.js';
import { writeOutput } from '../../core/output.js';
import { batchGradients, type StepBatch } from './gradients.js';
import { loadWeightsInto, saveModelDir } from './io.js';
import type { TrainedMeta } from '../../import/trained.js';
import { Optimizer, type Param } from './optimizers.js';
import { learningRate } from './schedule.js';
import { evaluateLoss, outputIsSoftmax } from './metrics.js';
import { DataParallel } from './parallel.js';
import { messages } from '../../core/messages.js';
import { CHECKPOINT_FILE, checkRunFolder, clearRun, LOG_FILE } from './run_folder.js';

export { CHECKPOINT_FILE, LOG_FILE };

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  schedule: ScheduleName;
  /** Momentum μ (momentum optimizer) or β1 (adam). */
  momentum?: number;
  /** step schedule: epochs between drops and the factor. */
  stepEvery?: number;
  gamma?: number;
  weightDecay?: number;
  seed: number;
  /**
   * Worker threads sharing each batch (data parallelism), each with its own single-threaded wasm
   * backend; 1 (the default) steps in this thread. Results are deterministic for a seed and a
   * worker count; another count changes only float rounding (and, with BatchNorm or dropout,
   * which samples share statistics and masks).
   */
  workers?: number;
  /** Folder for the checkpoint, the log and the trained model. */
  out?: string;
  /** Continue from `out`'s checkpoint. */
  resume?: boolean;
  /** Replace an earlier run in `out` (without it, or `resume`, a folder holding files is refused). */
  force?: boolean;
  /** Initial weights from a trained model directory, matched by layer name (transfer learning). */
  initialWeights?: { dir: string; exclude?: string[] };
  /** Called after every batch. */
  onProgress?: (p: Progress) => void;
  /** Called after every epoch, with the model as it stands (e.g. to evaluate it). */
  onEpoch?: (r: EpochRecord, model: tf.LayersModel) => void;
  /** Aborting stops after the current batch, saving a checkpoint first (Ctrl-C). */
  signal?: AbortSignal;
}

/** Running figures of the current epoch. */
export interface Progress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  samplesPerSecond: number;
  lr: number;
}

/** One line of the log: an epoch's figures. Epochs count from 1. */
export interface EpochRecord {
  epoch: number;
  lr: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  samples: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface TrainResult {
  model: tf.LayersModel;
  graph: Graph;
  history: EpochRecord[];
  /** True when stopped by the signal before the last epoch. */
  interrupted: boolean;
}

/** Settings a checkpoint must share with the run resuming it. */
interface Fingerprint {
  model: string;
  dataset: string;
  samples: number;
  batchSize: number;
  epochs: number;
  optimizer: string;
  lr: number;
  schedule: string;
  momentum: number | null;
  weightDecay: number;
  seed: number;
  augment: string;
}

/** Everything besides tensors that a checkpoint stores. */
interface TrainState {
  fingerprint: Fingerprint;
  /** Next epoch (from 0) and next batch within it. */
  epoch: number;
  batch: number;
  rng: number[];
  optimizerSteps: number;
  /** Sums of the unfinished epoch. */
  partial: { lossSum: number; correct: number; seen: number; seconds: number };
  history: EpochRecord[];
}

/** Separate generator stream for augmentation and dropout, apart from the shuffles. */
const TRAINER_STREAM = 0x7a11;
const DECAYED = new Set(['kernel', 'depthwise_kernel', 'pointwise_kernel']);

function checkOptions(o: TrainOptions): void {
  const positiveInt = (name: string, v: number) => {
    if (!(Number.isInteger(v) && v >= 1)) throw new UsageError((o) => messages.badOption(name, 'a positive integer', v, o));
  };
  positiveInt('epochs', o.epochs);
  positiveInt('batchSize', o.batchSize);
  if (o.workers !== undefined) positiveInt('workers', o.workers);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new UsageError((s) => messages.badOption('seed', 'a non-negative integer', o.seed, s));
  if (o.resume && !o.out) throw new UsageError(messages.resumeNeedsOut);
  learningRate({ name: o.schedule, lr: o.lr }, 0, o.epochs);
}

/** A stable hash of the spec, so a checkpoint is never resumed into another model. */
function specHash(spec: GraphSpec): string {
  const text = JSON.stringify({ inputs: spec.inputs, nodes: spec.nodes, outputs: spec.outputs });
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Trains a graph on prepared data. */
export async function train(graph: Graph, data: TrainingData, o: TrainOptions): Promise<TrainResult> {
  checkOptions(o);
  if (o.out) checkRunFolder(o.out, { resume: o.resume ?? false, force: o.force ?? false });
  const { spec } = graph;
  checkFit(graph, data);
  const fingerprint: Fingerprint = {
    model: specHash(spec), dataset: data.name, samples: data.train.count, batchSize: o.batchSize, epochs: o.epochs,
    optimizer: o.optimizer, lr: o.lr, schedule: o.schedule, momentum: o.momentum ?? null, weightDecay: o.weightDecay ?? 0, seed: o.seed,
    augment: data.augment ? `pad ${data.augment.padding}${data.augment.flip ? ', flip' : ''}` : 'none',
  };
  const { model } = compileGraph(graph, { seed: o.seed });
  const params: Param[] = model.trainableWeights.map((w) => ({
    name: w.originalName,
    variable: w.read() as tf.Variable,
    decay: DECAYED.has(w.originalName.split('/').pop()!),
  }));
  const optimizer = new Optimizer({ name: o.optimizer, ...(o.momentum !== undefined ? { momentum: o.momentum } : {}), weightDecay: o.weightDecay ?? 0 });
  const checkpointFile = o.out ? join(o.out, CHECKPOINT_FILE) : undefined;
  let state: TrainState = {
    fingerprint, epoch: 0, batch: 0, rng: new Rng(o.seed, TRAINER_STREAM).state(), optimizerSteps: 0,
    partial: { lossSum: 0, correct: 0, seen: 0, seconds: 0 }, history: [],
  };
  if (o.resume) {
    state = restore(checkpointFile!, model, params, optimizer, fingerprint);
    if (state.epoch >= o.epochs) throw new UsageError(messages.alreadyDone(o.out!, o.epochs));
  } else if (o.initialWeights) {
    loadWeightsInto(model, o.initialWeights.dir, { exclude: new Set(o.initialWeights.exclude ?? []) });
  }
  if (o.out) {
    makeFolder(o.out);
    if (!o.resume && o.force) clearRun(o.out);
  }

  const rng = Rng.fromState(state.rng);
  const fromProbs = outputIsSoftmax(graph);
  const classes = data.classes.length;
  const save = (): void => {
    if (!checkpointFile) return;
    state.rng = rng.state();
    state.optimizerSteps = optimizer.steps;
    tf.tidy(() => {
      const tensors = [
        ...model.weights.map((w) => ({ name: `weight:${w.originalName}`, tensor: w.read() })),
        ...optimizer.state(params).map(({ name, tensor }) => ({ name: `optimizer:${name}`, tensor })),
      ];
      writeCheckpoint(checkpointFile, state, tensors);
    });
    writeOutput(join(o.out!, LOG_FILE), state.history.map((r) => JSON.stringify(r)).join('\n') + (state.history.length ? '\n' : ''));
  };
  const meta: TrainedMeta = { dataset: data.name, classes: data.classes, preprocessing: data.preprocessing, seed: o.seed };
  const finishModel = async (): Promise<void> => {
    if (o.out) await saveModelDir(model, spec, o.out, { ...meta, epochs: state.history.length });
  };

  const perEpoch = batchCount(data.train.count, o.batchSize);
  let interrupted = false;
  let pool: DataParallel | undefined;
  try {
    if ((o.workers ?? 1) > 1) {
      pool = await DataParallel.start({ spec, model, params, workers: o.workers!, backend: backendInfo()?.name ?? 'wasm', classes, fromProbs });
    }
    const runStep = (batch: StepBatch, lr: number, dropoutSeed: number): Promise<[number, number]> | [number, number] =>
      pool ? pool.step(batch, lr, dropoutSeed, optimizer) : step(model, params, optimizer, batch, classes, fromProbs, lr, dropoutSeed);
    for (let epoch = state.epoch; epoch < o.epochs && !interrupted; epoch++) {
      const lr = learningRate({ name: o.schedule, lr: o.lr, ...(o.stepEvery ? { stepEvery: o.stepEvery } : {}), ...(o.gamma ? { gamma: o.gamma } : {}) }, epoch, o.epochs);
      const order = epochPermutation(data.train.count, o.seed, epoch);
      const p = state.partial;
      for (const batch of batches(data.train, o.batchSize, { order })) {
        if (batch.index < state.batch) continue;
        const started = performance.now();
        const images = data.augment ? randomCropFlip(batch, rng, data.augment).images : batch.images;
        const dropoutSeed = rng.nextUint32();
        const [loss, correct] = await runStep({ ...batch, images }, lr, dropoutSeed);
        if (!Number.isFinite(loss)) throw new RuntimeError((o) => messages.nanLoss(epoch + 1, batch.index + 1, lr, o));
        p.lossSum += loss * batch.count;
        p.correct += correct;
        p.seen += batch.count;
        p.seconds += (performance.now() - started) / 1000;
        state.batch = batch.index + 1;
        o.onProgress?.({
          epoch: epoch + 1, epochs: o.epochs, batch: batch.index + 1, batches: perEpoch,
          loss: p.lossSum / p.seen, accuracy: p.correct / p.seen, samplesPerSecond: p.seen / Math.max(p.seconds, 1e-9), lr,
        });
        // Training runs synchronously; yielding lets a Ctrl-C handler run and abort the signal.
        if (o.signal) await new Promise((resolve) => setImmediate(resolve));
        if (o.signal?.aborted && state.batch < perEpoch) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) break;
      const record: EpochRecord = {
        epoch: epoch + 1, lr, loss: p.lossSum / p.seen, accuracy: p.correct / p.seen,
        samples: p.seen, seconds: p.seconds, samplesPerSecond: p.seen / Math.max(p.seconds, 1e-9),
      };
      if (data.validation) Object.assign(record, renameVal(evaluateLoss(model, data.validation, classes, fromProbs, Math.max(o.batchSize, 256))));
      state.history.push(record);
      state.epoch = epoch + 1;
      state.batch = 0;
      state.partial = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
      save();
      o.onEpoch?.(record, model);
      interrupted = Boolean(o.signal?.aborted) && epoch + 1 < o.epochs;
    }
    if (interrupted) save();
    await finishModel();
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    await pool?.dispose();
    optimizer.dispose();
  }
  return { model, graph, history: state.history, interrupted };
}

const renameVal = (r: { loss: number; accuracy: number }) => ({ valLoss: r.loss, valAccuracy: r.accuracy });

/** One optimization step in this thread; returns the batch's mean loss (NaN: nothing applied) and its correct predictions. */
function step(
  model: tf.LayersModel, params: Param[], optimizer: Optimizer, batch: StepBatch,
  classes: number, fromProbs: boolean, lr: number, dropoutSeed: number,
): [number, number] {
  return tf.tidy(() => {
    const { loss, correct, grads } = batchGradients(model, params.map((p) => p.variable), batch, classes, fromProbs, dropoutSeed);
    if (Number.isFinite(loss)) {
      const byName: Record<string, tf.Tensor> = {};
      params.forEach((p, i) => (byName[p.name] = grads[i]!));
      optimizer.apply(params, byName, lr);
    }
    return [loss, correct];
  });
}

/** The model must take the data's image shape and give one score per class. */
function checkFit(graph: Graph, data: TrainingData): void {
  if (graph.inputs.length !== 1) throw new UsageError(messages.multipleInputs(graph.inputs.length));
  if (graph.outputs.length !== 1) throw new UsageError(messages.multipleOutputs(graph.outputs.length));
  const out = graph.shapes.get(graph.outputs[0]!)!;
  if (out.length !== 1) throw new UsageError(messages.outputNotVector(out));
  if (out[0] !== data.classes.length) throw new UsageError((o) => messages.classesMismatch(out[0]!, data.name, data.classes.length, o));
  const input = graph.inputs[0]!.shape;
  if (!tf.util.arraysEqual(input, data.train.shape)) throw new UsageError(messages.inputMismatch(input, data.train.shape));
}

/** Loads a checkpoint into the model and optimizer; refuses one made for another run. */
function restore(file: string, model: tf.LayersModel, params: Param[], optimizer: Optimizer, now: Fingerprint): TrainState {
  const ck = readCheckpoint<TrainState>(file);
  const saved = ck.state.fingerprint;
  for (const key of Object.keys(now) as Array<keyof Fingerprint>) {
    if (saved?.[key] !== now[key]) throw new UsageError((o) => messages.checkpointMismatch(file, key, saved?.[key], now[key], o));
  }
  tf.tidy(() => {
    for (const w of model.weights) {
      const t = ck.tensors.get(`weight:${w.originalName}`);
      if (!t) throw new RuntimeError((o) => messages.badCheckpoint(file, `weight ${w.originalName} is missing`, o));
      if (!tf.util.arraysEqual(t.shape, w.shape as number[])) throw new RuntimeError((o) => messages.badCheckpoint(file, messages.weightShape(w.originalName, w.shape as number[], t.shape), o));
      w.write(tf.tensor(t.values, t.shape));
    }
    const slots = new Map<string, tf.Tensor>();
    for (const [name, t] of ck.tensors) if (name.startsWith('optimizer:')) slots.set(name.slice('optimizer:'.length), tf.tensor(t.values, t.shape));
    const problem = optimizer.restore(params, ck.state.optimizerSteps, slots);
    if (problem) throw new RuntimeError((o) => messages.badCheckpoint(file, problem, o));
  });
  return ck.state;
}
