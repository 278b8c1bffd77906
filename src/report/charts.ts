/**
 * Chart specs as vega-lite JSON, built by pure functions from analyses so the command line and
 * the web page draw the same figures. No renderer is imported here: see render.ts for SVG/PNG.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Analysis, LayerRow } from '../analysis/types.js';
import { CONFIG, SCHEMA } from './chart_style.js';
import { blockKind, blockTreeOf, chartDepth, frontierRows, hasCost, layerKind } from './group.js';
import { placeLabels, type Align } from './labels.js';
import { conventionName } from './units.js';

/** Chart kinds of `convlab chart`. */
export const CHART_KINDS = ['accuracy', 'layers', 'memory', 'sweep'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** One model on an architecture-comparison chart. */
export interface ModelPoint {
  model: string;
  family: string;
  macs: number;
  params: number;
  /** Published ImageNet accuracy as a fraction, when known. */
  top1?: number;
  top5?: number;
}

const ACCURACY_SIZE = { width: 680, height: 480, fontSize: 10, minArea: 10, maxArea: 1200 };

/**
 * Accuracy against MACs with parameters as bubble area: the classic comparison figure. Points
 * without the chosen accuracy are left out; the caller says which. Scale domains are set here so
 * labels can be placed beside their points without overlapping (see labels.ts).
 */
export function accuracyChart(points: ModelPoint[], o: { metric?: 'top1' | 'top5' } = {}): TopLevelSpec {
  const metric = o.metric ?? 'top1';
  const label = metric === 'top1' ? 'Top-1' : 'Top-5';
  const { width, height, fontSize, minArea, maxArea } = ACCURACY_SIZE;
  const values = points
    .filter((p) => p[metric] !== undefined)
    .map((p) => ({ model: p.model, family: p.family, gmacs: p.macs / 1e9, mparams: p.params / 1e6, accuracy: p[metric]! * 100 }));
  const logs = values.map((v) => Math.log10(v.gmacs));
  const accs = values.map((v) => v.accuracy);
  const [l0, l1] = [Math.min(...logs), Math.max(...logs)];
  const lpad = Math.max(0.15, (l1 - l0) * 0.08);
  const xDomain = [10 ** (l0 - lpad), 10 ** (l1 + lpad)] as [number, number];
  const apad = Math.max(1, (Math.max(...accs) - Math.min(...accs)) * 0.08);
  const yDomain = [Math.floor(Math.min(...accs) - apad), Math.ceil(Math.max(...accs) + apad)] as [number, number];
  const maxParams = Math.max(...values.map((v) => v.mparams), 1e-9);
  const px = (g: number) => (width * (Math.log10(g) - Math.log10(xDomain[0]))) / (Math.log10(xDomain[1]) - Math.log10(xDomain[0]));
  const py = (a: number) => height * (1 - (a - yDomain[0]) / (yDomain[1] - yDomain[0]));
  const radius = (m: number) => Math.sqrt((minArea + ((maxArea - minArea) * m) / maxParams) / Math.PI);
  const order = values.map((_, i) => i).sort((a, b) => values[b]!.accuracy - values[a]!.accuracy);
  const targets = order.map((i) => ({ x: px(values[i]!.gmacs), y: py(values[i]!.accuracy), r: radius(values[i]!.mparams), text: values[i]!.model }));
  const placements = placeLabels(targets, { width, height, fontSize });
  const labels = order.flatMap((_, k) => {
    const p = placements[k];
    if (!p) return [];
    const t = targets[k]!;
    const gx = 10 ** (Math.log10(xDomain[0]) + ((t.x + p.dx) / width) * (Math.log10(xDomain[1]) - Math.log10(xDomain[0])));
    const ay = yDomain[0] + (1 - (t.y + p.dy) / height) * (yDomain[1] - yDomain[0]);
    return [{ model: t.text, gmacs: gx, accuracy: ay, align: p.align }];
  });
  const omitted = order.filter((_, k) => !placements[k]).map((i) => values[i]!.model);
  const x = { field: 'gmacs', type: 'quantitative' as const, scale: { type: 'log' as const, domain: xDomain, nice: false }, title: 'MACs per image (billions, log scale)' };
  const y = { field: 'accuracy', type: 'quantitative' as const, scale: { domain: yDomain, nice: false, zero: false }, title: `ImageNet ${label} accuracy (%)` };
  const labelLayer = (align: Align) => ({
    data: { values: labels.filter((l) => l.align === align) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize, color: '#222' },
    encoding: { x, y, text: { field: 'model', type: 'nominal' as const } },
  });
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: `${label} accuracy against compute`,
      subtitle: [
        'Bubble area is proportional to the number of parameters; accuracies are the published figures.',
        ...(omitted.length ? [`Unlabelled where points crowd: ${omitted.length > 8 ? `${omitted.length} models` : omitted.join(', ')}.`] : []),
      ],
    },
    width,
    height,
    layer: [
      {
        data: { values },
        mark: { type: 'circle', opacity: 0.55, stroke: '#333', strokeWidth: 0.6 },
        encoding: {
          x, y,
          size: {
            field: 'mparams', type: 'quantitative', title: 'Params (millions)',
            scale: { type: 'linear', domain: [0, maxParams], range: [minArea, maxArea] },
            legend: { values: niceSizes(maxParams), symbolFillColor: '#ccc', symbolStrokeColor: '#333' },
          },
          color: { field: 'family', type: 'nominal', title: 'Family', scale: { scheme: 'tableau20' } },
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

/** Three or four round legend values up to `max` (millions of parameters). */
function niceSizes(max: number): number[] {
  const step = 10 ** Math.floor(Math.log10(max));
  const top = Math.floor(max / step) * step;
  return [...new Set([top / 4, top / 2, top].map((v) => Number(v.toPrecision(2))))].filter((v) => v > 0);
}

const KIND_COLORS = { domain: ['Convolution', 'Fully connected', 'Pooling', 'Other'], range: ['#4c78a8', '#e45756', '#72b7b2', '#b8b8b8'] };

interface BarRow {
  name: string;
  kind: string;
  params: number;
  flops: number;
}

/** Share of a total as a whole percentage that never rounds a part up to all or down to none. */
function share(part: number, whole: number): string {
  const pct = whole === 0 ? 0 : (100 * part) / whole;
  if (pct > 99 && part < whole) return '>99';
  if (pct < 1 && part > 0) return '<1';
  return String(Math.round(pct));
}

/**
 * Parameters and FLOPs per layer side by side, coloured by layer kind: the lecture's "most
 * params in FC, most compute in conv". Layers with neither are left out; `group` rolls up blocks.
 */
export function layersChart(a: Analysis, o: { group?: boolean; depth?: number } = {}): TopLevelSpec {
  const byName = new Map(a.layers.map((r) => [r.name, r]));
  const tree = blockTreeOf(a);
  const rows: BarRow[] = o.group
    ? frontierRows(a, o.depth ?? chartDepth(a, tree) ?? 1, tree).map((g) => ({ name: g.name, kind: blockKind(g.layers.map((l) => byName.get(l)!)), params: g.params, flops: g.flops }))
    : a.layers.map((r: LayerRow) => ({ name: r.name, kind: layerKind(r.op), params: r.params, flops: r.flops }));
  const values = rows.filter(hasCost);
  // Shares are of layers, whatever the bars are: a block's kind is its majority, not all of it.
  const layers = a.layers.map((r) => ({ kind: layerKind(r.op), params: r.params, flops: r.flops }));
  const total = (f: (r: { params: number; flops: number }) => number, kind?: string) => layers.filter((r) => !kind || r.kind === kind).reduce((s, r) => s + f(r), 0);
  const subtitle = [
    `Fully connected layers hold ${share(total((r) => r.params, 'Fully connected'), total((r) => r.params))}% of the parameters;` +
      ` convolutions do ${share(total((r) => r.flops, 'Convolution'), total((r) => r.flops))}% of the FLOPs (${conventionName(a.convention)} convention).`,
    ...(o.group ? [`Layers are rolled up to ${tree.source === 'structure' ? 'the blocks the model records' : 'blocks guessed from layer names'}, coloured by the kind doing most of their MACs.`] : []),
  ];
  const y = { field: 'name', type: 'nominal' as const, sort: values.map((r) => r.name), title: null, axis: { labelLimit: 220 } };
  const present = KIND_COLORS.domain.map((k, i) => ({ k, c: KIND_COLORS.range[i]! })).filter(({ k }) => values.some((r) => r.kind === k));
  const color = { field: 'kind', type: 'nominal' as const, title: 'Layer kind', scale: { domain: present.map((p) => p.k), range: present.map((p) => p.c) } };
  const bar = (field: 'params' | 'flops', title: string) => ({
    width: 300,
    height: { step: values.length > 40 ? 12 : 18 },
    mark: { type: 'bar' as const },
    encoding: {
      y,
      x: { field, type: 'quantitative' as const, title, axis: { format: '~s', labelExpr: "datum.value === 0 ? '0' : datum.label" } },
      color,
      tooltip: [{ field: 'name', type: 'nominal' as const }, { field, type: 'quantitative' as const, format: ',' }],
    },
  });
  const flopsBar = bar('flops', `FLOPs (${conventionName(a.convention)})`);
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: `${a.model}: parameters and compute per ${o.group ? 'block' : 'layer'}`, subtitle },
    data: { values },
    hconcat: [bar('params', 'Parameters'), { ...flopsBar, encoding: { ...flopsBar.encoding, y: { ...y, axis: null } } }],
    spacing: 16,
  };
}

/** Picks a binary unit so the largest value reads between 1 and 1024. */
function byteUnit(max: number): { name: string; div: number } {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (i < units.length - 1 && max >= 1024 ** (i + 1)) i++;
  return { name: units[i]!, div: 1024 ** i };
}

/**
 * Memory along depth for one or more models: each layer's output size, and the running sum of
 * all outputs so far, with each model's inference peak (live tensors) as a horizontal rule.
 */
export function memoryChart(analyses: Analysis[]): TopLevelSpec {
  // Several models of different depth line up by relative depth; one model keeps layer numbers.
  const relative = analyses.length > 1;
  const values = analyses.flatMap((a) =>
    a.layers.map((r, i) => ({ model: a.model, depth: relative ? i / Math.max(1, a.layers.length - 1) : i, name: r.name, op: r.op, bytes: r.activationBytes })),
  );
  const peaks = analyses.map((a) => ({ model: a.model, peak: a.totals.inferencePeakBytes }));
  const unit = byteUnit(Math.max(...values.map((v) => v.bytes), ...peaks.map((p) => p.peak)));
  const totalUnit = byteUnit(Math.max(...analyses.map((a) => a.totals.activationBytes)));
  const dtype = analyses[0]?.dtype ?? 'fp32';
  const x = relative
    ? { field: 'depth', type: 'quantitative' as const, title: 'Relative depth (share of layers, graph order)', scale: { nice: false }, axis: { format: '%' } }
    : { field: 'depth', type: 'quantitative' as const, title: 'Layer index (graph order)', scale: { nice: false } };
  const models = analyses.map((a) => a.model);
  const color = { field: 'model', type: 'nominal' as const, title: 'Model', scale: { domain: models, scheme: 'category10' } };
  const names = models.join(', ');
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: `Activation memory along depth: ${names}`,
      subtitle: `One sample, ${dtype}. Dashed: inference peak (largest set of tensors alive at once).`,
    },
    vconcat: [
      {
        width: 640,
        height: 220,
        layer: [
          {
            data: { values },
            transform: [{ calculate: `datum.bytes / ${unit.div}`, as: 'size' }],
            mark: { type: 'area', line: true, opacity: 0.35, interpolate: 'step-after' },
            encoding: {
              x,
              y: { field: 'size', type: 'quantitative', title: `Layer output (${unit.name})`, stack: null },
              color,
              tooltip: [{ field: 'model' }, { field: 'name' }, { field: 'op' }, { field: 'bytes', type: 'quantitative', format: ',', title: 'bytes' }],
            },
          },
          {
            data: { values: peaks },
            transform: [{ calculate: `datum.peak / ${unit.div}`, as: 'size' }],
            mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 },
            encoding: { y: { field: 'size', type: 'quantitative' }, color },
          },
        ],
      },
      {
        width: 640,
        height: 160,
        data: { values },
        transform: [
          { window: [{ op: 'sum', field: 'bytes', as: 'cumulative' }], groupby: ['model'], sort: [{ field: 'depth' }] },
          { calculate: `datum.cumulative / ${totalUnit.div}`, as: 'total' },
        ],
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: { x, y: { field: 'total', type: 'quantitative', title: `All outputs so far (${totalUnit.name})` }, color },
      },
    ],
    spacing: 20,
  };
}

/** One point of a sweep: a model rebuilt with one option value, or one member of a family. */
export interface SweepPoint {
  /** What varies, as shown on the axis: `α=0.5`, `224×224`, `efficientnet_b3`. */
  label: string;
  macs: number;
  params: number;
  top1?: number;
}

/**
 * How MACs and parameters (and published accuracy, where every point has one) move along a
 * sweep: MobileNet's width α or resolution ρ, EfficientNet's compound φ.
 */
export function sweepChart(points: SweepPoint[], o: { title: string; axis: string }): TopLevelSpec {
  const macsUnit = Math.max(...points.map((p) => p.macs)) >= 1e9 ? { div: 1e9, name: 'billions' } : { div: 1e6, name: 'millions' };
  const paramsUnit = Math.max(...points.map((p) => p.params)) >= 1e6 ? { div: 1e6, name: 'millions' } : { div: 1e3, name: 'thousands' };
  const values = points.map((p) => ({
    label: p.label, macs: p.macs / macsUnit.div, params: p.params / paramsUnit.div, ...(p.top1 !== undefined ? { top1: p.top1 * 100 } : {}),
  }));
  const x = { field: 'label', type: 'ordinal' as const, sort: values.map((v) => v.label), scale: { padding: 1 }, title: o.axis, axis: { labelAngle: values.some((v) => v.label.length > 9) ? -30 : 0 } };
  // Values sit up and to the left of their points, clear of a rising line.
  const panel = (field: string, title: string, format: string, color: string, zero = true) => ({
    width: 260,
    height: 200,
    layer: [
      { mark: { type: 'line' as const, point: { size: 50, filled: true, color }, color }, encoding: { x, y: { field, type: 'quantitative' as const, title, scale: { zero } } } },
      {
        mark: { type: 'text' as const, align: 'right' as const, dx: -6, dy: -8, fontSize: 10, color: '#222' },
        encoding: { x, y: { field, type: 'quantitative' as const }, text: { field, type: 'quantitative' as const, format } },
      },
    ],
  });
  const withAccuracy = points.length > 0 && points.every((p) => p.top1 !== undefined);
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: o.title, subtitle: `Each point rebuilds and re-analyses the model${withAccuracy ? '; accuracy is the published top-1' : ''}.` },
    data: { values },
    hconcat: [
      panel('macs', `MACs (${macsUnit.name})`, '.3~r', '#4c78a8'),
      panel('params', `Parameters (${paramsUnit.name})`, '.3~r', '#f58518'),
      ...(withAccuracy ? [panel('top1', 'ImageNet top-1 accuracy (%)', '.1f', '#54a24b', false)] : []),
    ],
    spacing: 24,
  };
}
