/**
 * The torch engine's data parallelism on the full MNIST: LeNet-5 trained with 1 process and with
 * N DistributedDataParallel processes (gloo, 127.0.0.1), same seed and global batch. Prints each
 * epoch's loss, validation loss and samples/s for both, the largest relative difference between
 * the loss curves, both test accuracies, and how ONNX Runtime's predictions on the N-process
 * trained directory compare with PyTorch's on the 10,000 test images.
 * Usage: node dist/bench/torch_ddp.js [--epochs 3] [--nproc 2] [--batch 64] [--threads 1]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeSession, createSession, run } from '../src/runtime/onnx/node.js';
import { loadEvalData } from '../src/runtime/tfjs/data.js';
import { readTrainedDirectory } from '../src/import/trained.js';
import { readNpy } from '../src/runtime/torch/npy.js';
import { dataRoot, flag } from './tfjs_bench.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
const epochs = Number(flag('--epochs') ?? 3);
const nproc = Number(flag('--nproc') ?? 2);
const batch = Number(flag('--batch') ?? 64);
const threads = Number(flag('--threads') ?? 1);

interface Record {
  loss: number;
  valLoss: number;
  samplesPerSecond: number;
}

/** Trains with `processes` processes; returns the log, the test line and the folder. */
function train(processes: number, out: string): { log: Record[]; test: string; wall: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [
    CLI, 'train', 'lenet5', '--dataset', 'mnist', '--data', dataRoot(), '--engine', 'torch', '--nproc', String(processes), '--threads', String(threads),
    '--epochs', String(epochs), '--batch-size', String(batch), '--seed', '0', '--no-progress', '--out', out,
  ], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`convlab train failed: ${r.stderr}`);
  const log = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record);
  return { log, test: /^test: .*$/m.exec(r.stdout)?.[0] ?? '', wall: (performance.now() - started) / 1000 };
}

/** Largest |a − b| / |a| over the epochs, for the training and the validation loss. */
const relDiff = (a: Record[], b: Record[]) => Math.max(...a.flatMap((e, i) => [Math.abs(e.loss - b[i]!.loss) / e.loss, Math.abs(e.valLoss - b[i]!.valLoss) / e.valLoss]));

const dir = mkdtempSync(join(tmpdir(), 'convlab-bench-ddp-'));
try {
  const one = train(1, join(dir, 'one'));
  const many = train(nproc, join(dir, 'many'));
  console.log(`LeNet-5, full MNIST, ${epochs} epochs, global batch ${batch}, Adam 1e-3, ${threads} thread(s) per process; load ${loadavg()[0]!.toFixed(1)}\n`);
  console.log(`| epoch | loss, 1 process | loss, ${nproc} processes | val loss, 1 | val loss, ${nproc} | samples/s, 1 | samples/s, ${nproc} |`);
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  one.log.forEach((e, i) => {
    const m = many.log[i]!;
    console.log(`| ${i + 1} | ${e.loss.toFixed(6)} | ${m.loss.toFixed(6)} | ${e.valLoss.toFixed(6)} | ${m.valLoss.toFixed(6)} | ${Math.round(e.samplesPerSecond)} | ${Math.round(m.samplesPerSecond)} |`);
  });
  console.log(`\nlargest relative difference of the loss curves: ${relDiff(one.log, many.log).toExponential(2)}`);
  console.log(`1 process:  ${one.test}  (run ${one.wall.toFixed(0)} s)\n${nproc} processes: ${many.test}  (run ${many.wall.toFixed(0)} s)`);

  const { graph, weights, meta } = readTrainedDirectory(join(dir, 'many'));
  const torchScores = readNpy(join(dir, 'many', 'torch', 'test_scores.npy')).data;
  const test = await loadEvalData('mnist', dataRoot(), 'test', [32, 32, 1], meta.preprocessing);
  const session = await createSession(graph, { threads: 1, export: { weights } });
  let maxDiff = 0;
  let disagree = 0;
  try {
    for (let start = 0; start < test.count; start += 1000) {
      const n = Math.min(1000, test.count - start);
      const ort = (await run(session, { data: test.images.subarray(start * 1024, (start + n) * 1024), shape: [n, 32, 32, 1] }))[graph.outputs[0]!]!.data;
      for (let i = 0; i < n; i++) {
        const row = (a: ArrayLike<number>, at: number) => Array.from({ length: 10 }, (_, c) => a[at + c]!);
        const o = row(ort, i * 10);
        const t = row(torchScores, (start + i) * 10);
        o.forEach((v, c) => (maxDiff = Math.max(maxDiff, Math.abs(v - t[c]!))));
        if (o.indexOf(Math.max(...o)) !== t.indexOf(Math.max(...t))) disagree++;
      }
    }
  } finally {
    await closeSession(session);
  }
  console.log(`ONNX Runtime on the ${nproc}-process trained directory vs PyTorch, ${test.count} test images: ${disagree} predictions differ, max |Δp| ${maxDiff.toExponential(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
