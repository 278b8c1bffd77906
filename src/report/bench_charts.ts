/**
 * Benchmark charts as vega-lite specs (rendered by src/report/render.ts): measured time against
 * MACs per layer, per model across a set of models, and throughput against batch size.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, SCHEMA } from './chart_style.js';
import { layerKind } from './group.js';
import { placeLabels, type Align } from './labels.js';
import type { ModelBench } from './bench.js';


/**
 * Per-layer time against MACs, log-log, one point per node with a kernel of its own. Points far
 * above the trend do little arithmetic per byte moved (depthwise convs, pooling).
 */
export function layerTimeChart(m: ModelBench): TopLevelSpec {
  const p = m.perLayer!;
  const values = p.layers
    .filter((l) => l.us > 0 && l.macs > 0)
    .map((l) => ({ layer: l.node, op: l.op, kind: l.op === 'DepthwiseConv2D' ? 'Depthwise conv' : layerKind(l.op), macs: l.macs, ms: l.us / 1000, intensity: l.intensity }));
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: `${m.model}: measured time vs MACs per layer (batch ${p.batch})`, subtitle: ['ORT kernel time from its profiler; MACs from convlab analysis.'] },
    width: 560,
    height: 400,
    data: { values },
    mark: { type: 'point', filled: true, opacity: 0.75 },
    encoding: {
      x: { field: 'macs', type: 'quantitative', scale: { type: 'log' }, title: 'MACs', axis: { format: '~s' } },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'time (ms)' },
      color: { field: 'kind', type: 'nominal', title: 'Layer kind' },
      size: { field: 'intensity', type: 'quantitative', title: 'MACs per byte' },
      tooltip: [
        { field: 'layer', type: 'nominal' }, { field: 'op', type: 'nominal' }, { field: 'macs', type: 'quantitative', format: ',' },
        { field: 'ms', type: 'quantitative', format: '.3f' }, { field: 'intensity', type: 'quantitative', format: '.1f' },
      ],
    },
  };
}

const MODEL_CHART = { width: 620, height: 420, fontSize: 10, radius: 4 };

/** Splits text at spaces into lines of at most `width` characters (subtitles do not wrap by themselves). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ').filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** A log domain padded by a tenth of a decade on each side. */
function logDomain(values: number[]): [number, number] {
  const logs = values.map(Math.log10);
  return [10 ** (Math.min(...logs) - 0.1), 10 ** (Math.max(...logs) + 0.1)];
}

/**
 * Latency at the smallest benchmarked batch against MACs per image, one point per model, on
 * log–log axes. Labels are placed beside their points where they fit (report/labels.ts); the
 * subtitle lists the points left unlabelled.
 */
export function modelTimeChart(models: ModelBench[]): TopLevelSpec {
  const { width, height, fontSize, radius } = MODEL_CHART;
  const values = models
    .filter((m) => m.macs !== null && m.batches.length > 0)
    .map((m) => ({ model: m.model, gmacs: m.macs! / 1e9, ms: m.batches[0]!.latencyMs.p50, batch: m.batches[0]!.batch, gflops: m.batches[0]!.gflops }));
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
  const x = { field: 'gmacs', type: 'quantitative' as const, scale: { type: 'log' as const, domain: xDomain, nice: false }, title: 'GMACs per image (log scale)' };
  const y = { field: 'ms', type: 'quantitative' as const, scale: { type: 'log' as const, domain: yDomain, nice: false }, title: 'p50 latency, ms (log scale)' };
  const labelLayer = (align: Align) => ({
    data: { values: labels.filter((l) => l.align === align) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize, color: '#222' },
    encoding: { x, y, text: { field: 'model', type: 'nominal' as const } },
  });
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: `Measured latency vs MACs per model (batch ${batch})`,
      subtitle: [
        'p50 latency in ONNX Runtime; MACs from convlab analysis. Points above the trend do less work per millisecond.',
        ...wrap(omitted.length ? `Unlabelled where points crowd: ${omitted.join(', ')}.` : '', 110),
      ],
    },
    width,
    height,
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: Math.PI * radius * radius, color: '#4c78a8' },
        encoding: { x, y, tooltip: [{ field: 'model', type: 'nominal' }, { field: 'gmacs', type: 'quantitative', format: '.2f' }, { field: 'ms', type: 'quantitative', format: '.2f' }, { field: 'gflops', type: 'quantitative', format: '.1f' }] },
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
      x: { field: 'batch', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'batch size' },
      y: { field: 'imagesPerSecond', type: 'quantitative', title: 'images/s' },
      color: { field: 'model', type: 'nominal', title: 'Model' },
    },
  };
}
