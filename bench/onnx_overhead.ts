/**
 * `convlab bench` against raw ONNX Runtime on the same exported file and thread count. Raw ORT is
 * the plain onnxruntime-node API (InferenceSession.create on the file, run in a loop, defaults
 * apart from intraOpNumThreads); convlab is the CLI as users run it, `--format json`. Rounds
 * alternate the two so both see the same machine load; the best median of each is compared.
 * Goal: convlab / raw ≤ 1.05.
 * Usage: node dist/bench/onnx_overhead.js [threads] [rounds] [models]   (default: all cores, 3, resnet50,mobilenet_v2)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { exportOnnx } from '../src/runtime/onnx/export.js';
import type { BenchRun } from '../src/report/bench.js';
import { getModel } from '../src/zoo/index.js';
import { median } from './timing.js';
import { numel } from '../src/core/numel.js';
import { resolveGraph } from '../src/graph/graph.js';

const threads = Number(process.argv[2] ?? availableParallelism());
const rounds = Number(process.argv[3] ?? 3);
const models = (process.argv[4] ?? 'resnet50,mobilenet_v2').split(',');
const WARMUP = 5;
const RUNS = 30;
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'convlab-overhead-'));


/** Median latency (ms) of the raw ORT loop at batch 1. */
async function raw(file: string, shape: number[]): Promise<number> {
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: threads });
  const x = new ort.Tensor('float32', Float32Array.from({ length: numel(shape) }, (_, i) => (i % 255) / 255), shape);
  const feeds = { [session.inputNames[0]!]: x };
  for (let i = 0; i < WARMUP; i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  return median(times);
}

/** Median latency (ms) that `convlab bench` reports for the same file. */
function convlab(file: string): number {
  const args = [cli, 'bench', file, '--threads', String(threads), '--warmup', String(WARMUP), '--runs', String(RUNS), '--format', 'json'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`convlab bench failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as BenchRun).models[0]!.batches[0]!.latencyMs.p50;
}

process.stdout.write(`convlab bench vs raw ONNX Runtime ${ort.env.versions.node}: batch 1, ${threads} thread(s), ${WARMUP} warm-up + ${RUNS} runs, best median of ${rounds} alternating rounds; load average ${loadavg()[0]!.toFixed(1)}\n\n`);
process.stdout.write('| model | raw ORT p50 ms | convlab bench p50 ms | convlab / raw |\n|---|---:|---:|---:|\n');
for (const id of models) {
  const spec = getModel(id);
  const file = join(dir, `${id}.onnx`);
  writeFileSync(file, exportOnnx(resolveGraph(spec)));
  const shape = [1, ...spec.inputs[0]!.shape];
  let bestRaw = Infinity;
  let bestCli = Infinity;
  for (let r = 0; r < rounds; r++) {
    bestRaw = Math.min(bestRaw, await raw(file, shape));
    bestCli = Math.min(bestCli, convlab(file));
  }
  process.stdout.write(`| ${id} | ${bestRaw.toFixed(2)} | ${bestCli.toFixed(2)} | ${(bestCli / bestRaw).toFixed(3)} |\n`);
}
process.stdout.write(`\nLoad average at the end: ${loadavg()[0]!.toFixed(1)}\n`);
