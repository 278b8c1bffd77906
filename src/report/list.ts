/** The zoo listing: every registered id with its family and year, and params and MACs recomputed by analysis. */
import type { Analysis } from '../analysis/types.js';
import type { ModelMeta } from '../zoo/registry.js';
import { numCell, textCell, type Cell, type Report, type Table } from './document.js';
import { human, percent, shape } from './units.js';

/** A zoo entry with the analysis of its default build. */
export interface ListEntry {
  meta: ModelMeta;
  analysis: Analysis;
}

/** The human table. */
export function listTable(entries: ListEntry[]): Table {
  return {
    columns: [
      { key: 'id', header: 'Id', numeric: false },
      { key: 'family', header: 'Family', numeric: false },
      { key: 'year', header: 'Year', numeric: true },
      { key: 'input', header: 'Input', numeric: false },
      { key: 'params', header: 'Params', numeric: true },
      { key: 'macs', header: 'MACs', numeric: true },
      { key: 'top1', header: 'Top-1 %', numeric: true },
    ],
    rows: entries.map(({ meta, analysis }) => [
      textCell(meta.id),
      textCell(meta.family),
      numCell(meta.year, String),
      textCell(shape(analysis.input)),
      numCell(analysis.totals.params, human),
      numCell(analysis.totals.macs, human),
      meta.accuracy?.top1 === undefined ? textCell('—') : textCell(percent(meta.accuracy.top1)),
    ]),
  };
}

/** Exact columns for CSV. */
export function listCsvTable(entries: ListEntry[]): Table {
  const keys = ['id', 'family', 'year', 'input', 'classes', 'params', 'macs', 'top1', 'top5', 'reference'];
  const opt = (x: number | undefined): Cell => (x === undefined ? textCell('') : numCell(x, String));
  return {
    columns: keys.map((key) => ({ key, header: key, numeric: false })),
    rows: entries.map(({ meta, analysis }) => [
      textCell(meta.id), textCell(meta.family), numCell(meta.year, String), textCell(analysis.input.join('x')), numCell(meta.classes, String),
      numCell(analysis.totals.params, String), numCell(analysis.totals.macs, String),
      opt(meta.accuracy?.top1), opt(meta.accuracy?.top5), textCell(meta.reference),
    ]),
  };
}

/** The human-format listing. */
export function listReport(entries: ListEntry[]): Report {
  return {
    title: `convlab zoo: ${entries.length} model${entries.length === 1 ? '' : 's'}`,
    facts: [],
    table: listTable(entries),
    totals: [],
    sections: [],
    notes: ['Params (Keras convention) and MACs (conv + dense) are computed by analysing each default build; Top-1 is the published ImageNet figure.'],
  };
}

/** The JSON document: one object per model. */
export function listJson(entries: ListEntry[]): Record<string, unknown> {
  return {
    models: entries.map(({ meta, analysis }) => ({
      id: meta.id,
      family: meta.family,
      year: meta.year,
      input: analysis.input,
      classes: meta.classes,
      params: analysis.totals.params,
      macs: analysis.totals.macs,
      accuracy: meta.accuracy ?? null,
      reference: meta.reference,
      paper: meta.paper,
      description: meta.description ?? null,
    })),
  };
}
