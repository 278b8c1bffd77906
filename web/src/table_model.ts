/**
 * The per-layer table as data: columns, sections grouped by block, sorting, and the downloads.
 * Every figure comes from an analysis row; a section's subtotal is the sum of its rows, as the
 * library's totals are the sums of all rows.
 */
import type { Analysis, LayerRow } from '../../src/analysis/index.js';
import type { Convention, Optimizer } from '../../src/core/sets.js';
import { rfPair } from '../../src/report/columns.js';
import { render } from '../../src/report/format.js';
import { blockTreeOf, shownBlock, subtotals, treeDepth, type Subtotals as ReportSubtotals } from '../../src/report/group.js';
import { summarize, summaryCsvTable, summaryJson, summaryReport } from '../../src/report/summary.js';
import { bytes, human, int, shape } from '../../src/report/units.js';

export type ColumnKey = 'index' | 'name' | 'op' | 'shape' | 'params' | 'macs' | 'flops' | 'memory' | 'rf';

export interface Column {
  key: ColumnKey;
  label: string;
  numeric: boolean;
  /** Full-precision value used for sorting. */
  sortValue(r: LayerRow, index: number): number | string;
  /** Text shown in the cell. */
  text(r: LayerRow, index: number): string;
}

const rfText = (r: LayerRow): string => rfPair(r.receptiveField.size);

/** How the page heads FLOPs: the convention by its option name, or `= MACs` where FLOPs are the MACs. */
export const flopsLabel = (convention: Convention): string => (convention === 'macs' ? 'FLOPs (= MACs)' : `FLOPs (${convention})`);

/** The table's columns; the FLOPs header names the convention in use. */
export function columns(a: Analysis): Column[] {
  return [
    { key: 'index', label: '#', numeric: true, sortValue: (_r, i) => i, text: (_r, i) => String(i) },
    { key: 'name', label: 'Layer', numeric: false, sortValue: (r) => r.name, text: (r) => r.name },
    { key: 'op', label: 'Op', numeric: false, sortValue: (r) => r.op, text: (r) => r.op },
    { key: 'shape', label: 'Output', numeric: true, sortValue: (r) => r.outputShape.reduce((x, y) => x * y, 1), text: (r) => shape(r.outputShape) },
    { key: 'params', label: 'Params', numeric: true, sortValue: (r) => r.params, text: (r) => int(r.params) },
    { key: 'macs', label: 'MACs', numeric: true, sortValue: (r) => r.macs, text: (r) => human(r.macs) },
    { key: 'flops', label: flopsLabel(a.convention), numeric: true, sortValue: (r) => r.flops, text: (r) => human(r.flops) },
    { key: 'memory', label: 'Activations', numeric: true, sortValue: (r) => r.activationBytes, text: (r) => bytes(r.activationBytes) },
    { key: 'rf', label: 'RF', numeric: true, sortValue: (r) => r.receptiveField.size[0] * r.receptiveField.size[1], text: rfText },
  ];
}

export interface Sort {
  key: ColumnKey;
  descending: boolean;
}

/** Sums shown on a block's header row: the report's subtotals, with activation bytes under the table's `memory` column. */
export type Subtotals = ReportSubtotals & { memory: number };

/** The header of a column under a sort: its aria-sort state and the arrow drawn after the label. */
export function sortMark(sort: Sort, key: ColumnKey): { state: 'ascending' | 'descending' | 'none'; arrow: string } {
  if (sort.key !== key) return { state: 'none', arrow: '' };
  return sort.descending ? { state: 'descending', arrow: ' ▾' } : { state: 'ascending', arrow: ' ▴' };
}

/** The sort after a click on a header: the sorted column flips; another starts largest first when numeric (the index ascending). */
export function nextSort(sort: Sort, key: ColumnKey, numeric: boolean): Sort {
  return sort.key === key ? { key, descending: !sort.descending } : { key, descending: numeric && key !== 'index' };
}

/** Whether a layer passes the filter: `filter`, lower case, is part of its name or op. */
export const matchesFilter = (filter: string, r: { name: string; op: string }): boolean =>
  filter === '' || r.name.toLowerCase().includes(filter) || r.op.toLowerCase().includes(filter);

/** A run of rows: one block's layers, or layers outside any block (block null). */
export interface Section {
  block: string | null;
  rows: Array<{ row: LayerRow; index: number }>;
  totals: Subtotals;
}

/** Sums or totals with activation bytes also under the table's `memory` key. */
const withMemory = (s: ReportSubtotals): Subtotals => ({ ...s, memory: s.activationBytes });

/** The library's totals, as the footer shows them. */
export function footerTotals(a: Analysis): Subtotals {
  const { params, trainableParams, nonTrainableParams, macs, flops, trainingFlops, activationBytes } = a.totals;
  return withMemory({ params, trainableParams, nonTrainableParams, macs, flops, trainingFlops, activationBytes });
}

const subtotal = (rows: Section['rows']): Subtotals => withMemory(subtotals(rows.map((r) => r.row)));

const compare = (x: number | string, y: number | string): number =>
  typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));

/**
 * The table's sections. With `groupOf`, consecutive layers of the same block form a section and
 * sections sort by their subtotal (numeric columns) or their first row; without it, one section
 * holds every row. Rows sort inside their section.
 */
export function sections(a: Analysis, sort: Sort, groupOf?: (layer: string) => string | null): Section[] {
  const col = columns(a).find((c) => c.key === sort.key)!;
  const sign = sort.descending ? -1 : 1;
  const indexed = a.layers.map((row, index) => ({ row, index }));
  let out: Section[];
  if (!groupOf) out = [{ block: null, rows: indexed, totals: subtotal(indexed) }];
  else {
    out = [];
    for (const item of indexed) {
      const block = groupOf(item.row.name);
      const last = out[out.length - 1];
      if (last && last.block === block) last.rows.push(item);
      else out.push({ block, rows: [item], totals: subtotal([]) });
    }
    for (const s of out) s.totals = subtotal(s.rows);
  }
  for (const s of out) s.rows.sort((p, q) => sign * compare(col.sortValue(p.row, p.index), col.sortValue(q.row, q.index)) || p.index - q.index);
  const sectionKey = (s: Section): number | string => {
    if (sort.key === 'params' || sort.key === 'macs' || sort.key === 'flops' || sort.key === 'memory') return s.totals[sort.key];
    const first = s.rows[0]!;
    return col.sortValue(first.row, first.index);
  };
  if (out.length > 1) out.sort((p, q) => sign * compare(sectionKey(p), sectionKey(q)) || p.rows[0]!.index - q.rows[0]!.index);
  return out;
}

/** Download formats of the per-layer table. */
export const DOWNLOADS = { csv: 'text/csv', json: 'application/json', md: 'text/markdown', html: 'text/html' } as const;
export type DownloadFormat = keyof typeof DOWNLOADS;

/** A download of the analysis: exactly what `convlab summary --format <format>` writes for the same settings. */
export function download(a: Analysis, format: DownloadFormat, o: { batch: number; optimizer: Optimizer }): string {
  const s = summarize(a, { batch: o.batch, optimizer: o.optimizer });
  return render(format, { report: () => summaryReport(s), csv: () => summaryCsvTable(s), json: () => summaryJson(s) });
}

/**
 * The block a table row is grouped under: the report's block tree (the one `summary --group`
 * rolls up) at `depth`, or null for a layer outside every block.
 */
export function tableGroups(a: Analysis, depth = 1): (layer: string) => string | null {
  const tree = blockTreeOf(a);
  return (layer) => shownBlock(tree, layer, depth);
}

/** The block depths the table can group by: 1 to the deepest level of the model's blocks (none when it has no blocks). */
export function depthChoices(a: Analysis): number[] {
  return Array.from({ length: treeDepth(blockTreeOf(a)) }, (_, i) => i + 1);
}
