/** Chart specs: pure data in, vega-lite out, compiling without warnings; SVG and PNG rendering. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { analyze } from '../../src/analysis/analyze.js';
import { accuracyChart, layersChart, memoryChart, sweepChart } from '../../src/report/charts.js';
import { FAMILY_COLOURS, familyColour, logTicks, modelColours, spread, textWidth, wrap } from '../../src/report/chart_style.js';
import { layerKind } from '../../src/report/group.js';
import { renderChart } from '../../src/report/render.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { getModel, listModels } from '../../src/zoo/index.js';

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
    ]) as { layer: Array<{ data: { values: Array<Record<string, unknown>> } }>; title: { subtitle: string[] } };
    assert.deepEqual(spec.layer[1]!.data.values, [{ model: 'a', family: 'x', gmacs: 4, mparams: 25, accuracy: 75, source: 'validation' }]);
    assert.ok(spec.title.subtitle.join(' ').includes('Not placed, no published top-1: b.'), 'the chart names what it leaves out');
    compiles(spec as TopLevelSpec);
  });

  test("layers: the lecture's point in the subtitle, computed from the rows", () => {
    const spec = layersChart(vgg) as { title: { subtitle: string[] }; data: { values: Array<{ name: string; kind: string }> } };
    assert.match(spec.title.subtitle.join(' '), /^Fully connected layers hold 89% of the parameters; convolutions do >99% of the FLOPs/);
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

describe('chart style', () => {
  test('every zoo family has its own colour, the same in every chart', () => {
    const families = [...new Set(listModels().map((m) => m.family))];
    for (const f of families) assert.ok(FAMILY_COLOURS[f], `${f} has a colour`);
    assert.equal(new Set(families.map(familyColour)).size, families.length, 'no two families share one');
    const acc = accuracyChart([{ model: 'a', family: 'resnet', macs: 4e9, params: 25e6, top1: 0.75 }]) as { layer: Array<{ encoding?: { color?: { scale: { domain: string[]; range: string[] } } } }> };
    assert.deepEqual(acc.layer[1]!.encoding!.color!.scale, { domain: ['resnet'], range: [familyColour('resnet')] });
    const mem = memoryChart([lenet, vgg], { families: ['lenet', 'vgg'] }) as unknown as { vconcat: Array<{ layer: Array<{ encoding: { color: { scale: { range: string[] } } } }> }> };
    assert.deepEqual(mem.vconcat[0]!.layer[0]!.encoding.color.scale.range, [familyColour('lenet'), familyColour('vgg')]);
  });

  test('models of one family drawn as series get colours apart', () => {
    const c = modelColours([{ model: 'a', family: 'resnet' }, { model: 'b', family: 'resnet' }, { model: 'c', family: 'vgg' }]);
    assert.equal(new Set(c.range).size, 3);
    assert.equal(c.range[0], familyColour('resnet'));
  });

  test('log ticks are 1-2-5 steps inside the domain, fewer over many decades', () => {
    assert.deepEqual(logTicks([0.04, 60]), [0.1, 0.3, 1, 3, 10, 30]);
    assert.deepEqual(logTicks([0.3, 20]), [0.5, 1, 2, 5, 10, 20]);
    assert.deepEqual(logTicks([1e-3, 1e3]), [0.001, 0.01, 0.1, 1, 10, 100, 1000]);
  });

  test('labels at line ends are spread so none overlaps', () => {
    assert.deepEqual(spread([100, 104, 300], 12, 0, 400), [100, 112, 300]);
    assert.deepEqual(spread([395, 398], 12, 0, 400), [388, 400]);
  });

  test('subtitles wrap to the width vega measures them at, so they never widen a chart', () => {
    const lines = wrap('a '.repeat(200).trim(), 400);
    assert.ok(lines.every((l) => textWidth(l, 12) <= 400));
    const metrics = (vega as unknown as { textMetrics: { width: (item: object, text: string) => number } }).textMetrics;
    assert.equal(metrics.width({ fontSize: 12 }, lines[0]!), textWidth(lines[0]!, 12), 'headless vega measures with textWidth');
  });

  test('text is measured within 5% below and 10% above its width as drawn in DejaVu Sans', () => {
    const drawn = (text: string, weight: string) => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="40"><text x="0" y="30" font-size="20" font-weight="${weight}">${text}</text></svg>`;
      return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).getBBox()!.width;
    };
    for (const text of ['efficientnet_b7', 'ImageNet Top-1 accuracy (%)', 'T-shirt/top', 'Ankle boot', 'MACs per image (billions, log scale)', '0.386', 'α=0.25']) {
      for (const bold of [false, true]) {
        const ratio = textWidth(text, 20, bold) / drawn(text, bold ? 'bold' : 'normal');
        assert.ok(ratio > 0.95 && ratio < 1.1, `${text}${bold ? ' (bold)' : ''}: estimated/drawn ${ratio.toFixed(3)}`);
      }
    }
  });

  test('a sweep whose counts span more than a factor 20 draws them on log axes with clean ticks', () => {
    const points = ['b0', 'b4', 'b7'].map((label, i) => ({ label, macs: [3.9e8, 4.4e9, 3.8e10][i]!, params: [5.3e6, 1.9e7, 6.7e7][i]! }));
    const spec = sweepChart(points, { title: 't', axis: 'a' }) as unknown as { hconcat: Array<{ layer: Array<{ encoding: { y: { scale: { type: string; domain: number[] }; axis?: { values: number[] } } } }> }> };
    compiles(spec as unknown as TopLevelSpec);
    for (const p of spec.hconcat) {
      const y = p.layer[1]!.encoding.y;
      assert.equal(y.scale.type, 'log');
      assert.deepEqual(y.axis!.values, logTicks(y.scale.domain as [number, number]));
    }
    const linear = sweepChart([{ label: 'a', macs: 1e8, params: 1e6 }, { label: 'b', macs: 5e8, params: 4e6 }], { title: 't', axis: 'a' }) as unknown as typeof spec;
    assert.equal(linear.hconcat[0]!.layer[1]!.encoding.y.scale.type, 'linear');
  });
});
