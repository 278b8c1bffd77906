/**
 * Shared driver of the training benchmarks (bench/train_*.ts): train a model with convlab's
 * trainer on a full data set, evaluate the test split after every epoch, and print one JSON line
 * per epoch (samples/s, seconds, loss, test accuracy) and a summary line.
 */
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetName } from '../src/data/index.js';
import type { GraphSpec } from '../src/graph/types.js';
import { initBackend } from '../src/runtime/tfjs/backend.js';
import type { AugmentationName } from '../src/core/sets.js';
import { loadEvalData, loadTrainingData } from '../src/runtime/tfjs/data.js';
import { evaluation, predictScores } from '../src/runtime/tfjs/metrics.js';
import { train, type TrainOptions } from '../src/runtime/tfjs/train.js';
import { resolveGraph } from '../src/graph/graph.js';

/** The value after `--name` on the command line. */
export function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The data sets folder: --data, CONVLAB_DATA, or ../shared/data beside the repository. */
export function dataRoot(): string {
  return flag('--data') ?? process.env.CONVLAB_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data');
}

export interface BenchConfig {
  name: string;
  dataset: DatasetName;
  spec: GraphSpec;
  options: Omit<TrainOptions, 'onEpoch' | 'onProgress'>;
  /** Preprocessing beyond the data set's defaults. */
  data?: { standardize?: boolean; augment?: AugmentationName };
  /** Test accuracy the run must reach; the summary says whether and when it did. */
  target?: number;
}

/** Runs one benchmark; command-line flags override epochs, batch size, threads, limit and --out. */
export async function runBench(c: BenchConfig): Promise<void> {
  const threads = flag('--threads') ? Number(flag('--threads')) : undefined;
  const info = await initBackend(threads ? { threads } : {});
  const epochs = Number(flag('--epochs') ?? c.options.epochs);
  const batchSize = Number(flag('--batch-size') ?? c.options.batchSize);
  const limit = flag('--limit') ? Number(flag('--limit')) : undefined;
  const out = flag('--out');
  const input = c.spec.inputs[0]!.shape as [number, number, number];
  const data = await loadTrainingData(c.dataset, dataRoot(), { input, seed: c.options.seed, ...(limit ? { limit } : {}), ...c.data });
  const test = await loadEvalData(c.dataset, dataRoot(), 'test', input, data.preprocessing);
  let reached: number | null = null;
  let best = 0;
  const started = performance.now();
  const result = await train(resolveGraph(c.spec), data, {
    ...c.options, epochs, batchSize, ...(out ? { out } : {}),
    onEpoch: (r, model) => {
      const acc = evaluation(predictScores(model, test, 500), test.labels, data.classes.length).top1;
      best = Math.max(best, acc);
      if (c.target !== undefined && reached === null && acc >= c.target) reached = r.epoch;
      console.log(JSON.stringify({
        bench: c.name, engine: `convlab tfjs ${info.name}`, threads: info.threads, epoch: r.epoch, batch: batchSize, lr: +r.lr.toPrecision(3),
        samples_per_s: Math.round(r.samplesPerSecond), seconds: +r.seconds.toFixed(1), loss: +r.loss.toFixed(4), train_accuracy: +r.accuracy.toFixed(4),
        test_accuracy: +acc.toFixed(4), load: +loadavg()[0]!.toFixed(2),
      }));
    },
  });
  const trainSeconds = result.history.reduce((s, h) => s + h.seconds, 0);
  const samples = result.history.reduce((s, h) => s + h.samples, 0);
  console.log(JSON.stringify({
    bench: c.name, summary: true, model: c.spec.name, dataset: c.dataset, train_samples: data.train.count, test_samples: test.count, augment: data.augment, standardized: data.preprocessing.mean !== null,
    epochs, batch: batchSize, optimizer: c.options.optimizer, lr: c.options.lr, schedule: c.options.schedule, threads: info.threads,
    best_test_accuracy: +best.toFixed(4), final_test_accuracy: +evaluation(predictScores(result.model, test, 500), test.labels, data.classes.length).top1.toFixed(4),
    target: c.target ?? null, reached_at_epoch: reached, train_seconds: +trainSeconds.toFixed(1),
    wall_seconds: +((performance.now() - started) / 1000).toFixed(1), mean_samples_per_s: Math.round(samples / trainSeconds),
  }));
}
