/** Benchmark and evaluation charts: the trend the model chart promises is drawn, per-class accuracy is zoomed. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile, type TopLevelSpec } from 'vega-lite';
import { logLogTrend, modelTimeChart } from '../../src/report/bench_charts.js';
import type { ModelBench } from '../../src/report/bench.js';
import { accuracyDomain, evaluationChart } from '../../src/report/eval_chart.js';

const bench = (model: string, gmacs: number, ms: number): ModelBench => ({
  model, source: 'zoo', input: [224, 224, 3], macs: gmacs * 1e9, flopsPerImage: 2 * gmacs * 1e9, flopsNote: '', perLayer: null,
  batches: [{ batch: 1, latencyMs: { p50: ms, p90: ms, mean: ms, min: ms, max: ms }, imagesPerSecond: 1000 / ms, gflops: (2 * gmacs) / (ms / 1000) }],
} as unknown as ModelBench);

describe('benchmark charts', () => {
  test('the log-log trend is the least-squares line: exact for points on a power law', () => {
    const t = logLogTrend([{ gmacs: 1, ms: 3 }, { gmacs: 10, ms: 30 }, { gmacs: 100, ms: 300 }])!;
    assert.ok(Math.abs(t.b - 1) < 1e-9 && Math.abs(t.a - 3) < 1e-9);
    assert.equal(logLogTrend([{ gmacs: 1, ms: 3 }]), undefined);
  });

  test('the model chart draws the trend its subtitle names, and colours models by family', () => {
    const spec = modelTimeChart([bench('resnet50', 4.1, 25), bench('mobilenet_v2', 0.3, 5), bench('vgg16', 15.5, 90)]) as unknown as {
      title: { subtitle: string[] }; layer: Array<{ data: { values: unknown[] }; mark: { strokeDash?: number[] } }>;
    };
    assert.match(spec.title.subtitle.join(' '), /Dashed: the fitted trend/);
    assert.ok(spec.layer[0]!.mark.strokeDash && spec.layer[0]!.data.values.length > 10, 'the trend line is a layer with points');
    compile(spec as unknown as TopLevelSpec);
  });
});

describe('evaluation chart', () => {
  test('per-class accuracy is drawn on an axis zoomed to the classes, from 0 only when a class is below half', () => {
    assert.deepEqual(accuracyDomain([0.97, 0.99, 0.955]), [0.94, 1]);
    assert.deepEqual(accuracyDomain([0.81, 0.9]), [0.75, 1]);
    assert.deepEqual(accuracyDomain([0.3, 0.9]), [0, 1]);
    const ev = { confusion: [[9, 1], [0, 10]], perClass: [0.9, 1], top1: 0.95, top5: 1, count: 20 };
    const spec = evaluationChart(ev as never, ['a', 'b'], 't') as { hconcat: Array<{ layer: Array<{ encoding: { x: { title: string; axis: { values: number[] } } } }> }> };
    const x = spec.hconcat[1]!.layer[0]!.encoding.x;
    assert.match(x.title, /axis from 88%/);
    assert.deepEqual(x.axis.values, [0.88, 0.9, 0.92, 0.94, 0.96, 0.98, 1]);
  });
});
