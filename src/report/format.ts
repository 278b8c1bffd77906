/** One dispatch from a format name to its renderer, shared by every command that prints a report. */
import { renderCsv } from './csv.js';
import type { Format, Report, Table } from './document.js';
import { toJson } from './json.js';
import { renderHtml, renderMarkdown } from './markup.js';
import { renderText } from './table.js';

/** The three views a report has: human (table, md, html), exact (csv) and structured (json). */
export interface Renderable {
  report: () => Report;
  csv: () => Table;
  json: () => unknown;
}

const RENDERERS: Record<Format, (r: Renderable) => string> = {
  table: (r) => renderText(r.report()),
  md: (r) => renderMarkdown(r.report()),
  html: (r) => renderHtml(r.report()),
  csv: (r) => renderCsv(r.csv()),
  json: (r) => `${toJson(r.json())}\n`,
};

/** Renders a report in the chosen format; the result is the whole output, ready to write at once. */
export function render(format: Format, r: Renderable): string {
  return RENDERERS[format](r);
}
