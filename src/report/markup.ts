/** Markdown and HTML renderings of a report. */
import type { Report, Table } from './document.js';

/** Escapes the characters that would break a markdown table cell. */
const mdCell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');

/** Renders a table as a GitHub markdown table, numbers right-aligned. */
function markdownTable(t: Table): string[] {
  return [
    `| ${t.columns.map((c) => mdCell(c.header)).join(' | ')} |`,
    `|${t.columns.map((c) => (c.numeric ? '---:' : ':---')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map((c) => mdCell(c.text)).join(' | ')} |`),
  ];
}

/** Renders a whole report as markdown: heading, facts, table, totals, then sections as code blocks. */
export function renderMarkdown(r: Report): string {
  const out = [`## ${r.title}`, ''];
  if (r.facts.length) out.push(r.facts.map((f) => `${f.label} **${f.text}**`).join(' · '), '');
  out.push(...markdownTable(r.table), '');
  if (r.totals.length) out.push(...r.totals.map((f) => `- **${f.label}:** ${f.text}`), '');
  for (const n of r.notes) out.push(n, '');
  for (const s of r.sections) out.push(`### ${s.title}`, '', '```', ...s.lines, '```', '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = [
  'body{font-family:system-ui,sans-serif;margin:2em;color:#222}',
  'table{border-collapse:collapse;font-size:14px}',
  'th,td{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left;white-space:nowrap}',
  'th{border-bottom:2px solid #444}',
  '.num{text-align:right;font-variant-numeric:tabular-nums}',
  'dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px}',
  'dt{font-weight:600}dd{margin:0}',
  'pre{background:#f6f6f6;padding:8px}',
].join('');

/** Renders a table as an HTML table; numeric cells carry their exact value as a tooltip. */
export function htmlTable(t: Table): string[] {
  const cls = (numeric: boolean) => (numeric ? ' class="num"' : '');
  return [
    '<table>',
    `<thead><tr>${t.columns.map((c) => `<th${cls(c.numeric)}>${escapeHtml(c.header)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...t.rows.map(
      (r) =>
        `<tr>${r
          .map((c, i) => {
            const exact = typeof c.value === 'number' && String(c.value) !== c.text ? ` title="${c.value}"` : '';
            return `<td${cls(t.columns[i]!.numeric)}${exact}>${escapeHtml(c.text)}</td>`;
          })
          .join('')}</tr>`,
    ),
    '</tbody>',
    '</table>',
  ];
}

/** Renders a whole report as a standalone HTML page. */
export function renderHtml(r: Report): string {
  const out = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(r.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(r.title)}</h1>`,
  ];
  if (r.facts.length) out.push(`<p>${r.facts.map((f) => `${escapeHtml(f.label)} <b>${escapeHtml(f.text)}</b>`).join(' · ')}</p>`);
  out.push(...htmlTable(r.table));
  if (r.totals.length) {
    out.push('<dl>', ...r.totals.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.text)}</dd>`), '</dl>');
  }
  for (const n of r.notes) out.push(`<p>${escapeHtml(n)}</p>`);
  for (const s of r.sections) out.push(`<h2>${escapeHtml(s.title)}</h2>`, `<pre>${escapeHtml(s.lines.join('\n'))}</pre>`);
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}
