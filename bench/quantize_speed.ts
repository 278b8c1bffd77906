/**
 * int8 and float16 against float32 in ONNX Runtime, side by side in one run: each zoo model is
 * exported (seeded weights), quantized to static int8 (calibrated on random inputs: speed does
 * not depend on the ranges) and converted to float16; rounds alternate the variants so all see
 * the same machine load, and the best median of the rounds is kept. Then the machine's int8 and
 * float32 matrix-multiply peaks through ORT (MatMulInteger u8·s8 and MatMul, n×n), and a per-layer
 * profile of the first model at batch 1: time per conv kernel size in fp32 and int8.
 * Usage: node dist/bench/quantize_speed.js [--models resnet50,mobilenet_v2] [--batch 1,8] [--threads N] [--rounds 3] [--runs 20]
 */
import { availableParallelism, loadavg } from 'node:os';
import * as ort from 'onnxruntime-node';
import { analyze } from '../src/analysis/analyze.js';
import { resolveGraph } from '../src/graph/graph.js';
import { Rng } from '../src/core/random.js';
import { benchModel } from '../src/runtime/onnx/bench_node.js';
import { exportModel } from '../src/runtime/onnx/export.js';
import { DataType, encodeModel, tensorInfo } from '../src/onnx/proto.js';
import { randomSamples } from '../src/runtime/onnx/quantize/samples.js';
import { int8Tensor } from '../src/onnx/tensors.js';
import { makeVariant, type MadeVariant } from '../src/runtime/onnx/quantize/variants.js';
import { getModel } from '../src/zoo/index.js';
import { measurePeak } from './peak_sgemm.js';
import { flag } from './tfjs_bench.js';
import { median } from './timing.js';

const models = (flag('--models') ?? 'resnet50,mobilenet_v2').split(',');
const batches = (flag('--batch') ?? '1,8').split(',').map(Number);
const threads = Number(flag('--threads') ?? availableParallelism());
const rounds = Number(flag('--rounds') ?? 3);
const runs = Number(flag('--runs') ?? 20);
const VARIANTS = ['fp32', 'int8', 'fp16'] as const;

/** Median latency (ms) of `runs` runs after 3 warm-up runs. */
async function time(session: ort.InferenceSession, shape: number[]): Promise<number> {
  const rng = new Rng(1);
  const x = new ort.Tensor('float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next()), shape);
  const feeds = { [session.inputNames[0]!]: x };
  for (let i = 0; i < 3; i++) await session.run(feeds);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** A one-node MatMulInteger model: uint8 A (fed) times int8 B (n×n constant), int32 out. */
function int8GemmModel(n: number): Uint8Array {
  const rng = new Rng(2);
  const b = Int8Array.from({ length: n * n }, () => Math.floor(rng.next() * 127) - 63);
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: `igemm_${n}`,
      node: [{ name: 'matmul', opType: 'MatMulInteger', input: ['A', 'B'], output: ['C'] }],
      initializer: [int8Tensor('B', [n, n], b)],
      input: [tensorInfo('A', [n, n], DataType.UINT8)],
      output: [tensorInfo('C', [n, n], DataType.INT32)],
    },
  });
}

/** Best median GOP/s (2·n³ integer multiply-adds) of the u8·s8 product through ORT. */
async function int8Peak(n: number): Promise<number> {
  const session = await ort.InferenceSession.create(int8GemmModel(n), { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const rng = new Rng(1);
  const feeds = { A: new ort.Tensor('uint8', Uint8Array.from({ length: n * n }, () => Math.floor(rng.next() * 256)), [n, n]) };
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    await session.run(feeds);
    const ms: number[] = [];
    for (let i = 0; i < Math.max(3, Math.round(2e10 / (2 * n ** 3))); i++) {
      const t0 = performance.now();
      await session.run(feeds);
      ms.push(performance.now() - t0);
    }
    best = Math.min(best, median(ms));
  }
  await session.release();
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

console.log(JSON.stringify({ bench: 'quantize_speed', engine: `onnxruntime-node ${ort.env.versions.node}`, threads, rounds, runs, load: loadavg().map((x) => +x.toFixed(2)) }));
const made = new Map<string, MadeVariant[]>();
for (const id of models) {
  const spec = getModel(id);
  const fp32 = exportModel(resolveGraph(spec), { seed: 0 }).model;
  const variants: MadeVariant[] = [];
  for (const v of VARIANTS) variants.push(await makeVariant(fp32, v, { samples: randomSamples([...spec.inputs[0]!.shape], 16), method: 'minmax' }, id));
  made.set(id, variants);
  const sessions = await Promise.all(variants.map((v) => ort.InferenceSession.create(v.bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' })));
  for (const batch of batches) {
    const best = new Map<string, number>();
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < variants.length; i++) {
        const ms = await time(sessions[i]!, [batch, ...spec.inputs[0]!.shape]);
        best.set(variants[i]!.variant, Math.min(best.get(variants[i]!.variant) ?? Infinity, ms));
      }
    }
    const base = best.get('fp32')!;
    for (const [variant, ms] of best) {
      console.log(JSON.stringify({ model: id, batch, variant, p50_ms: +ms.toFixed(2), images_per_s: +((batch * 1000) / ms).toFixed(1), speedup_vs_fp32: +(base / ms).toFixed(2), load: +loadavg()[0]!.toFixed(2) }));
    }
  }
  for (const s of sessions) await s.release();
}

const { peak } = await measurePeak(threads, 3, [1024, 2048]);
const igemm = Math.max(await int8Peak(1024), await int8Peak(2048));
console.log(JSON.stringify({ peak: 'matmul', sgemm_gflops: +peak.gflops.toFixed(1), int8_gemm_gops: +igemm.toFixed(1), ratio: +(igemm / peak.gflops).toFixed(2) }));

// Where the time goes: conv time by kernel size, fp32 against int8, for the first model at batch 1.
const first = models[0]!;
const graph = resolveGraph(getModel(first));
const rows = new Map(analyze(graph).layers.map((l) => [l.name, l]));
const kernelOf = (name: string): string => {
  const node = graph.nodes.find((n) => n.name === name);
  const k = node?.attrs['kernelSize'];
  return Array.isArray(k) ? ` ${k[0]}×${k[1]}` : typeof k === 'number' ? ` ${k}×${k}` : '';
};
const groups = new Map<string, { macs: number; us: Record<string, number> }>();
let totals: Record<string, number> = {};
for (const v of made.get(first)!.filter((x) => x.variant !== 'fp16')) {
  const r = await benchModel(
    { label: `${first} [${v.variant}]`, source: 'zoo', graph, bytes: v.bytes, weights: null, graphNote: null, variant: v.variant, record: v.record },
    { batches: [1], warmup: 3, runs, threads, optimizationLevel: 'all', seed: 0, perLayer: true },
  );
  const p = r.perLayer!;
  totals = { ...totals, [v.variant]: p.totalUs };
  for (const l of p.layers) {
    const key = l.macs > 0 ? `${rows.get(l.node)!.op}${kernelOf(l.node)}` : 'no MACs (adds, pooling, reorders)';
    const g = groups.get(key) ?? { macs: 0, us: {} };
    if (v.variant === 'fp32') g.macs += l.macs;
    g.us[v.variant] = (g.us[v.variant] ?? 0) + l.us;
    groups.set(key, g);
  }
  const engine = groups.get('no MACs (adds, pooling, reorders)') ?? { macs: 0, us: {} };
  engine.us[v.variant] = (engine.us[v.variant] ?? 0) + p.engineUs;
  groups.set('no MACs (adds, pooling, reorders)', engine);
}
console.log(`\n${first}, batch 1, profiled kernel time (ms per run)\n\n| layers | MACs | fp32 ms | int8 ms | speed-up |\n|---|---:|---:|---:|---:|`);
for (const [key, g] of [...groups].sort((a, b) => (b[1].us['fp32'] ?? 0) - (a[1].us['fp32'] ?? 0))) {
  const f = (g.us['fp32'] ?? 0) / 1000;
  const q = (g.us['int8'] ?? 0) / 1000;
  console.log(`| ${key} | ${(g.macs / 1e9).toFixed(2)} G | ${f.toFixed(2)} | ${q.toFixed(2)} | ${q > 0 ? (f / q).toFixed(2) : '-'}× |`);
}
console.log(`| total | | ${(totals['fp32']! / 1000).toFixed(2)} | ${(totals['int8']! / 1000).toFixed(2)} | ${(totals['fp32']! / totals['int8']!).toFixed(2)}× |`);
