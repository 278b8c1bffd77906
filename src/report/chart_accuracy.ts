/**
 * The classic comparison figure: published accuracy against MACs on a log axis, parameters as
 * bubble area, each family in its own colour. Labels are placed beside their points in pixel
 * space (labels.ts), with leader lines where points crowd; a top-5 chart also places models
 * known only by their ILSVRC entry, marked apart.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, familyScale, logTicks, SCHEMA, wrap } from './chart_style.js';
import { placeLabels, type Align } from './labels.js';
import { accuracyOf, unplaced, type AccuracyMetric, type ModelPoint } from './points.js';

const SIZE = { width: 680, height: 480, fontSize: 10, minArea: 10, maxArea: 1200 };

/** Three or four round legend values up to `max` (millions of parameters). */
function niceSizes(max: number): number[] {
  const step = 10 ** Math.floor(Math.log10(max));
  const top = Math.floor(max / step) * step;
  return [...new Set([top / 4, top / 2, top].map((v) => Number(v.toPrecision(2))))].filter((v) => v > 0);
}

/**
 * Accuracy against MACs with parameters as bubble area. A model without the chosen figure is
 * left out and named in the subtitle; scale domains are set here so labels can be placed beside
 * their points without overlapping.
 */
export function accuracyChart(points: ModelPoint[], o: { metric?: AccuracyMetric } = {}): TopLevelSpec {
  const metric = o.metric ?? 'top1';
  const label = metric === 'top1' ? 'Top-1' : 'Top-5';
  const { width, height, fontSize, minArea, maxArea } = SIZE;
  const values = points.flatMap((p) => {
    const acc = accuracyOf(p, metric);
    return acc ? [{ model: p.model, family: p.family, gmacs: p.macs / 1e9, mparams: p.params / 1e6, accuracy: acc.value * 100, source: acc.source }] : [];
  });
  const logs = values.map((v) => Math.log10(v.gmacs));
  const accs = values.map((v) => v.accuracy);
  const [l0, l1] = [Math.min(...logs), Math.max(...logs)];
  const lpad = Math.max(0.15, (l1 - l0) * 0.08);
  const xDomain = [10 ** (l0 - lpad), 10 ** (l1 + lpad)] as [number, number];
  // The accuracy axis is zoomed to the points: differences of a point or two are the story.
  const apad = Math.max(1, (Math.max(...accs) - Math.min(...accs)) * 0.08);
  const yDomain = [Math.floor(Math.min(...accs) - apad), Math.ceil(Math.max(...accs) + apad)] as [number, number];
  const maxParams = Math.max(...values.map((v) => v.mparams), 1e-9);
  const lx = (g: number) => (Math.log10(g) - Math.log10(xDomain[0])) / (Math.log10(xDomain[1]) - Math.log10(xDomain[0]));
  const py = (a: number) => height * (1 - (a - yDomain[0]) / (yDomain[1] - yDomain[0]));
  const radius = (m: number) => Math.sqrt((minArea + ((maxArea - minArea) * m) / maxParams) / Math.PI);
  const order = values.map((_, i) => i).sort((a, b) => values[b]!.accuracy - values[a]!.accuracy);
  const targets = order.map((i) => ({ x: width * lx(values[i]!.gmacs), y: py(values[i]!.accuracy), r: radius(values[i]!.mparams), text: values[i]!.model }));
  const placements = placeLabels(targets, { width, height, fontSize });
  const toData = (x: number, y: number) => ({
    gmacs: 10 ** (Math.log10(xDomain[0]) + (x / width) * (Math.log10(xDomain[1]) - Math.log10(xDomain[0]))),
    accuracy: yDomain[0] + (1 - y / height) * (yDomain[1] - yDomain[0]),
  });
  const labels = order.flatMap((_, k) => {
    const p = placements[k];
    const t = targets[k]!;
    return p ? [{ model: t.text, ...toData(t.x + p.dx, t.y + p.dy), align: p.align }] : [];
  });
  // A leader runs from the edge of the bubble towards the label's anchor.
  const leaders = order.flatMap((_, k) => {
    const p = placements[k];
    const t = targets[k]!;
    if (!p?.leader) return [];
    const d = Math.hypot(p.dx, p.dy);
    const from = toData(t.x + (p.dx / d) * t.r, t.y + (p.dy / d) * t.r);
    const to = toData(t.x + p.dx * 0.92, t.y + p.dy * 0.92);
    return [{ model: t.text, gmacs: from.gmacs, accuracy: from.accuracy, gmacs2: to.gmacs, accuracy2: to.accuracy }];
  });
  const omitted = order.filter((_, k) => !placements[k]).map((i) => values[i]!.model);
  const missing = unplaced(points, metric);
  const fromEntries = values.filter((v) => v.source === 'ilsvrc').map((v) => v.model);
  const ticks = logTicks(xDomain);
  const x = {
    field: 'gmacs', type: 'quantitative' as const, scale: { type: 'log' as const, domain: xDomain, nice: false }, title: 'MACs per image (billions, log scale)',
    axis: { values: ticks, grid: true, format: '~g' },
  };
  const y = { field: 'accuracy', type: 'quantitative' as const, scale: { domain: yDomain, nice: false, zero: false }, title: `ImageNet ${label} accuracy (%)` };
  const labelLayer = (align: Align) => ({
    data: { values: labels.filter((l) => l.align === align) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize, color: '#222' },
    encoding: { x, y, text: { field: 'model', type: 'nominal' as const } },
  });
  const subtitle = [
    'Bubble area is proportional to the number of parameters; accuracies are the published single-model validation figures.',
    ...(fromEntries.length ? [`Diamonds: no validation figure published, so the ILSVRC entry's test-set top-5 (an ensemble): ${fromEntries.join(', ')}.`] : []),
    ...(missing.length ? [`Not placed, no published ${label.toLowerCase()}: ${missing.join(', ')}.`] : []),
    ...(omitted.length ? [`Unlabelled where points crowd: ${omitted.join(', ')}.`] : []),
  ].flatMap((line) => wrap(line, width + 150));
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: `${label} accuracy against compute`, subtitle },
    width,
    height,
    layer: [
      {
        data: { values: leaders },
        mark: { type: 'rule', color: '#999', strokeWidth: 0.8 },
        encoding: { x, y, x2: { field: 'gmacs2' }, y2: { field: 'accuracy2' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, opacity: 0.6, stroke: '#333', strokeWidth: 0.6 },
        encoding: {
          x, y,
          shape: { field: 'source', type: 'nominal', scale: { domain: ['validation', 'ilsvrc'], range: ['circle', 'diamond'] }, legend: null },
          size: {
            field: 'mparams', type: 'quantitative', title: 'Params (millions)',
            scale: { type: 'linear', domain: [0, maxParams], range: [minArea, maxArea] },
            legend: { values: niceSizes(maxParams), symbolFillColor: '#ccc', symbolStrokeColor: '#333' },
          },
          color: { field: 'family', type: 'nominal', title: 'Family', scale: familyScale(values.map((v) => v.family)) },
          tooltip: [
            { field: 'model', type: 'nominal' },
            { field: 'gmacs', type: 'quantitative', title: 'GMACs', format: '.3~f' },
            { field: 'mparams', type: 'quantitative', title: 'Params (M)', format: '.3~f' },
            { field: 'accuracy', type: 'quantitative', title: `${label} (%)`, format: '.1f' },
          ],
        },
      },
      labelLayer('left'),
      labelLayer('right'),
      labelLayer('center'),
    ],
  };
}
