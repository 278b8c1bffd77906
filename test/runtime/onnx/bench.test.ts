/** Benchmark statistics, ORT profile parsing and attribution, and the per-layer join (no timing assertions). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/analysis/analyze.js';
import { DataError } from '../../../src/core/errors.js';
import { resolveGraph } from '../../../src/graph/graph.js';
import { benchmark, latencyStats, percentile, perLayer, randomFeeds } from '../../../src/runtime/onnx/bench.js';
import { closeSession, collectProfile, createSession } from '../../../src/runtime/onnx/node.js';
import { attribute, parseProfile } from '../../../src/runtime/onnx/profile.js';
import { getModel } from '../../../src/zoo/index.js';

describe('statistics', () => {
  const cases: Array<[number[], number, number]> = [
    [[5], 5, 5],
    [[4, 1, 3, 2], 2, 4],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 50, 90],
  ];
  for (const [values, p50, p90] of cases) {
    it(`nearest-rank p50 ${p50} and p90 ${p90} of ${values.length} values`, () => {
      const sorted = [...values].sort((a, b) => a - b);
      assert.equal(percentile(sorted, 50), p50);
      assert.equal(percentile(sorted, 90), p90);
    });
  }

  it('latencyStats', () => {
    assert.deepEqual(latencyStats([3, 1, 2]), { p50: 2, p90: 3, mean: 2, min: 1, max: 3 });
  });
});

describe('benchmark', () => {
  it('times every run after warm-up and derives throughput and GFLOP/s from the median', async () => {
    const graph = resolveGraph(getModel('lenet5'));
    const s = await createSession(graph, { threads: 1 });
    try {
      // A fake clock whose readings are 0, 1, 3, 6, 10, ...: runs take 1, 3, 5, ... ms.
      let t = 0;
      let step = 0;
      const clock = () => {
        t += step;
        step += 1;
        return t;
      };
      const macs = analyze(graph).totals.macs;
      const progress: number[] = [];
      const [r] = await benchmark(s, macs, { batches: [4], warmup: 2, runs: 5, now: clock, onProgress: (d) => progress.push(d) });
      assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7]);
      assert.equal(r!.runs, 5);
      assert.deepEqual(r!.latencyMs, { p50: 9, p90: 13, mean: 9, min: 5, max: 13 });
      assert.equal(r!.imagesPerSecond, (4 * 1000) / 9);
      assert.equal(r!.gflops, (2 * macs * 4) / (9 / 1000) / 1e9);
    } finally {
      await closeSession(s);
    }
  });
});

describe('ORT profile', () => {
  const trace = JSON.stringify([
    { cat: 'Session', name: 'model_run', dur: 900 },
    { cat: 'Node', name: 'input/to_nchw_kernel_time', dur: 5, args: { op_name: 'Transpose' } },
    { cat: 'Node', name: 'conv1_relu_nchwc_kernel_time', dur: 100, args: { op_name: 'Conv' } },
    { cat: 'Node', name: 'conv1_relu_nchwc_fence_before', dur: 1, args: { op_name: 'Conv' } },
    { cat: 'Node', name: 'ReorderOutput_kernel_time', dur: 7, args: { op_name: 'ReorderOutput' } },
    { cat: 'Node', name: 'fused fc_kernel_time', dur: 40, args: { op_name: 'FusedGemm' } },
    { cat: 'Node', name: 'conv1_relu_nchwc_kernel_time', dur: 60, args: { op_name: 'Conv' } },
    { cat: 'Node', name: 'fused fc_kernel_time', dur: 20, args: { op_name: 'FusedGemm' } },
  ]);

  it('keeps kernel times per node, in run order', () => {
    const times = parseProfile(trace, 'p.json');
    assert.deepEqual(times.map((t) => [t.name, t.op, t.durationsUs]), [
      ['input/to_nchw', 'Transpose', [5]],
      ['conv1_relu_nchwc', 'Conv', [100, 60]],
      ['ReorderOutput', 'ReorderOutput', [7]],
      ['fused fc', 'FusedGemm', [40, 20]],
    ]);
  });

  it('maps fused kernels back to the conv that does the MACs, and ORT-inserted ones to the engine', () => {
    const owners = new Map([['input/to_nchw', 'input'], ['conv1', 'conv1'], ['conv1_bn', 'conv1_bn'], ['conv1_relu', 'conv1_relu'], ['fc', 'fc']]);
    const inputs: Record<string, string> = { conv1_relu: 'conv1_bn', conv1_bn: 'conv1', conv1: 'input', fc: 'conv1_relu' };
    const graph = { hasMacs: (n: string) => n === 'conv1' || n === 'fc', firstInput: (n: string) => inputs[n] };
    const a = attribute(parseProfile(trace, 'p.json'), owners, { skip: 1, graph });
    assert.equal(a.runs, 1);
    assert.deepEqual([...a.layers.entries()].map(([k, v]) => [k, v.us]), [['conv1', 60], ['fc', 20]]);
    const all = attribute(parseProfile(trace, 'p.json'), owners, { graph });
    assert.deepEqual([...all.layers.entries()].map(([k, v]) => [k, v.us]), [['input', 5], ['conv1', 80], ['fc', 30]]);
    assert.equal(all.other.us, 7);
  });

  it('refuses what is not a trace', () => {
    assert.throws(() => parseProfile('{"a": 1}', 'p.json'), DataError);
    assert.throws(() => parseProfile('not json', 'p.json'), DataError);
  });

  it('a real profile puts time on every conv and dense of LeNet', async () => {
    const graph = resolveGraph(getModel('lenet5'));
    const s = await createSession(graph, { threads: 1, profile: true, graph });
    const feeds = randomFeeds(s, 2);
    for (let i = 0; i < 3; i++) await s.inner.run(feeds);
    const p = perLayer(s, collectProfile(s), 2, 1);
    await closeSession(s);
    assert.equal(p.runs, 2);
    const rows = new Map(p.layers.map((l) => [l.node, l]));
    const a = analyze(graph);
    for (const name of ['conv1', 'conv2', 'fc1', 'fc2', 'predictions']) {
      const row = rows.get(name)!;
      assert.ok(row.us > 0, `${name} has time`);
      assert.equal(row.macs, 2 * a.layers.find((l) => l.name === name)!.macs);
      assert.ok(row.intensity > 0 && row.bytes > 0);
    }
    assert.ok(Math.abs(p.totalUs - (p.layers.reduce((x, l) => x + l.us, 0) + p.engineUs)) < 1e-9);
    assert.deepEqual(p.byOp.map((o) => [o.op, o.nodes]).sort(), [['Conv2D', 2], ['Dense', 3]]);
    assert.ok(Math.abs(p.byOp.reduce((x, o) => x + o.macsShare, 0) - 1) < 1e-12);
    const conv = p.byOp.find((o) => o.op === 'Conv2D')!;
    assert.equal(conv.macs, 2 * (a.layers.find((l) => l.name === 'conv1')!.macs + a.layers.find((l) => l.name === 'conv2')!.macs));
  });
});
