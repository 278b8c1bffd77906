/**
 * Every zoo model at its default input, batch 1, in ONNX Runtime: latency, achieved GFLOP/s
 * (2 × MACs from convlab's analysis) and that as a fraction of the machine's sgemm peak measured
 * in the same run. Writes a markdown table for BENCHMARKS.md and the latency-vs-MACs chart, plus
 * per-layer charts of ResNet-50 and MobileNetV2 (why a depthwise conv is slow for its FLOPs).
 * Each model is timed in `rounds` rounds of warm-up + runs on one session and the round with
 * the lowest median is kept, so a burst of other work on a shared machine does not stick.
 * Usage: node dist/bench/onnx_zoo.js [threads] [runs] [outDir] [match] [rounds]
 *        (default: all cores, 10 runs, a temporary folder, every model, 3 rounds)
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../src/analysis/analyze.js';
import { resolveGraph } from '../src/graph/graph.js';
import { renderChart } from '../src/report/render.js';
import { benchmark } from '../src/runtime/onnx/bench.js';
import { FLOPS_NOTE, type BatchResult } from '../src/report/bench.js';
import { benchModel } from '../src/runtime/onnx/bench_node.js';
import type { ModelBench } from '../src/report/bench.js';
import { layerTimeChart, modelTimeChart } from '../src/report/bench_charts.js';
import { closeSession, createSession, engineInfo } from '../src/runtime/onnx/node.js';
import { getModel, listModels } from '../src/zoo/index.js';
import { measurePeak } from './peak_sgemm.js';

const threads = Number(process.argv[2] ?? availableParallelism());
const runs = Number(process.argv[3] ?? 10);
const outDir = process.argv[4] ?? mkdtempSync(join(tmpdir(), 'convlab-zoo-bench-'));
const match = process.argv[5] || undefined;
const rounds = Number(process.argv[6] ?? 3);
mkdirSync(outDir, { recursive: true });

const { peak } = await measurePeak(threads, 5, [1024, 2048]);
const common = { batches: [1], warmup: 2, runs, threads, optimizationLevel: 'all' as const, seed: 0 };

/** The best of `rounds` benchmark rounds (lowest median) on one session. */
async function bestOf(id: string): Promise<ModelBench> {
  const graph = resolveGraph(getModel(id));
  const macs = analyze(graph).totals.macs;
  const session = await createSession(graph, { threads, optimizationLevel: 'all', label: id });
  try {
    let best: BatchResult | undefined;
    for (let r = 0; r < rounds; r++) {
      const [b] = await benchmark(session, macs, common);
      if (!best || b!.latencyMs.p50 < best.latencyMs.p50) best = b;
    }
    return { model: id, source: 'zoo', input: graph.inputs[0]!.shape, macs, flopsPerImage: 2 * macs, flopsNote: FLOPS_NOTE, batches: [best!], perLayer: null };
  } finally {
    await closeSession(session);
  }
}

process.stdout.write(`${engineInfo().name} ${engineInfo().version}, ${threads} thread(s), batch 1, best of ${rounds} rounds of 2 warm-up + ${runs} runs; ` +
  `sgemm peak ${peak.gflops.toFixed(1)} GFLOP/s (MatMul ${peak.n}², same threads); load average ${loadavg()[0]!.toFixed(1)}\n\n`);
process.stdout.write('| model | input | GMACs | params (M) | p50 ms | images/s | GFLOP/s | % of sgemm peak |\n|---|---|---:|---:|---:|---:|---:|---:|\n');
const results: ModelBench[] = [];
for (const meta of listModels(match ? { match } : undefined)) {
  const m = await bestOf(meta.id);
  results.push(m);
  const b = m.batches[0]!;
  const params = analyze(resolveGraph(getModel(meta.id))).totals.params;
  process.stdout.write(`| ${meta.id} | ${m.input.join('×')} | ${(m.macs! / 1e9).toFixed(2)} | ${(params / 1e6).toFixed(1)} | ` +
    `${b.latencyMs.p50.toFixed(2)} | ${b.imagesPerSecond.toFixed(1)} | ${b.gflops!.toFixed(1)} | ${((100 * b.gflops!) / peak.gflops).toFixed(0)}% |\n`);
}

const write = async (name: string, spec: Parameters<typeof renderChart>[0]) => {
  const { data } = await renderChart(spec, 'svg');
  writeFileSync(join(outDir, name), data);
  return join(outDir, name);
};
const charts = [await write('zoo_latency_vs_macs.svg', modelTimeChart(results))];
for (const id of ['resnet50', 'mobilenet_v2']) {
  if (match && !id.includes(match)) continue;
  const m = await benchModel({ label: id, source: 'zoo', graph: resolveGraph(getModel(id)), bytes: null, weights: null, graphNote: null }, { ...common, perLayer: true });
  charts.push(await write(`${id}_layers.svg`, layerTimeChart(m)));
}
process.stdout.write(`\nLoad average at the end: ${loadavg()[0]!.toFixed(1)}. Charts: ${charts.join(', ')}\n`);
