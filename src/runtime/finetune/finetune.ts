/**
 * Fine-tuning the way the lecture advises, fast: the frozen base runs once per image in ONNX
 * Runtime (batched, every core) and its features are cached on disk; the head trains on the
 * cached features with the TensorFlow.js trainer (its checkpoints, resume and log, in
 * `<out>/head`); base and head are then one ordinary trained directory in `<out>`. With
 * `unfreezeTop`, the top blocks of the base then train end to end in tfjs from there (checkpoint
 * and log in `<out>`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messages } from '../../core/messages.js';
import { UsageError } from '../../core/errors.js';
import { splitValidation } from '../../data/batches.js';
import { imageSize, type ImageShape, type LabeledSet } from '../../data/types.js';
import type { Graph } from '../../graph/graph.js';
import { readTrainedDirectory, type TrainedMeta } from '../../import/trained.js';
import { initWeights } from '../../weights/init.js';
import { listWeights, type WeightMap } from '../../weights/map.js';
import { runOverSet } from '../onnx/features.js';
import { readCheckpoint } from '../tfjs/checkpoint.js';
import { loadRawSplit, loadTrainingData, preprocess, trainingRecipe, type DataName, type Preprocessing, type RawSplit, type TrainingData } from '../tfjs/data.js';
import { saveModelDir } from '../tfjs/io.js';
import { evaluation } from '../tfjs/metrics.js';
import type { Evaluation } from '../../report/eval_chart.js';
import { CHECKPOINT_FILE, train, type EpochRecord, type TrainOptions } from '../tfjs/train.js';
import { modelWithWeights } from '../tfjs/trained.js';
import { defaultCacheDir, featureFile, featureKey, readFeatures, writeFeatures } from './cache.js';
import { parseHead, splitForFineTuning, type FineTuneSplit } from './split.js';
import { unfreezeTop } from './unfreeze.js';

/** The head's own run folder inside `out`. */
export const HEAD_DIR = 'head';

/** Which data, and how to prepare it (as loadTrainingData takes it). */
export interface FineTuneData {
  name: DataName;
  /** The data folder (unused for `folder:PATH`). */
  dir: string;
  limit?: number;
  valSplit?: number;
  standardize?: boolean;
}

/** The recipe of both phases, and where features and results go. */
export interface FineTuneOptions extends Omit<TrainOptions, 'out' | 'resume' | 'initialWeights' | 'onEpoch'> {
  /** A new head (`gap,dense:256,dropout:0.5`) instead of the model's own classifier. */
  head?: string;
  /** Then train the top N blocks of the base end to end. */
  unfreezeTop?: number;
  /** Epochs of that second phase (default: `epochs`). */
  unfreezeEpochs?: number;
  /** Learning rate of that second phase (default: lr / 10, as Keras' fine-tuning guide). */
  unfreezeLr?: number;
  /** A trained model directory to start the model's own head from (matched by layer name); by default the head starts fresh. */
  headWeightsDir?: string;
  /** Folder of the feature cache (default: defaultCacheDir()). */
  cacheDir?: string;
  /** ONNX Runtime threads for the base (default: one per core). */
  threads?: number;
  out?: string;
  resume?: boolean;
  /** Called after every epoch of either phase. */
  onEpoch?: (phase: 'head' | 'unfreeze', r: EpochRecord) => void;
  /** One line per step worth telling: features cached or computed, what was unfrozen. */
  onNote?: (line: string) => void;
}

/** What fine-tuning produced. */
export interface FineTuneResult {
  split: FineTuneSplit;
  /** The trained model: the full graph (top blocks trainable after unfreezing) and every weight. */
  graph: Graph;
  weights: WeightMap;
  /** The head's weights alone: with the cached features, they score a split without the base. */
  headWeights: WeightMap;
  preprocessing: Preprocessing;
  classes: string[];
  history: { head: EpochRecord[]; unfreeze: EpochRecord[] };
  /** Seconds spent computing features (0 when every feature came from the cache). */
  featureSeconds: number;
  /** True when the base changed (unfreezing), so cached features no longer describe it. */
  baseTrained: boolean;
  interrupted: boolean;
}

/** Weights of a tfjs model by `node/weight`. */
function weightsOf(model: { weights: Array<{ originalName: string; read(): { dataSync(): unknown } }> }): WeightMap {
  return new Map(model.weights.map((w) => [w.originalName, Float32Array.from(w.read().dataSync() as Float32Array)]));
}

/** Samples [start, end) of a raw split as model inputs. */
function inputsOf(raw: LabeledSet, recipe: Preprocessing, input: ImageShape): (start: number, end: number) => Float32Array {
  const size = imageSize(raw.shape);
  return (start, end) => preprocess(
    { images: raw.images.subarray(start * size, end * size), labels: raw.labels.subarray(start, end), shape: raw.shape, count: end - start },
    recipe, input,
  ).images;
}

/** Where features are cached and how the base runs. */
type FeatureOptions = Pick<FineTuneOptions, 'cacheDir' | 'threads' | 'onNote'>;

/** The base's features of a raw split: from the cache when its key matches, else computed in ONNX Runtime and cached. */
async function featuresOf(split: FineTuneSplit, weights: WeightMap, raw: RawSplit, recipe: Preprocessing, o: FeatureOptions): Promise<{ features: Float32Array; seconds: number }> {
  const input = split.base.inputs[0]!.shape as ImageShape;
  const key = featureKey(split.base, weights, raw, { recipe, input });
  const file = featureFile(o.cacheDir ?? defaultCacheDir(), key);
  const perSample = imageSize(split.featureShape);
  const cached = readFeatures(file, key, raw.count, perSample);
  if (cached instanceof Float32Array) {
    o.onNote?.(`features of ${raw.count} images from the cache (${file})`);
    return { features: cached, seconds: 0 };
  }
  if (typeof cached === 'string') o.onNote?.(messages.cacheRebuilt(file, cached));
  const started = performance.now();
  const features = await runOverSet(split.base, weights, raw.count, inputsOf(raw, recipe, input), o.threads ? { threads: o.threads } : {});
  const seconds = (performance.now() - started) / 1000;
  writeFeatures(file, key, split.featureShape, features);
  o.onNote?.(`features of ${raw.count} images computed once in ONNX Runtime in ${seconds.toFixed(1)} s (${Math.round(raw.count / seconds)} images/s), cached in ${file}`);
  return { features, seconds };
}

/** True when a run folder's checkpoint has finished `epochs` and its model is saved. */
function finished(dir: string, epochs: number): boolean {
  const file = join(dir, CHECKPOINT_FILE);
  return existsSync(file) && existsSync(join(dir, 'spec.json')) && readCheckpoint<{ epoch: number }>(file).state.epoch >= epochs;
}

/**
 * Fine-tunes `graph` on a data set with its base frozen. `weights` are the weights the model
 * carries (a trained directory, a weights file); null draws seeded ones, as training would.
 */
export async function fineTune(graph: Graph, weights: WeightMap | null, data: FineTuneData, o: FineTuneOptions): Promise<FineTuneResult> {
  if (graph.inputs.length !== 1) throw new UsageError(messages.multipleInputs(graph.inputs.length));
  const input = graph.inputs[0]!.shape as ImageShape;
  const raw = await loadRawSplit(data.name, data.dir, 'train', input, data.limit);
  const recipe = trainingRecipe(raw, input, data.standardize);
  const split = splitForFineTuning(graph, { ...(o.head ? { head: { items: parseHead(o.head), text: o.head } } : {}), classes: raw.classes.length });
  const all = weights ?? initWeights(graph, { seed: o.seed });
  const baseWeights: WeightMap = new Map(listWeights(split.base).map((e) => [e.key, all.get(e.key)!]));
  const { features, seconds: featureSeconds } = await featuresOf(split, all, raw, recipe, o);

  const set: LabeledSet = { images: features, shape: split.featureShape, count: raw.count, labels: raw.labels };
  const parts = data.valSplit ? splitValidation(set, data.valSplit, o.seed) : { train: set };
  const headData: TrainingData = { name: data.name, classes: raw.classes, augment: null, preprocessing: recipe, ...parts };
  const { head: _, unfreezeTop: top, unfreezeEpochs, unfreezeLr, headWeightsDir, cacheDir: _c, threads: _t, out, resume, onEpoch, onNote: _n, workers, ...recipeOptions } = o;
  const headOut = out ? join(out, HEAD_DIR) : undefined;
  const history: FineTuneResult['history'] = { head: [], unfreeze: [] };
  const base = { split, preprocessing: recipe, classes: raw.classes, featureSeconds, history };

  let headWeights: WeightMap;
  if (resume && headOut && finished(headOut, o.epochs)) {
    headWeights = readTrainedDirectory(headOut).weights;
    o.onNote?.(`the head finished its ${o.epochs} epochs in ${headOut}; continuing from it`);
  } else {
    // A head on features is a few small products: worker threads would only add copying.
    const r = await train(split.head, headData, {
      ...recipeOptions,
      workers: 1,
      ...(headWeightsDir && !o.head ? { initialWeights: { dir: headWeightsDir } } : {}),
      ...(headOut ? { out: headOut } : {}),
      ...(resume && headOut && existsSync(join(headOut, CHECKPOINT_FILE)) ? { resume: true } : {}),
      onEpoch: (rec) => onEpoch?.('head', rec),
    });
    history.head = r.history;
    headWeights = weightsOf(r.model);
    r.model.dispose();
    if (r.interrupted) return { ...base, graph: split.full, weights: new Map([...baseWeights, ...headWeights]), headWeights, baseTrained: false, interrupted: true };
  }
  const fullWeights: WeightMap = new Map([...baseWeights, ...headWeights]);
  const meta: TrainedMeta = { dataset: data.name, classes: raw.classes, preprocessing: recipe, seed: o.seed, epochs: o.epochs, fineTune: { cut: split.cut, head: split.headNames } };
  if (out) {
    const model = modelWithWeights(split.full, fullWeights);
    await saveModelDir(model, split.full.spec, out, meta);
    model.dispose();
  }
  if (!top) return { ...base, graph: split.full, weights: fullWeights, headWeights, baseTrained: false, interrupted: false };

  const frozen = split.full.nodes.filter((n) => !split.headNames.includes(n.name)).map((n) => n.name);
  const thawed = unfreezeTop(split.full, frozen, top);
  o.onNote?.(`unfreezing the top ${top} ${thawed.unit}${thawed.unit === 'weighted layers' ? ' (the model records no blocks)' : ''}: ${thawed.nodes.length} layers from ${thawed.nodes[0]} train end to end`);
  const images = await loadTrainingData(data.name, data.dir, {
    input, seed: o.seed, augment: 'none',
    ...(data.limit !== undefined ? { limit: data.limit } : {}), ...(data.valSplit ? { valSplit: data.valSplit } : {}), ...(data.standardize !== undefined ? { standardize: data.standardize } : {}),
  });
  // train() starts from a model directory: `out`, or a temporary one when nothing is saved.
  const start = out ?? mkdtempSync(join(tmpdir(), 'convlab-finetune-'));
  try {
    if (!out) {
      const model = modelWithWeights(split.full, fullWeights);
      await saveModelDir(model, split.full.spec, start, meta);
      model.dispose();
    }
    const r = await train(thawed.graph, images, {
      ...recipeOptions,
      ...(workers ? { workers } : {}),
      epochs: unfreezeEpochs ?? o.epochs,
      lr: unfreezeLr ?? o.lr / 10,
      ...(out ? { out } : {}),
      ...(resume && out && existsSync(join(out, CHECKPOINT_FILE)) ? { resume: true } : {}),
      initialWeights: { dir: start },
      onEpoch: (rec) => onEpoch?.('unfreeze', rec),
    });
    history.unfreeze = r.history;
    const trained = weightsOf(r.model);
    r.model.dispose();
    return { ...base, graph: thawed.graph, weights: trained, headWeights, baseTrained: true, interrupted: r.interrupted };
  } finally {
    if (!out) rmSync(start, { recursive: true, force: true });
  }
}

/**
 * Top-1 / top-5 of a fine-tuned model on a split of its data set, in ONNX Runtime: the head on
 * cached features while the base is as it was, else the whole model on the images.
 */
export async function evaluateFineTuned(r: FineTuneResult, data: FineTuneData, o: FeatureOptions & { split?: 'train' | 'test'; limit?: number } = {}): Promise<Evaluation> {
  const input = r.graph.inputs[0]!.shape as ImageShape;
  const raw = await loadRawSplit(data.name, data.dir, o.split ?? 'test', input, o.limit);
  const run = o.threads ? { threads: o.threads } : {};
  let scores: Float32Array;
  if (r.baseTrained) {
    scores = await runOverSet(r.graph, r.weights, raw.count, inputsOf(raw, r.preprocessing, input), run);
  } else {
    const { features } = await featuresOf(r.split, r.weights, raw, r.preprocessing, o);
    const size = imageSize(r.split.featureShape);
    scores = await runOverSet(r.split.head, r.headWeights, raw.count, (s, e) => features.subarray(s * size, e * size), run);
  }
  return evaluation(scores, raw.labels, r.classes.length);
}
