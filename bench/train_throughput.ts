/**
 * Training throughput side by side, in one run: convlab's TensorFlow.js trainer (one worker with 1
 * and with all threads, and N data-parallel workers) and its PyTorch engine (one process with 1
 * and with all threads, and N DDP processes, through bench/torch_engine.ts --once) against the
 * hand-written PyTorch loop of bench/torch_train.py at every thread count from 1 to the core
 * count (OMP_NUM_THREADS set to it, as the engine sets it, so OpenBLAS keeps to the thread count
 * too: Debian's PyTorch does not pass its own on), for LeNet-5 on MNIST and
 * the CIFAR ResNet-20 on CIFAR-10. Batch 64, Adam, no augmentation or validation split. Each
 * configuration runs in its own process; rounds alternate through all of them so they see the
 * same load, and each configuration's best round counts (the one least disturbed by other work).
 * A figure is samples/s of the last epoch (the first warms up). Prints one JSON line per run and
 * a Markdown table with each figure's ratio to PyTorch's best thread count.
 * Usage: node dist/bench/train_throughput.js [--models lenet5,resnet20] [--rounds 2] [--workers N]
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRoot, flag } from './tfjs_bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const cores = availableParallelism();

/** Samples and epochs per model: enough for a steady last epoch within a minute or so. */
const SIZES: Record<string, { samples: number; epochs: number }> = {
  lenet5: { samples: 12_800, epochs: 2 },
  resnet20: { samples: 1_024, epochs: 2 },
};

interface Run {
  model: string;
  engine: 'convlab' | 'convlab torch' | 'pytorch';
  env?: Record<string, string>;
  label: string;
  args: string[];
}

function runs(model: string, workers: number): Run[] {
  const { samples, epochs } = SIZES[model]!;
  const tfjs = (label: string, extra: string[]): Run => ({
    model, engine: 'convlab', label,
    args: [join(here, 'tfjs_train_speed.js'), '--model', model, '--samples', String(samples), '--epochs', String(epochs), ...extra],
  });
  const torch = (threads: number): Run => ({
    model, engine: 'pytorch', label: `${threads} thread${threads > 1 ? 's' : ''}`, env: { OMP_NUM_THREADS: String(threads) },
    args: [join(here, '..', '..', 'bench', 'torch_train.py'), '--model', model, '--limit', String(samples), '--epochs', String(epochs), '--threads', String(threads), '--no-test', '--data', dataRoot()],
  });
  const torchEngine = (nproc: number, threads: number): Run => ({
    model, engine: 'convlab torch', label: `${nproc} process${nproc > 1 ? 'es (DDP)' : ''} × ${threads} thread${threads > 1 ? 's' : ''}`,
    args: [join(here, 'torch_engine.js'), '--once', '--model', model, '--nproc', String(nproc), '--threads', String(threads), '--samples', String(samples), '--epochs', String(epochs)],
  });
  return [
    tfjs('1 worker, 1 thread', ['--threads', '1', '--workers', '']),
    ...(cores > 1 ? [tfjs(`1 worker, ${cores} threads`, ['--threads', String(cores), '--workers', ''])] : []),
    tfjs(`${workers} workers`, ['--threads', '', '--workers', String(workers)]),
    torchEngine(1, 1),
    ...(cores > 1 ? [torchEngine(1, cores), torchEngine(cores, 1)] : []),
    ...Array.from({ length: cores }, (_, i) => torch(i + 1)),
  ];
}

/** Runs one configuration and returns its last epoch's samples/s, or null when it failed. */
function measure(r: Run): number | null {
  const command = r.engine === 'pytorch' ? '/usr/bin/python3' : process.execPath;
  const p = spawnSync(command, r.args, { encoding: 'utf8', env: { ...process.env, CONVLAB_DATA: dataRoot(), ...r.env }, maxBuffer: 1 << 24 });
  const lines = p.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const last = lines.at(-1);
  if (p.status !== 0 || !last) {
    console.error(`${r.model} ${r.engine} ${r.label} failed: ${p.stderr.trim().split('\n').at(-1) ?? p.status}`);
    return null;
  }
  console.log(JSON.stringify({ ...last, label: r.label, load: +loadavg()[0]!.toFixed(2) }));
  const perEpoch = last['per_epoch'] as number[] | undefined;
  return perEpoch ? perEpoch.at(-1)! : (last['samples_per_s'] as number);
}

const models = (flag('--models') ?? 'lenet5,resnet20').split(',');
const rounds = Number(flag('--rounds') ?? 2);
const workers = Number(flag('--workers') ?? cores);
const plan = models.flatMap((m) => runs(m, workers));
const best = new Map<Run, number>();
const loads: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const r of plan) {
    loads.push(loadavg()[0]!);
    const v = measure(r);
    if (v !== null) best.set(r, Math.max(best.get(r) ?? 0, v));
  }
}

const rows = ['| model | engine | configuration | samples/s | vs PyTorch best |', '|---|---|---|---:|---:|'];
for (const m of models) {
  const mine = plan.filter((r) => r.model === m);
  const torchBest = Math.max(...mine.filter((r) => r.engine === 'pytorch').map((r) => best.get(r) ?? 0));
  for (const r of mine) {
    const v = best.get(r);
    rows.push(`| ${m} | ${r.engine} | ${r.label} | ${v === undefined ? 'failed' : Math.round(v).toLocaleString('en-US')} | ${v === undefined || !torchBest ? '—' : `${(v / torchBest).toFixed(2)}×`} |`);
  }
}
console.log(`\nBest of ${rounds} round(s); 1-minute load average during the runs: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} on ${cores} cores.\n`);
console.log(rows.join('\n'));
