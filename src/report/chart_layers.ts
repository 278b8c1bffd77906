/**
 * Parameters and FLOPs per layer (or per block) side by side, coloured by layer kind: the
 * lecture's "most parameters in the FC layers, most compute in the convolutions".
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Analysis, LayerRow } from '../analysis/types.js';
import { CONFIG, kindScale, SCHEMA, textWidth, wrap } from './chart_style.js';
import { blockKind, blockTreeOf, chartDepth, frontierRows, hasCost, layerKind } from './group.js';
import { conventionName } from './units.js';

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

const PANEL_WIDTH = 300;
/** Ticks per value axis: labels like `250M` need about 60 pixels each. */
const TICKS = Math.floor(PANEL_WIDTH / 60);
const LABEL_FONT = CONFIG.axis.labelFontSize;

/**
 * Parameters and FLOPs per layer side by side, coloured by layer kind. Layers with neither are
 * left out; `group` rolls up to the blocks at `depth` (by default the shallowest depth with
 * enough blocks), each coloured by the kind doing most of its MACs. The shares in the subtitle
 * are always of layers.
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
  const labelWidth = Math.max(...values.map((r) => textWidth(r.name, LABEL_FONT))) + 4;
  const subtitle = [
    `Fully connected layers hold ${share(total((r) => r.params, 'Fully connected'), total((r) => r.params))}% of the parameters;` +
      ` convolutions do ${share(total((r) => r.flops, 'Convolution'), total((r) => r.flops))}% of the FLOPs (${conventionName(a.convention)} convention).`,
    ...(o.group ? [`Layers are rolled up to ${tree.source === 'structure' ? 'the blocks the model records' : 'blocks guessed from layer names'}, each coloured by the kind doing most of its MACs.`] : []),
  ].flatMap((line) => wrap(line, labelWidth + 2 * PANEL_WIDTH + 150));
  const y = { field: 'name', type: 'nominal' as const, sort: values.map((r) => r.name), title: null, axis: { labelLimit: labelWidth } };
  const color = { field: 'kind', type: 'nominal' as const, title: 'Layer kind', scale: kindScale(new Set(values.map((r) => r.kind))) };
  const bar = (field: 'params' | 'flops', title: string) => ({
    width: PANEL_WIDTH,
    height: { step: values.length > 40 ? 12 : 18 },
    mark: { type: 'bar' as const },
    encoding: {
      y,
      x: { field, type: 'quantitative' as const, title, axis: { format: '~s', labelExpr: "datum.value === 0 ? '0' : datum.label", tickCount: TICKS } },
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
