/**
 * The machine's sgemm peak as ONNX Runtime reaches it: one float32 MatMul C = A·B of n×n
 * matrices (B a constant initializer, A fed each run), timed over repeated runs with the same
 * thread count as the benchmarks. GFLOP/s = 2·n³ / time. The best of several sizes and rounds
 * is the peak that achieved model GFLOP/s are compared against.
 * Usage: node dist/bench/peak_sgemm.js [threads] [rounds]   (default: all cores, 5 rounds)
 * Other benchmarks import measurePeak() to put their GFLOP/s next to the peak.
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { Rng } from '../src/core/random.js';
import { encodeModel, floatTensor, tensorInfo } from '../src/onnx/proto.js';

const SIZES = [512, 1024, 2048, 3072];

function random(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.next() - 0.5);
}

/** A one-node model: Y = MatMul(A, B) with B n×n stored in the file. */
function matmulModel(n: number): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'convlab-bench',
    graph: {
      name: `sgemm_${n}`,
      node: [{ name: 'matmul', opType: 'MatMul', input: ['A', 'B'], output: ['C'] }],
      initializer: [floatTensor('B', [n, n], random(n * n, 2))],
      input: [tensorInfo('A', [n, n])],
      output: [tensorInfo('C', [n, n])],
    },
  });
}

export interface PeakSize {
  n: number;
  ms: number;
  gflops: number;
}

/** Best GFLOP/s of one size: median of the timed runs of a round, best round kept. */
async function measure(n: number, threads: number, rounds: number): Promise<PeakSize> {
  const session = await ort.InferenceSession.create(matmulModel(n), { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const feeds = { A: new ort.Tensor('float32', random(n * n, 1), [n, n]) };
  const runs = Math.max(3, Math.round(2e10 / (2 * n ** 3)));
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    await session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    best = Math.min(best, times[Math.floor(times.length / 2)]!);
  }
  await session.release();
  return { n, ms: best, gflops: (2 * n ** 3) / (best / 1000) / 1e9 };
}

/** The sgemm peak over SIZES: every size's best, and the best of all. */
export async function measurePeak(threads: number, rounds: number, sizes = SIZES): Promise<{ results: PeakSize[]; peak: PeakSize }> {
  const results: PeakSize[] = [];
  for (const n of sizes) results.push(await measure(n, threads, rounds));
  return { results, peak: results.reduce((a, b) => (b.gflops > a.gflops ? b : a)) };
}

if (process.argv[1]?.endsWith('peak_sgemm.js')) {
  const threads = Number(process.argv[2] ?? availableParallelism());
  const rounds = Number(process.argv[3] ?? 5);
  const { results, peak } = await measurePeak(threads, rounds);
  process.stdout.write(`sgemm peak through ONNX Runtime ${ort.env.versions.node}, ${threads} thread(s), best median of ${rounds} rounds\n\n`);
  process.stdout.write('| n | median ms | GFLOP/s |\n|---:|---:|---:|\n');
  for (const r of results) process.stdout.write(`| ${r.n} | ${r.ms.toFixed(2)} | ${r.gflops.toFixed(1)} |\n`);
  process.stdout.write(`\nPeak: **${peak.gflops.toFixed(1)} GFLOP/s** (n = ${peak.n}). JSON: ${JSON.stringify({ threads, peakGflops: peak.gflops, results })}\n`);
}
