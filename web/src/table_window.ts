/**
 * The table drawn a window at a time: the sections flattened into the lines a reader scrolls
 * through (block headers and layer rows, folded blocks and the filter applied), the slice of
 * lines a scroll position shows, and column widths that do not change as the slice moves. A
 * table of 100,000 layers keeps a few dozen rows in the page.
 */
import type { Analysis } from '../../src/analysis/index.js';
import { bytes, human, int, shape } from '../../src/report/units.js';
import { matchesFilter, type ColumnKey, type Section } from './table_model.js';

/** One line of the table: a block's header (with its section) or a layer's row. */
export type Line = { kind: 'section'; section: Section; shown: number } | { kind: 'row'; row: Section['rows'][number] };

/** The lines of `sections` with `closed` blocks folded to their header and only rows matching `filter` (lower case). */
export function tableLines(sections: readonly Section[], closed: ReadonlySet<string>, filter: string): Line[] {
  const out: Line[] = [];
  for (const s of sections) {
    const rows = filter === '' ? s.rows : s.rows.filter(({ row }) => matchesFilter(filter, row));
    if (rows.length === 0) continue;
    if (s.block !== null) {
      out.push({ kind: 'section', section: s, shown: rows.length });
      if (closed.has(s.block)) continue;
    }
    for (const row of rows) out.push({ kind: 'row', row });
  }
  return out;
}

/** Height of every line, in pixels: fixed, so a scroll position maps to a line without measuring. */
export const LINE_HEIGHT = 26;

/** Lines drawn beyond each edge of the view, so a short scroll never shows a gap. */
export const OVERSCAN = 20;

/** The first line drawn and the one after the last, for a scroll position and a view height. */
export function windowOf(scrollTop: number, height: number, total: number, lineHeight = LINE_HEIGHT, overscan = OVERSCAN): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / lineHeight);
  const count = Math.ceil(Math.max(0, height) / lineHeight) + 1;
  return { start: Math.max(0, first - overscan), end: Math.min(total, first + count + overscan) };
}

/** The scroll position that shows line `index` whole, moving as little as possible from `scrollTop`. */
export function scrollFor(index: number, scrollTop: number, height: number, lineHeight = LINE_HEIGHT): number {
  const top = index * lineHeight;
  if (top < scrollTop) return top;
  if (top + lineHeight > scrollTop + height) return top + lineHeight - height;
  return scrollTop;
}

/**
 * Column widths in characters, from the longest text each column can hold: names and ops by
 * their length, numbers by their largest value. Fixed widths keep columns still while rows scroll.
 */
export function columnWidths(a: Analysis, labels: Record<ColumnKey, string>): Record<ColumnKey, number> {
  let name = 0;
  let op = 0;
  let shapeText = 0;
  let rf = 0;
  const max = { params: 0, macs: 0, flops: 0, memory: 0 };
  for (const r of a.layers) {
    name = Math.max(name, r.name.length);
    op = Math.max(op, r.op.length);
    shapeText = Math.max(shapeText, r.outputShape.length * 5);
    rf = Math.max(rf, r.receptiveField.size[0], r.receptiveField.size[1]);
    max.params = Math.max(max.params, r.params);
    max.macs = Math.max(max.macs, r.macs);
    max.flops = Math.max(max.flops, r.flops);
    max.memory = Math.max(max.memory, r.activationBytes);
  }
  // Block headers hold subtotals, which reach the totals.
  const t = a.totals;
  const fit = (key: ColumnKey, content: number) => Math.max(content, labels[key].length + 2);
  return {
    index: fit('index', String(a.layers.length).length),
    name: Math.min(48, fit('name', name + 2)),
    op: fit('op', op),
    shape: fit('shape', Math.max(shapeText, shape(a.layers[0]?.outputShape ?? []).length)),
    params: fit('params', int(Math.max(max.params, t.params)).length),
    macs: fit('macs', human(Math.max(max.macs, t.macs)).length + 1),
    flops: fit('flops', human(Math.max(max.flops, t.flops)).length + 1),
    memory: fit('memory', bytes(Math.max(max.memory, t.activationBytes)).length + 1),
    rf: fit('rf', String(rf).length * 2 + 1),
  };
}
