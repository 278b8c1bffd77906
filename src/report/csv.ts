/** CSV (RFC 4180): one header row of column keys, then exact values, so a spreadsheet can recompute totals. */
import type { Table } from './document.js';

/** Quotes a field when it holds a comma, a quote or a line break. */
export function csvField(v: number | bigint | string): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Renders a table as CSV with CRLF line ends, as RFC 4180 asks. */
export function renderCsv(t: Table): string {
  const lines = [t.columns.map((c) => csvField(c.key)), ...t.rows.map((r) => r.map((c) => csvField(c.value)))];
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}
