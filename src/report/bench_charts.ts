/**
 * Benchmark charts as vega-lite specs (rendered by src/report/render.ts): measured time against
 * MACs per layer, per model across a set of models, and throughput against batch size.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, familyScale, KIND_COLOURS, logDomain, logTicks, modelColours, SCHEMA, wrap } from './chart_style.js';
import { LAYER_KINDS, layerKind } from './group.js';
import { placeLabels, type Align } from './labels.js';
import { NO_FAMILY } from './points.js';
import { getEntry, hasModel } from '../zoo/registry.js';
import type { ModelBench } from './bench.js';

/** Layer kinds of the per-layer time chart present in it: the report's kinds and colours, depthwise convs apart (they move many bytes per MAC). */
function presentKinds(present: ReadonlySet<string>): { domain: string[]; range: string[] } {
  const all: Array<[string, string]> = [['Convolution', KIND_COLOURS.Convolution], ['Depthwise conv', '#f58518'], ...LAYER_KINDS.slice(1).map((k): [string, string] => [k, KIND_COLOURS[k]])];
  const shown = all.filter(([k]) => present.has(k));
  return { domain: shown.map(([k]) => k), range: shown.map(([, c]) => c) };
}

/**
 * Per-layer time against MACs, log-log, one point per node with a kernel of its own. Points far
 * above the trend do little arithmetic per byte moved (depthwise convs, pooling).
 */
export function layerTimeChart(m: ModelBench): TopLevelSpec {
  const p = m.perLayer!;
  const values = p.layers
    .filter((l) => l.us > 0 && l.macs > 0)
    .map((l) => ({ layer: l.node, op: l.op, kind: l.op === 'DepthwiseConv2D' ? 'Depthwise conv' : layerKind(l.op), macs: l.macs, ms: l.us / 1000, intensity: l.intensity }));
  const macsDomain = logDomain(values.map((v) => v.macs));
  const msDomain = logDomain(values.map((v) => v.ms));
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: `${m.model}: measured time vs MACs per layer (batch ${p.batch})`, subtitle: ['ORT kernel time from its profiler; MACs from convlab analysis.'] },
    width: 560,
    height: 400,
    data: { values },
    mark: { type: 'point', filled: true, opacity: 0.75 },
    encoding: {
      x: { field: 'macs', type: 'quantitative', scale: { type: 'log', domain: macsDomain, nice: false }, title: 'MACs (log scale)', axis: { values: logTicks(macsDomain), format: '~s' } },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log', domain: msDomain, nice: false }, title: 'time, ms (log scale)', axis: { values: logTicks(msDomain), format: '~g' } },
      color: { field: 'kind', type: 'nominal', title: 'Layer kind', scale: presentKinds(new Set(values.map((v) => v.kind))) },
      size: { field: 'intensity', type: 'quantitative', title: 'MACs per byte', scale: { range: [16, 400] } },
      tooltip: [
        { field: 'layer', type: 'nominal' }, { field: 'op', type: 'nominal' }, { field: 'macs', type: 'quantitative', format: ',' },
        { field: 'ms', type: 'quantitative', format: '.3f' }, { field: 'intensity', type: 'quantitative', format: '.1f' },
      ],
    },
  };
}

const MODEL_CHART = { width: 620, height: 420, fontSize: 10, radius: 4 };

/** The family of a benchmarked model named by its zoo id; a file's family is unknown. */
const familyOf = (model: string): string => (hasModel(model) ? getEntry(model).meta.family : NO_FAMILY);

/**
 * The least-squares line through points on log-log axes, as `ms = a · GMACs^b`: latency grows
 * with the work a model does, and points above the line do less work per millisecond.
 */
export function logLogTrend(points: ReadonlyArray<{ gmacs: number; ms: number }>): { a: number; b: number } | undefined {
  if (points.length < 2) return undefined;
  const xs = points.map((p) => Math.log10(p.gmacs));
  const ys = points.map((p) => Math.log10(p.ms));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  const b = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / sxx;
  return { a: 10 ** (my - b * mx), b };
}

/**
 * Latency at the smallest benchmarked batch against MACs per image, one point per model in its
 * family's colour, on log–log axes with the fitted trend drawn. Labels are placed beside their
 * points where they fit (report/labels.ts); the subtitle lists the points left unlabelled.
 */
export function modelTimeChart(models: ModelBench[]): TopLevelSpec {
  const { width, height, fontSize, radius } = MODEL_CHART;
  const values = models
    .filter((m) => m.macs !== null && m.batches.length > 0)
    .map((m) => ({ model: m.model, family: familyOf(m.model), gmacs: m.macs! / 1e9, ms: m.batches[0]!.latencyMs.p50, batch: m.batches[0]!.batch, gflops: m.batches[0]!.gflops }));
  const batch = values[0]?.batch ?? 1;
  const xDomain = logDomain(values.map((v) => v.gmacs));
  const yDomain = logDomain(values.map((v) => v.ms));
  const frac = (v: number, [lo, hi]: [number, number]) => (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  const unfrac = (f: number, [lo, hi]: [number, number]) => 10 ** (Math.log10(lo) + f * (Math.log10(hi) - Math.log10(lo)));
  // Labels go to the largest models first: they crowd the upper right.
  const order = values.map((_, i) => i).sort((a, b) => values[b]!.gmacs - values[a]!.gmacs);
  const targets = order.map((i) => ({ x: frac(values[i]!.gmacs, xDomain) * width, y: (1 - frac(values[i]!.ms, yDomain)) * height, r: radius, text: values[i]!.model }));
  const placements = placeLabels(targets, { width, height, fontSize });
  const labels = order.flatMap((_, k) => {
    const p = placements[k];
    const t = targets[k]!;
    return p ? [{ model: t.text, gmacs: unfrac((t.x + p.dx) / width, xDomain), ms: unfrac(1 - (t.y + p.dy) / height, yDomain), align: p.align }] : [];
  });
  const omitted = order.filter((_, k) => !placements[k]).map((i) => values[i]!.model);
  const trend = logLogTrend(values);
  // The trend is drawn across the x domain, clipped to the plot where it leaves the y domain.
  const trendLine = trend
    ? Array.from({ length: 41 }, (_, i) => unfrac(i / 40, xDomain)).map((g) => ({ gmacs: g, ms: trend.a * g ** trend.b })).filter((p) => p.ms >= yDomain[0] && p.ms <= yDomain[1])
    : [];
  const x = { field: 'gmacs', type: 'quantitative' as const, scale: { type: 'log' as const, domain: xDomain, nice: false }, title: 'GMACs per image (log scale)', axis: { values: logTicks(xDomain), format: '~g' } };
  const y = { field: 'ms', type: 'quantitative' as const, scale: { type: 'log' as const, domain: yDomain, nice: false }, title: 'p50 latency, ms (log scale)', axis: { values: logTicks(yDomain), format: '~g' } };
  const labelLayer = (align: Align) => ({
    data: { values: labels.filter((l) => l.align === align) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize, color: '#222' },
    encoding: { x, y, text: { field: 'model', type: 'nominal' as const } },
  });
  const trendText = trend ? `Dashed: the fitted trend, latency ∝ MACs^${trend.b.toFixed(2)}; points above it do less work per millisecond.` : '';
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: `Measured latency vs MACs per model (batch ${batch})`,
      subtitle: [
        'p50 latency in ONNX Runtime; MACs from convlab analysis.',
        trendText,
        omitted.length ? `Unlabelled where points crowd: ${omitted.join(', ')}.` : '',
      ].flatMap((line) => wrap(line, width + 150)),
    },
    width,
    height,
    layer: [
      { data: { values: trendLine }, mark: { type: 'line', strokeDash: [6, 4], color: '#888', strokeWidth: 1.2 }, encoding: { x, y } },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: Math.PI * radius * radius * 2, opacity: 0.9 },
        encoding: {
          x, y,
          color: { field: 'family', type: 'nominal', title: 'Family', scale: familyScale(values.map((v) => v.family)) },
          tooltip: [{ field: 'model', type: 'nominal' }, { field: 'gmacs', type: 'quantitative', format: '.2f' }, { field: 'ms', type: 'quantitative', format: '.2f' }, { field: 'gflops', type: 'quantitative', format: '.1f' }],
        },
      },
      labelLayer('left'),
      labelLayer('right'),
      labelLayer('center'),
    ],
  };
}

/** Throughput against batch size for one or more models. */
export function batchChart(models: ModelBench[]): TopLevelSpec {
  const values = models.flatMap((m) => m.batches.map((b) => ({ model: m.model, batch: b.batch, imagesPerSecond: b.imagesPerSecond })));
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: 'Throughput vs batch size', subtitle: ['images/s at the median latency, ONNX Runtime'] },
    width: 480,
    height: 320,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'batch', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'batch size (log scale)', axis: { values: [...new Set(values.map((v) => v.batch))].sort((a, b) => a - b), format: 'd' } },
      y: { field: 'imagesPerSecond', type: 'quantitative', title: 'images/s' },
      color: { field: 'model', type: 'nominal', title: 'Model', scale: modelColours(models.map((m) => ({ model: m.model, family: familyOf(m.model) }))) },
    },
  };
}
