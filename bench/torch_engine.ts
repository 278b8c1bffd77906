/**
 * The torch engine against a hand-written PyTorch training loop: the same model, data, batch (64),
 * optimizer (Adam) and threads, whole epochs with shuffling and batching, in alternating rounds so
 * both see the same load. The engine runs as users run it (`convlab train --engine torch`, its
 * samples/s from log.jsonl: training steps only, as the loop times itself); its start-up (data
 * arrays, Python, `import torch`) is the separate "run wall" column. Rows: one process × T threads
 * against the loop on T threads (the engine's overhead), and --nproc 2 DDP processes × 1 thread
 * against the loop on 2 threads. Whole runs move with the machine's load, so a second measure
 * times the engine's per-batch work against a plain loop step in CPU time, interleaved in one
 * process (bench/torch_step.py), which holds on a busy machine.
 * Usage: node dist/bench/torch_engine.js [--rounds 3] [--limit 12800] [--epochs 2] [--threads 1] [--model lenet5]
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

/** Models with a hand-written PyTorch loop to compare with, and the data set each trains on. */
const MODELS: Record<string, { dataset: string; folder: string; script: string; reference: string }> = {
  lenet5: { dataset: 'mnist', folder: 'mnist', script: 'torch_train_lenet.py', reference: 'LeNet5' },
};

const rounds = Number(flag('--rounds') ?? 3);
const limit = Number(flag('--limit') ?? 12800);
const epochs = Number(flag('--epochs') ?? 2);
const threads = Number(flag('--threads') ?? 1);
const model = flag('--model') ?? 'lenet5';
const which = MODELS[model];
if (!which) throw new Error(`--model: one of ${Object.keys(MODELS).join(', ')}`);
const python = findTorchPython().python;

/** Runs `convlab train --engine torch` into `out`; returns its wall time in seconds. */
function train(out: string, nproc: number, perProcess: number, samples: number, runEpochs: number): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [
    CLI, 'train', model, '--dataset', which!.dataset, '--data', dataRoot(), '--engine', 'torch', '--nproc', String(nproc),
    '--threads', String(perProcess), '--limit', String(samples), '--val-split', '0', '--epochs', String(runEpochs), '--batch-size', '64',
    '--no-test', '--no-progress', '--python', python, '--out', out,
  ], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`convlab train failed: ${r.stderr}`);
  return (performance.now() - started) / 1000;
}

/** samples/s of the engine over all epochs (training steps only) and the run's wall time. */
function engine(nproc: number, perProcess: number): { samplesPerSecond: number; wall: number } {
  const out = mkdtempSync(join(tmpdir(), 'convlab-bench-torch-'));
  try {
    const wall = train(out, nproc, perProcess, limit, epochs);
    const log = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { samples: number; seconds: number });
    return { samplesPerSecond: log.reduce((s, e) => s + e.samples, 0) / log.reduce((s, e) => s + e.seconds, 0), wall };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Per-batch CPU time, engine against the loop, interleaved in one process (three runs of bench/torch_step.py). */
function perBatch(): Array<{ engine_ms: number; loop_ms: number; ratio: number }> {
  const out = mkdtempSync(join(tmpdir(), 'convlab-bench-step-'));
  try {
    train(out, 1, threads, 1280, 1);
    return [1, 2, 3].map(() => {
      const r = spawnSync(python, [join(REPO, 'bench', 'torch_step.py'), '--run', join(out, 'torch'), '--reference', `${join(REPO, 'bench', which!.script)}:${which!.reference}`,
        '--threads', String(threads)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`torch_step.py failed: ${r.stderr}`);
      console.log(r.stdout.trim());
      return JSON.parse(r.stdout) as { engine_ms: number; loop_ms: number; ratio: number };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * samples/s of the hand-written loop over all epochs, timed by itself. OMP_NUM_THREADS is set as
 * the engine sets it: Debian's PyTorch does not pass torch.set_num_threads on to OpenBLAS, whose
 * own threads would otherwise fight the loop's for the cores.
 */
function handWritten(loopThreads: number): number {
  const r = spawnSync(python, [join(REPO, 'bench', which!.script), '--epochs', String(epochs), '--threads', String(loopThreads), '--limit', String(limit), '--batch', '64',
    '--data', join(dataRoot(), which!.folder)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(loopThreads) } });
  if (r.status !== 0) throw new Error(`${which!.script} failed: ${r.stderr}`);
  const epochsRun = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seconds: number });
  return (limit * epochsRun.length) / epochsRun.reduce((s, e) => s + e.seconds, 0);
}

const rows = [
  { name: `engine, 1 process × ${threads} thread${threads > 1 ? 's' : ''}`, engine: [1, threads] as const, loop: threads },
  { name: 'engine, 2 processes (DDP, gloo) × 1 thread', engine: [2, 1] as const, loop: 2 },
];
const results = rows.map(() => ({ engine: [] as number[], loop: [] as number[], ratio: [] as number[], wall: [] as number[] }));
for (let round = 1; round <= rounds; round++) {
  rows.forEach((row, i) => {
    // Alternate which goes first, so neither always meets the same moment of the machine's load.
    const first = round % 2 === 1;
    const loop1 = first ? handWritten(row.loop) : NaN;
    const e = engine(row.engine[0], row.engine[1]);
    const loop = first ? loop1 : handWritten(row.loop);
    const res = results[i]!;
    res.engine.push(e.samplesPerSecond);
    res.loop.push(loop);
    res.ratio.push(e.samplesPerSecond / loop);
    res.wall.push(e.wall);
    console.log(JSON.stringify({ round, row: row.name, engine_samples_per_s: Math.round(e.samplesPerSecond), loop_samples_per_s: Math.round(loop), ratio: +(e.samplesPerSecond / loop).toFixed(3), run_wall_s: +e.wall.toFixed(1), load: +loadavg()[0]!.toFixed(2) }));
  });
}
const steps = perBatch();
console.log(`\n${model}, ${limit} samples × ${epochs} epochs, batch 64, Adam; median of ${rounds} alternating rounds; load ${loadavg()[0]!.toFixed(1)}\n`);
console.log('| configuration | engine samples/s | hand-written loop samples/s | engine / loop | run wall (s) |');
console.log('|---|---:|---:|---:|---:|');
rows.forEach((row, i) => {
  const r = results[i]!;
  console.log(`| ${row.name} vs loop on ${row.loop} thread${row.loop > 1 ? 's' : ''} | ${Math.round(median(r.engine))} | ${Math.round(median(r.loop))} | ${median(r.ratio).toFixed(3)} | ${median(r.wall).toFixed(1)} |`);
});
console.log(`\nPer-batch CPU time (batch 64, ${threads} thread${threads > 1 ? 's' : ''}), interleaved in one process: engine ${median(steps.map((x) => x.engine_ms)).toFixed(2)} ms, loop ${median(steps.map((x) => x.loop_ms)).toFixed(2)} ms, engine / loop ${steps.map((x) => x.ratio.toFixed(3)).join(', ')} (median ${median(steps.map((x) => x.ratio)).toFixed(3)})`);
