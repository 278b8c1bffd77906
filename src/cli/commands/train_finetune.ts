/** `convlab train --freeze-base`: the base's features once in ONNX Runtime (cached), the head and then the top blocks in TensorFlow.js. */
import type { Optimizer, ScheduleName } from '../../core/sets.js';
import { int } from '../../report/units.js';
import { readTrainedDirectory } from '../../import/trained.js';
import type { DataName } from '../../runtime/tfjs/data.js';
import type { EpochRecord } from '../../runtime/tfjs/train.js';
import type { ResolvedModel } from '../resolve.js';
import { pct, type Write } from './train_report.js';

/** What the train command hands over: the recipe, the data and the fine-tuning options, checked. */
export interface FineTuneRun {
  train: { epochs: number; batchSize: number; optimizer: Optimizer; lr: number; schedule: ScheduleName; weightDecay: number; seed: number; gamma: number; momentum?: number; stepEvery?: number };
  dataset: DataName;
  data: string;
  valSplit: number;
  limit?: number;
  standardize?: boolean;
  out?: string;
  resume: boolean;
  /** `--weights DIR`: the base (and, without --new-head, the model's own head) from a trained directory. */
  weights?: { dir: string; newHead: boolean };
  head?: string;
  unfreezeTop?: number;
  unfreezeEpochs?: number;
  unfreezeLr?: number;
  featureCache?: string;
  test: boolean;
  testLimit?: number;
  backend: 'wasm' | 'cpu';
  workers: number;
}

/** Fine-tunes a resolved model with its base frozen and its features cached; prints each epoch and the test score. */
export async function trainFineTune(m: ResolvedModel, run: FineTuneRun, { out, err }: { out: Write; err: Write }): Promise<void> {
  const tfjs = await import('../../runtime/tfjs/index.js');
  const { fineTune, evaluateFineTuned } = await import('../../runtime/finetune/index.js');
  // The head trains in this thread; unfrozen blocks may use data-parallel workers, each with one thread.
  await tfjs.initBackend({ backend: run.backend, ...(run.workers > 1 ? { threads: 1 } : {}) });
  const weights = run.weights ? readTrainedDirectory(run.weights.dir).weights : m.weights;
  const data = { name: run.dataset, dir: run.data, ...(run.limit ? { limit: run.limit } : {}), valSplit: run.valSplit, ...(run.standardize !== undefined ? { standardize: run.standardize } : {}) };
  const line = (phase: string, epochs: number) => (r: EpochRecord) => {
    const val = r.valLoss !== undefined ? `  val_loss ${r.valLoss.toFixed(4)}  val_acc ${pct(r.valAccuracy!)}` : '';
    out(`${phase} epoch ${r.epoch}/${epochs}  lr ${r.lr.toPrecision(3)}  loss ${r.loss.toFixed(4)}  acc ${pct(r.accuracy)}${val}  ${Math.round(r.samplesPerSecond)} samples/s  ${r.seconds.toFixed(1)} s\n`);
  };
  const onHead = line('head', run.train.epochs);
  const onUnfreeze = line('unfreeze', run.unfreezeEpochs ?? run.train.epochs);
  const result = await fineTune(m.graph, weights, data, {
    ...run.train,
    workers: run.workers,
    ...(run.head ? { head: run.head } : {}),
    ...(run.unfreezeTop ? { unfreezeTop: run.unfreezeTop } : {}),
    ...(run.unfreezeEpochs ? { unfreezeEpochs: run.unfreezeEpochs } : {}),
    ...(run.unfreezeLr ? { unfreezeLr: run.unfreezeLr } : {}),
    ...(run.featureCache ? { cacheDir: run.featureCache } : {}),
    ...(run.out ? { out: run.out } : {}),
    ...(run.resume ? { resume: true } : {}),
    ...(run.weights && !run.weights.newHead ? { headWeightsDir: run.weights.dir } : {}),
    onEpoch: (phase, r) => (phase === 'head' ? onHead : onUnfreeze)(r),
    onNote: (text) => err(`${text}\n`),
  });
  if (run.test) {
    const ev = await evaluateFineTuned(result, data, { ...(run.testLimit ? { limit: run.testLimit } : {}), ...(run.featureCache ? { cacheDir: run.featureCache } : {}), onNote: (text) => err(`${text}\n`) });
    out(`test: top-1 ${pct(ev.top1)}  top-5 ${pct(ev.top5)}  (${int(ev.count)} samples)\n`);
  }
  if (run.out) out(`saved ${run.out}/model.json, weights.bin, spec.json; head run in ${run.out}/head (log.jsonl, checkpoint.ckpt)${result.history.unfreeze.length ? `; unfreezing log ${run.out}/${tfjs.LOG_FILE}` : ''}\n`);
}
