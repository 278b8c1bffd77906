/**
 * Fine-tuning a frozen MobileNetV2 on the CIFAR-10 subset, upscaled to 96×96 (the smallest input
 * Keras publishes MobileNetV2 weights for), in one run on one machine:
 *   - convlab: `convlab train mobilenet_v2 --freeze-base`, with an empty feature cache (the base
 *     runs once per image in ONNX Runtime) and again with the cache filled by the first run;
 *   - PyTorch (bench/torch_finetune.py): the usual loop that runs the frozen base on every batch
 *     of every epoch, and a loop that stores the features once.
 * Every figure is the wall time of the whole command (start-up, data, N epochs and the test
 * evaluation), with ONNX Runtime and PyTorch on the same thread count. The weights are random
 * here (the same seeded ones in both convlab runs), so accuracy only shows that the runs agree.
 * Usage: node dist/bench/finetune.js [--epochs 3] [--limit 500] [--test-limit 500] [--threads N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRoot, flag } from './tfjs_bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const SIZE = 96;
const epochs = Number(flag('epochs') ?? 3);
const limit = Number(flag('limit') ?? 500);
const testLimit = Number(flag('test-limit') ?? 500);
const threads = Number(flag('threads') ?? availableParallelism());

interface Measured {
  label: string;
  seconds: number;
  testAccuracy: number | null;
}

/** Runs a command to completion and returns its wall time and stdout; a failure stops the benchmark. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { seconds: number; stdout: string } {
  const started = performance.now();
  const p = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  const seconds = (performance.now() - started) / 1000;
  if (p.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${p.stderr.trim().split('\n').at(-1) ?? p.status}`);
  return { seconds, stdout: p.stdout };
}

const cacheDir = mkdtempSync(join(tmpdir(), 'convlab-bench-features-'));
const results: Measured[] = [];
try {
  const cli = join(here, '..', 'src', 'cli', 'main.js');
  const convlab = (label: string): void => {
    const args = [cli, 'train', 'mobilenet_v2', '--input', `${SIZE},${SIZE},3`, '--dataset', 'cifar10', '--data', dataRoot(), '--freeze-base',
      '--epochs', String(epochs), '--limit', String(limit), '--test-limit', String(testLimit), '--val-split', '0', '--feature-cache', cacheDir, '--no-progress'];
    const r = timed(process.execPath, args, { OMP_NUM_THREADS: String(threads) });
    const top1 = /test: top-1 ([\d.]+)%/.exec(r.stdout);
    results.push({ label, seconds: r.seconds, testAccuracy: top1 ? Number(top1[1]) / 100 : null });
    console.log(JSON.stringify({ engine: 'convlab', label, seconds: r.seconds, epochs, limit, size: SIZE }));
  };
  const torch = (mode: 'recompute' | 'cache', label: string): void => {
    const args = [join(here, '..', '..', 'bench', 'torch_finetune.py'), '--mode', mode, '--epochs', String(epochs), '--threads', String(threads),
      '--size', String(SIZE), '--limit', String(limit), '--test-limit', String(testLimit), '--data', dataRoot()];
    const r = timed('/usr/bin/python3', args, { OMP_NUM_THREADS: String(threads) });
    const line = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { testAccuracy: number; seconds: number; baseSeconds: number };
    results.push({ label, seconds: r.seconds, testAccuracy: line.testAccuracy });
    console.log(JSON.stringify({ engine: 'pytorch', label, wall: r.seconds, ...line }));
  };
  const load = loadavg()[0]!;
  convlab('convlab --freeze-base, empty cache');
  convlab('convlab --freeze-base, cache filled');
  torch('recompute', 'PyTorch, base every epoch (usual loop)');
  torch('cache', 'PyTorch, features stored once');
  const usual = results.find((r) => r.label.startsWith('PyTorch, base every'))!.seconds;
  console.log(`\nMobileNetV2 (random weights) frozen, ${SIZE}×${SIZE}, CIFAR-10 subset: ${limit} training images, ${epochs} epochs, ${testLimit} test images; ` +
    `${threads} threads; load average ${load.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end\n`);
  console.log('| run | wall time | vs the usual PyTorch loop | test top-1 |');
  console.log('|---|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.label} | ${r.seconds.toFixed(1)} s | ${(usual / r.seconds).toFixed(2)}× | ${r.testAccuracy === null ? '-' : `${(r.testAccuracy * 100).toFixed(1)}%`} |`);
  }
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
