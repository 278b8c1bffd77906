/**
 * Training throughput with TensorFlow.js (wasm backend), batch 64, Adam, as bench/torch_train.py
 * measures PyTorch: samples/s over whole epochs of real data through convlab's trainer
 * (shuffling, batching and the optimizer included), per configuration, each in its own process.
 * A configuration is a worker count (data-parallel replicas, one thread each) or, for a single
 * worker, a wasm thread count. The model is the lecture's LeNet-5 on MNIST, the CIFAR ResNet-20,
 * or a spec of bench/specs with its data set. With --profile it also times every kernel of 20
 * steps in CPU time (a single worker) and prints where a step goes; `--batch 32 --profile` shows
 * what each of two workers runs for its half of a batch of 64.
 * Usage: node dist/bench/tfjs_train_speed.js [--threads 1,2] [--workers 2] [--samples 12800] [--epochs 2]
 *        [--batch 64] [--profile] [--model lenet5 | resnet20 | fashion_cnn | cifar_cnn]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { getModel } from '../src/zoo/index.js';
import { initBackend } from '../src/runtime/tfjs/backend.js';
import { loadTrainingData } from '../src/runtime/tfjs/data.js';
import { train } from '../src/runtime/tfjs/train.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DatasetName } from '../src/data/index.js';
import type { GraphSpec } from '../src/graph/types.js';
import { profileKernels, profileTable } from './tfjs_profile.js';
import { dataRoot, flag } from './tfjs_bench.js';
import { numel } from '../src/core/numel.js';
import { resolveGraph } from '../src/graph/graph.js';

const BATCH = Number(flag('--batch') ?? 64);

const MODELS: Record<string, { dataset: DatasetName; spec: () => GraphSpec }> = {
  lenet5: { dataset: 'mnist', spec: () => getModel('lenet5') },
  resnet20: { dataset: 'cifar10', spec: () => getModel('resnet20') },
  fashion_cnn: { dataset: 'fashion-mnist', spec: () => specFile('fashion_cnn') },
  cifar_cnn: { dataset: 'cifar10', spec: () => specFile('cifar_cnn') },
};

function specFile(name: string): GraphSpec {
  return JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'specs', `${name}.json`), 'utf8')) as GraphSpec;
}

/** One configuration: `workers` replicas of one thread, or a single worker with `threads`. */
interface Config {
  workers: number;
  threads: number;
}

async function child(c: Config, samples: number, epochs: number, profile: boolean): Promise<void> {
  const info = await initBackend({ threads: c.threads });
  const which = MODELS[flag('--model') ?? 'lenet5']!;
  const spec = which.spec();
  // No validation split and no augmentation: every sample goes through a step, as in the PyTorch loop.
  const data = await loadTrainingData(which.dataset, dataRoot(), { input: spec.inputs[0]!.shape as [number, number, number], limit: samples, seed: 0, augment: 'none' });
  const options = { epochs, batchSize: BATCH, optimizer: 'adam', lr: 1e-3, schedule: 'constant', seed: 0, workers: c.workers } as const;
  const cpu0 = process.cpuUsage();
  const result = await train(resolveGraph(spec), data, options);
  const cpu = process.cpuUsage(cpu0);
  const seconds = result.history.reduce((s, h) => s + h.seconds, 0);
  const perEpoch = result.history.map((h) => Math.round(h.samplesPerSecond));
  console.log(JSON.stringify({
    engine: `convlab tfjs ${tf.version_core} ${info.name}`, model: spec.name, workers: c.workers, threads: info.threads, simd: info.simd, batch: BATCH,
    samples: data.train.count * epochs, samples_per_s: Math.round((data.train.count * epochs) / seconds), per_epoch: perEpoch,
    cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(2), wall_seconds: +seconds.toFixed(2), load: +loadavg()[0]!.toFixed(2),
  }));
  if (!profile) return;
  const steps = Math.min(20, Math.floor(data.train.count / BATCH));
  const size = numel(data.train.shape);
  const small = { ...data, train: { ...data.train, count: steps * BATCH, images: data.train.images.subarray(0, steps * BATCH * size), labels: data.train.labels.subarray(0, steps * BATCH) } };
  let stepCpu = 0;
  const p = await profileKernels(async () => {
    const before = process.cpuUsage();
    await train(resolveGraph(spec), small, { ...options, epochs: 1, workers: 1, onEpoch: () => { stepCpu = process.cpuUsage(before).user / 1000; } });
  });
  console.log(`\nper-kernel CPU time of a training step (${spec.name}, ${steps} steps of ${BATCH}, ${info.threads} thread(s))`);
  console.log(profileTable(p, steps, stepCpu / steps));
}

const list = (name: string, fallback: string) => (flag(name) ?? fallback).split(',').filter(Boolean).map(Number);
const configs: Config[] = [
  ...list('--threads', '1,2').map((threads) => ({ workers: 1, threads })),
  ...list('--workers', '').map((workers) => ({ workers, threads: 1 })),
];
const samples = Number(flag('--samples') ?? 12800);
const epochs = Number(flag('--epochs') ?? 2);
const profile = process.argv.includes('--profile');
if (process.env.CONVLAB_BENCH_CHILD) {
  await child(JSON.parse(process.env.CONVLAB_BENCH_CHILD) as Config, samples, epochs, profile);
} else {
  for (const c of configs) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { env: { ...process.env, CONVLAB_BENCH_CHILD: JSON.stringify(c) }, stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
}
