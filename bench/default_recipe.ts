/**
 * What `convlab train lenet5 --dataset mnist --epochs 1` reaches with every other setting left at
 * its default, against the hand-written PyTorch loop (bench/torch_train.py) with the same recipe:
 * LeNet-5, 28×28 padded to 32×32, Adam 1e-3, batch 64, one epoch. PyTorch runs with
 * standardized inputs (convlab's default) on all 60,000 training images and with convlab's 10%
 * held out, and on raw [0, 1] pixels (convlab's old default). Each runs once per seed; the
 * summary gives the mean and range of the MNIST test accuracy.
 * Usage: node dist/bench/default_recipe.js [--seeds 0,1,2]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRoot, flag } from './tfjs_bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const seeds = (flag('--seeds') ?? '0,1,2').split(',').map(Number);
const env = { ...process.env, CONVLAB_DATA: dataRoot() };

/** `convlab train` as a user types it (the seed flag only for seeds other than the default 0). */
function convlab(seed: number): number {
  const args = [join(here, '..', 'src', 'cli', 'main.js'), 'train', 'lenet5', '--dataset', 'mnist', '--epochs', '1', ...(seed ? ['--seed', String(seed)] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  const m = /^test: top-1 (\d+\.\d+)%/m.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`convlab train failed: ${r.stderr.trim().split('\n').at(-1)}`);
  return Number(m[1]) / 100;
}

function pytorch(seed: number, extra: string[]): number {
  const r = spawnSync('/usr/bin/python3', [join(here, '..', '..', 'bench', 'torch_train.py'), '--model', 'lenet5', '--epochs', '1', '--seed', String(seed), '--threads', '1', ...extra], { encoding: 'utf8', env });
  const last = r.stdout.trim().split('\n').at(-1);
  if (r.status !== 0 || !last) throw new Error(`torch_train.py failed: ${r.stderr.trim().split('\n').at(-1)}`);
  return (JSON.parse(last) as { test_accuracy: number }).test_accuracy;
}

const variants: Array<[string, (seed: number) => number]> = [
  ['convlab train, defaults (standardized, 54,000 images + 6,000 validation)', convlab],
  ['PyTorch, standardized, 60,000 images', (s) => pytorch(s, ['--standardize'])],
  ['PyTorch, standardized, 54,000 images (10% held out)', (s) => pytorch(s, ['--standardize', '--val-split', '0.1'])],
  ['PyTorch, raw pixels in [0, 1], 60,000 images', (s) => pytorch(s, [])],
];
const rows = ['| run | test top-1, mean | min | max |', '|---|---:|---:|---:|'];
for (const [name, run] of variants) {
  const accs = seeds.map((seed) => {
    const acc = run(seed);
    console.log(JSON.stringify({ run: name, seed, test_accuracy: acc, load: +loadavg()[0]!.toFixed(2) }));
    return acc;
  });
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  rows.push(`| ${name} | ${pct(accs.reduce((a, b) => a + b, 0) / accs.length)} | ${pct(Math.min(...accs))} | ${pct(Math.max(...accs))} |`);
}
console.log(`\nLeNet-5, MNIST, 1 epoch, Adam 1e-3, batch 64; seeds ${seeds.join(', ')}.\n`);
console.log(rows.join('\n'));
