/** Chart specs: pure data in, vega-lite out, compiling without warnings; SVG and PNG rendering. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile, type TopLevelSpec } from 'vega-lite';
import { analyze } from '../../src/analysis/analyze.js';
import { accuracyChart, layersChart, memoryChart, sweepChart } from '../../src/report/charts.js';
import { layerKind } from '../../src/report/group.js';
import { renderChart } from '../../src/report/render.js';
import { getModel } from '../../src/zoo/index.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Compiles a spec, failing on any vega-lite warning. */
function compiles(spec: TopLevelSpec): void {
  const warnings: string[] = [];
  const logger = { level: () => logger, warn: (...m: unknown[]) => { warnings.push(m.join(' ')); return logger; }, info: () => logger, debug: () => logger, error: (...m: unknown[]) => { warnings.push(m.join(' ')); return logger; } };
  compile(spec, { logger: logger as never });
  assert.deepEqual(warnings, []);
}

const lenet = analyze(resolveGraph(getModel('lenet5')));
const vgg = analyze(resolveGraph(getModel('vgg16')));

describe('charts', () => {
  test('accuracy: one point per model with a published figure, in GMACs, M params and percent', () => {
    const spec = accuracyChart([
      { model: 'a', family: 'x', macs: 4e9, params: 25e6, top1: 0.75 },
      { model: 'b', family: 'y', macs: 6e8, params: 4e6 },
    ]) as { layer: Array<{ data: { values: Array<Record<string, unknown>> } }> };
    assert.deepEqual(spec.layer[0]!.data.values, [{ model: 'a', family: 'x', gmacs: 4, mparams: 25, accuracy: 75 }]);
    compiles(spec as TopLevelSpec);
  });

  test("layers: the lecture's point in the subtitle, computed from the rows", () => {
    const spec = layersChart(vgg) as { title: { subtitle: string[] }; data: { values: Array<{ name: string; kind: string }> } };
    assert.match(spec.title.subtitle[0]!, /^Fully connected layers hold 89% of the parameters; convolutions do >99% of the FLOPs/);
    assert.ok(!spec.data.values.some((r) => r.name === 'flatten'), 'layers with no cost are left out');
    assert.equal(layerKind('DepthwiseConv2D'), 'Convolution');
    compiles(spec as TopLevelSpec);
    compiles(layersChart(analyze(resolveGraph(getModel('resnet50'))), { group: true }));
  });

  test('memory and sweep specs compile', () => {
    compiles(memoryChart([lenet]));
    compiles(memoryChart([lenet, vgg]));
    compiles(sweepChart([{ label: 'α=0.5', macs: 1.49e8, params: 1.3e6 }, { label: 'α=1', macs: 5.69e8, params: 4.2e6, top1: 0.7 }], { title: 't', axis: 'a' }));
  });

  test('rendering: SVG text and a PNG with its signature', async () => {
    const svg = await renderChart(layersChart(lenet), 'svg');
    assert.equal(typeof svg.data, 'string');
    assert.match(svg.data as string, /^<svg/);
    assert.ok((svg.data as string).includes('predictions'));
    const png = await renderChart(layersChart(lenet), 'png');
    assert.deepEqual(Buffer.from(png.data as Uint8Array).subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    assert.deepEqual([...svg.warnings, ...png.warnings], []);
  });
});
