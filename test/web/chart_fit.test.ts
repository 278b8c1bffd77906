/** Charts that fit their card: the plot width of a spec, narrowing it, and how far. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { layersChart, memoryChart } from '../../src/report/charts.js';
import { getModel } from '../../src/zoo/index.js';
import { MIN_PLOT_SCALE, plotScale, plotWidth, withPlotWidths } from '../../web/src/chart_fit.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('plotWidth / withPlotWidths', () => {
  const a = analyze(resolveGraph(getModel('lenet5')));
  test('side by side plots add up; stacked ones take the widest', () => {
    assert.equal(plotWidth({ hconcat: [{ width: 300 }, { width: 200 }] }), 500);
    assert.equal(plotWidth({ vconcat: [{ width: 640 }, { width: 600 }] }), 640);
    assert.equal(plotWidth({ width: 260, layer: [{ mark: 'line' }] }), 260);
  });
  test('narrowing changes plot widths only: data, heights and titles stay', () => {
    const spec = layersChart(a, { group: false });
    const narrow = withPlotWidths(spec, 0.5);
    assert.equal(plotWidth(narrow), Math.round(plotWidth(spec) / 2));
    assert.deepEqual((narrow as { data: unknown }).data, (spec as { data: unknown }).data);
    assert.deepEqual(JSON.stringify(narrow).replace(/"width":\d+/g, ''), JSON.stringify(spec).replace(/"width":\d+/g, ''));
  });
  test('the memory chart narrows too', () => assert.ok(plotWidth(withPlotWidths(memoryChart([a]), 0.5)) < plotWidth(memoryChart([a]))));
});

describe('plotScale', () => {
  test('a chart that fits stays; one that does not narrows its plots by what they must give up', () => {
    assert.equal(plotScale(600, 500, 800), 1);
    assert.equal(plotScale(900, 600, 600), 0.5);
  });
  test('never narrower than the floor', () => assert.equal(plotScale(900, 600, 100), MIN_PLOT_SCALE));
});
