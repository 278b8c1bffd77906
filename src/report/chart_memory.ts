/**
 * Activation memory along depth for one or more models: each layer's output size with each
 * model's inference peak as a labelled rule, and the running sum of all outputs so far, each
 * line named at its end. Models take their family's colour.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Analysis } from '../analysis/types.js';
import { CONFIG, modelColours, SCHEMA, spread, wrap } from './chart_style.js';
import { NO_FAMILY } from './points.js';
import { bytes } from './units.js';

/** Picks a binary unit so the largest value reads between 1 and 1024. */
function byteUnit(max: number): { name: string; div: number } {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (i < units.length - 1 && max >= 1024 ** (i + 1)) i++;
  return { name: units[i]!, div: 1024 ** i };
}

const WIDTH = 640;
const TOP = 220;
const BOTTOM = 160;
const LABEL_GAP = 12;

/** End-of-line labels for values in one panel: pixel positions spread apart, turned back into data values. */
function endLabels(items: Array<{ model: string; value: number; text: string }>, max: number, height: number): Array<{ model: string; y: number; text: string }> {
  const px = spread(items.map((i) => height * (1 - i.value / max)), LABEL_GAP, 6, height - 6);
  return items.map((it, k) => ({ model: it.model, text: it.text, y: max * (1 - px[k]! / height) }));
}

/**
 * Memory along depth. Several models of different depth line up by relative depth; one model
 * keeps layer numbers. `families` (one per analysis) colours each model as its family.
 */
export function memoryChart(analyses: Analysis[], o: { families?: readonly string[] } = {}): TopLevelSpec {
  const relative = analyses.length > 1;
  const values = analyses.flatMap((a) =>
    a.layers.map((r, i) => ({ model: a.model, depth: relative ? i / Math.max(1, a.layers.length - 1) : i, name: r.name, op: r.op, bytes: r.activationBytes })),
  );
  const xEnd = relative ? 1 : Math.max(...analyses.map((a) => a.layers.length - 1));
  const peaks = analyses.map((a) => ({ model: a.model, peak: a.totals.inferencePeakBytes }));
  const unit = byteUnit(Math.max(...values.map((v) => v.bytes), ...peaks.map((p) => p.peak)));
  const totalUnit = byteUnit(Math.max(...analyses.map((a) => a.totals.activationBytes)));
  const topMax = (1.08 * Math.max(...values.map((v) => v.bytes), ...peaks.map((p) => p.peak))) / unit.div;
  const bottomMax = (1.05 * Math.max(...analyses.map((a) => a.totals.activationBytes))) / totalUnit.div;
  const peakLabels = endLabels(peaks.map((p) => ({ model: p.model, value: p.peak / unit.div, text: `${p.model} peak ${bytes(p.peak)}` })), topMax, TOP);
  const totalLabels = endLabels(analyses.map((a) => ({ model: a.model, value: a.totals.activationBytes / totalUnit.div, text: `${a.model} ${bytes(a.totals.activationBytes)}` })), bottomMax, BOTTOM);
  const dtype = analyses[0]?.dtype ?? 'fp32';
  const x = relative
    ? { field: 'depth', type: 'quantitative' as const, title: 'Relative depth (share of layers, graph order)', scale: { domain: [0, 1], nice: false }, axis: { format: '%', values: Array.from({ length: 11 }, (_, i) => i / 10) } }
    : { field: 'depth', type: 'quantitative' as const, title: 'Layer index (graph order)', scale: { domain: [0, xEnd], nice: false } };
  const models = analyses.map((a, i) => ({ model: a.model, family: o.families?.[i] ?? NO_FAMILY }));
  const color = { field: 'model', type: 'nominal' as const, title: 'Model', scale: modelColours(models), legend: null };
  const names = analyses.map((a) => a.model).join(', ');
  const label = (rows: Array<{ model: string; y: number; text: string }>, field: string) => ({
    data: { values: rows.map((r) => ({ ...r, depth: xEnd })) },
    mark: { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, dx: 6, fontSize: 10 },
    encoding: { x, y: { field: 'y', type: 'quantitative' as const, title: field }, text: { field: 'text', type: 'nominal' as const }, color },
  });
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: `Activation memory along depth: ${names}`,
      subtitle: wrap(`One sample, ${dtype}. Dashed: inference peak (largest set of tensors alive at once).`, WIDTH + 160),
    },
    vconcat: [
      {
        width: WIDTH,
        height: TOP,
        layer: [
          {
            data: { values },
            transform: [{ calculate: `datum.bytes / ${unit.div}`, as: 'size' }],
            mark: { type: 'area', line: true, opacity: 0.3, interpolate: 'step-after' },
            encoding: {
              x,
              y: { field: 'size', type: 'quantitative', title: `Layer output (${unit.name})`, stack: null, scale: { domain: [0, topMax], nice: false } },
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
          label(peakLabels, `Layer output (${unit.name})`),
        ],
      },
      {
        width: WIDTH,
        height: BOTTOM,
        layer: [
          {
            data: { values },
            transform: [
              { window: [{ op: 'sum', field: 'bytes', as: 'cumulative' }], groupby: ['model'], sort: [{ field: 'depth' }] },
              { calculate: `datum.cumulative / ${totalUnit.div}`, as: 'total' },
            ],
            mark: { type: 'line', interpolate: 'step-after' },
            encoding: { x, y: { field: 'total', type: 'quantitative', title: `All outputs so far (${totalUnit.name})`, scale: { domain: [0, bottomMax], nice: false } }, color },
          },
          label(totalLabels, `All outputs so far (${totalUnit.name})`),
        ],
      },
    ],
    spacing: 20,
  };
}
