/** The terminal format: Keras' summary layout, fixed-width columns between rules. */
import type { Report, Table } from './document.js';

/** Renders a table as aligned text columns with a rule under the header. */
function textTable(t: Table, indent = ''): string[] {
  const head = t.columns.map((c) => c.header);
  const rows = t.rows.map((r) => r.map((c) => c.text));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    indent + cells.map((c, i) => (t.columns[i]!.numeric ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const width = widths.reduce((s, w) => s + w + 2, -2);
  return [line(head), indent + '─'.repeat(width), ...rows.map(line)];
}

/** Renders a whole report for the terminal. */
export function renderText(r: Report): string {
  const body = textTable(r.table);
  const width = Math.max(...body.map((l) => l.length), r.title.length);
  const heavy = '═'.repeat(width);
  const out = [r.title];
  if (r.facts.length) out.push(r.facts.map((f) => `${f.label} ${f.text}`).join('   '));
  out.push(heavy, ...body, heavy);
  const labelWidth = Math.max(0, ...r.totals.map((f) => f.label.length));
  for (const f of r.totals) out.push(`${`${f.label}:`.padEnd(labelWidth + 1)}  ${f.text}`);
  if (r.totals.length) out.push(heavy);
  for (const n of r.notes) out.push(n);
  for (const s of r.sections) out.push('', s.title, ...s.lines);
  return `${out.join('\n')}\n`;
}
