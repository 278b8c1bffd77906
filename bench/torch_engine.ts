/**
 * The torch engine in the training benchmarks, two ways:
 * - `--once`: one `convlab train --engine torch` run, as users run it, printed as one JSON line
 *   with each epoch's samples/s from its log.jsonl (training steps only, as bench/torch_train.py
 *   times its loop) and the whole command's wall time (data arrays, Python, `import torch`,
 *   saving). bench/train_throughput.ts runs it beside the tfjs engine and the hand-written loop.
 * - by default: the engine's overhead per batch. Whole runs move with the machine's load, so the
 *   engine's per-batch work and the hand-written loop's step (bench/torch_train.py's model) run
 *   interleaved in one process, timed in CPU time (bench/torch_step.py), three times per model.
 * Usage: node dist/bench/torch_engine.js [--models lenet5,resnet20] [--threads 1]
 *        node dist/bench/torch_engine.js --once --model lenet5 [--nproc 1] [--threads 1] [--samples 12800] [--epochs 2]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTorchPython } from '../src/runtime/torch/interpreter.js';
import { dataRoot, flag } from './tfjs_bench.js';
import { median } from './timing.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

/** Each model's data set, the hand-written model of bench/torch_train.py, and the step benchmark's size. */
const MODELS: Record<string, { dataset: string; reference: string; blocks: number; steps: number }> = {
  lenet5: { dataset: 'mnist', reference: 'LeNet5', blocks: 40, steps: 10 },
  resnet20: { dataset: 'cifar10', reference: 'ResNet20', blocks: 12, steps: 2 },
};

const python = findTorchPython().python;
const threads = Number(flag('--threads') ?? 1);

/** Runs `convlab train <model> --engine torch` into `out` (no validation split, no test); returns its wall time in seconds. */
function train(model: string, out: string, o: { nproc: number; samples: number; epochs: number }): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [
    CLI, 'train', model, '--dataset', MODELS[model]!.dataset, '--data', dataRoot(), '--engine', 'torch', '--nproc', String(o.nproc),
    '--threads', String(threads), '--limit', String(o.samples), '--val-split', '0', '--augment', 'none', '--epochs', String(o.epochs),
    '--batch-size', '64', '--no-test', '--no-progress', '--python', python, '--out', out,
  ], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`convlab train failed: ${r.stderr}`);
  return (performance.now() - started) / 1000;
}

/** One run, reported as the other training benchmarks report theirs. */
function once(model: string): void {
  const nproc = Number(flag('--nproc') ?? 1);
  const epochs = Number(flag('--epochs') ?? 2);
  const out = mkdtempSync(join(tmpdir(), 'convlab-bench-torch-'));
  try {
    const wall = train(model, out, { nproc, samples: Number(flag('--samples') ?? 12800), epochs });
    const log = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { samples: number; seconds: number; samplesPerSecond: number });
    console.log(JSON.stringify({
      engine: 'convlab torch', model, nproc, threads, per_epoch: log.map((e) => Math.round(e.samplesPerSecond)),
      samples_per_s: Math.round(log.reduce((s, e) => s + e.samples, 0) / log.reduce((s, e) => s + e.seconds, 0)), run_wall_s: +wall.toFixed(1),
    }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Per-batch CPU time, engine against the loop, interleaved in one process, three times; returns a table row. */
function perBatch(model: string): string {
  const m = MODELS[model]!;
  const out = mkdtempSync(join(tmpdir(), 'convlab-bench-step-'));
  try {
    // A short run makes the run folder (generated model, data arrays, run.json) the step benchmark reads.
    train(model, out, { nproc: 1, samples: 640, epochs: 1 });
    const runs = [1, 2, 3].map(() => {
      const r = spawnSync(python, [join(REPO, 'bench', 'torch_step.py'), '--run', join(out, 'torch'), '--reference', `${join(REPO, 'bench', 'torch_train.py')}:${m.reference}`,
        '--threads', String(threads), '--blocks', String(m.blocks), '--steps', String(m.steps)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads) } });
      if (r.status !== 0) throw new Error(`torch_step.py failed: ${r.stderr}`);
      console.log(r.stdout.trim());
      return JSON.parse(r.stdout) as { engine_ms: number; loop_ms: number; ratio: number };
    });
    const ratios = runs.map((x) => x.ratio);
    return `| ${model} | ${threads} | ${median(runs.map((x) => x.engine_ms)).toFixed(2)} | ${median(runs.map((x) => x.loop_ms)).toFixed(2)} | ${ratios.map((x) => x.toFixed(3)).join(', ')} | ${median(ratios).toFixed(3)} | ${loadavg()[0]!.toFixed(1)} |`;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv.includes('--once')) {
  once(flag('--model') ?? 'lenet5');
} else {
  const rows = (flag('--models') ?? 'lenet5,resnet20').split(',').map(perBatch);
  console.log('\n| model | threads | engine ms per batch (CPU) | loop ms per batch (CPU) | engine / loop, 3 runs | median | load |');
  console.log('|---|---:|---:|---:|---|---:|---:|');
  for (const row of rows) console.log(row);
}
