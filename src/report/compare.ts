/**
 * The lecture's "Comparison so far" table for any set of models: parameters (millions), GFLOPs
 * under the chosen convention and the published ImageNet error, one row per model.
 */
import type { Analysis } from '../analysis/types.js';
import { countOf } from '../analysis/exact.js';
import type { Convention } from '../core/sets.js';
import type { LectureRow, ModelMeta } from '../zoo/registry.js';
import { countCell, numCell, textCell, type Cell, type Report, type Table } from './document.js';
import { conventionName, shape, sig3 } from './units.js';

/** One model to compare: its analysis and, for zoo models, its registry metadata. */
export interface CompareEntry {
  /** How the user named it: a zoo id or a file path. */
  label: string;
  analysis: Analysis;
  meta?: ModelMeta;
}

/** An entry for a model; `meta` is left out when the model has none (a spec file). */
export function compareEntry(label: string, analysis: Analysis, meta?: ModelMeta): CompareEntry {
  return { label, analysis, ...(meta ? { meta } : {}) };
}

/** What `compare --sort` orders by. */
export const SORT_KEYS = ['params', 'macs', 'flops', 'top1', 'top5'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Published accuracy, when the entry has it for this key. */
const accuracyOf = (e: CompareEntry, k: 'top1' | 'top5'): number | undefined => e.meta?.accuracy?.[k];

/**
 * Sorts entries: params, MACs and FLOPs ascending (smallest first); top1 / top5 by published
 * accuracy, best first, models without a published figure last. Ties keep the given order.
 */
export function sortEntries(entries: CompareEntry[], key: SortKey): CompareEntry[] {
  const value = (e: CompareEntry): number | undefined => {
    if (key === 'top1' || key === 'top5') {
      const acc = accuracyOf(e, key);
      return acc === undefined ? undefined : -acc;
    }
    return e.analysis.totals[key];
  };
  return entries
    .map((e, i) => ({ e, i, v: value(e) }))
    .sort((a, b) => (a.v === undefined ? (b.v === undefined ? a.i - b.i : 1) : b.v === undefined ? -1 : a.v - b.v || a.i - b.i))
    .map((x) => x.e);
}

/** An error in percent with up to two decimals, as published: 16.4, 6.67, 3.57. */
const errorText = (acc: number | undefined) => (acc === undefined ? '—' : String(Number(((1 - acc) * 100).toFixed(2))));

/** The human table: Params (M), MACs (G), GFLOPs, validation top-1 and top-5 error and the ILSVRC entry's top-5 error, in percent. */
export function compareTable(entries: CompareEntry[]): Table {
  const convention = entries[0]?.analysis.convention ?? 'lecture';
  const errCell = (acc: number | undefined): Cell => textCell(errorText(acc));
  return {
    columns: [
      { key: 'model', header: 'Architecture', numeric: false },
      { key: 'year', header: 'Year', numeric: true },
      { key: 'input', header: 'Input', numeric: false },
      { key: 'params', header: 'Params (M)', numeric: true },
      { key: 'macs', header: 'GMACs', numeric: true },
      ...(convention === 'macs' ? [] : [{ key: 'flops', header: `GFLOPs (${conventionName(convention)})`, numeric: true }]),
      { key: 'top1Error', header: 'Top-1 err %', numeric: true },
      { key: 'top5Error', header: 'Top-5 err %', numeric: true },
      { key: 'ilsvrcTop5Error', header: 'ILSVRC top-5 err %', numeric: true },
    ],
    rows: entries.map((e) => {
      const t = e.analysis.totals;
      return [
        textCell(e.label),
        e.meta ? numCell(e.meta.year, String) : textCell('—'),
        textCell(shape(e.analysis.input)),
        numCell(t.params, (x) => sig3(x / 1e6)),
        numCell(t.macs, (x) => sig3(x / 1e9)),
        ...(convention === 'macs' ? [] : [numCell(t.flops, (x) => sig3(x / 1e9))]),
        errCell(accuracyOf(e, 'top1')),
        errCell(accuracyOf(e, 'top5')),
        errCell(e.meta?.ilsvrc?.top5),
      ];
    }),
  };
}

/** Exact columns for CSV: integer counts, accuracies as published fractions. */
export function compareCsvTable(entries: CompareEntry[]): Table {
  const keys = [
    'model', 'family', 'year', 'input', 'params', 'trainable_params', 'non_trainable_params', 'macs', 'flops', 'top1', 'top5', 'accuracy_source', 'ilsvrc_top5', 'ilsvrc_source',
  ];
  const opt = (x: number | string | undefined): Cell => (x === undefined ? textCell('') : typeof x === 'number' ? numCell(x, String) : textCell(x));
  return {
    columns: keys.map((key) => ({ key, header: key, numeric: false })),
    rows: entries.map((e) => {
      const t = e.analysis.totals;
      return [
        textCell(e.label), opt(e.meta?.family), opt(e.meta?.year), textCell(e.analysis.input.join('x')),
        ...(['params', 'trainableParams', 'nonTrainableParams', 'macs', 'flops'] as const).map((k) => countCell(countOf(t, k), String)),
        opt(accuracyOf(e, 'top1')), opt(accuracyOf(e, 'top5')), opt(e.meta?.accuracy?.source), opt(e.meta?.ilsvrc?.top5), opt(e.meta?.ilsvrc?.source),
      ];
    }),
  };
}

/** Where each figure comes from, one line per distinct source: validation figures first, then the ILSVRC entries. */
function sources(entries: CompareEntry[]): string[] {
  const lines = (kind: string, of: (e: CompareEntry) => string | undefined) => {
    const seen = new Map<string, string[]>();
    for (const e of entries) {
      const src = of(e);
      if (src) seen.set(src, [...(seen.get(src) ?? []), e.label]);
    }
    return [...seen].map(([src, ids]) => `${kind} of ${ids.join(', ')}: ${src}.`);
  };
  return [...lines('Top-1/top-5', (e) => e.meta?.accuracy?.source), ...lines('ILSVRC top-5', (e) => e.meta?.ilsvrc?.source)];
}

/** Beyond this relative gap a recomputed figure differs from the lecture's, not just by the slide's rounding. */
const LECTURE_TOLERANCE = 0.02;

/** A figure the lecture's table gives and convlab recomputes, side by side. */
export interface LectureDifference {
  model: string;
  figure: 'params' | 'gflops';
  lecture: number;
  convlab: number;
  note?: string;
}

/** Where the lecture's "Comparison so far" figures differ from the recomputed ones by more than its rounding. */
export function lectureDifferences(entries: CompareEntry[]): LectureDifference[] {
  const out: LectureDifference[] = [];
  for (const e of entries) {
    const row: LectureRow | undefined = e.meta?.lecture;
    if (!row) continue;
    const t = e.analysis.totals;
    const figures: Array<[LectureDifference['figure'], number, number]> = [['params', row.params, t.params], ['gflops', row.gflops * 1e9, t.flops]];
    for (const [figure, lecture, convlab] of figures) {
      const note = row.notes?.[figure];
      if (Math.abs(convlab - lecture) / lecture > LECTURE_TOLERANCE) out.push({ model: e.label, figure, lecture, convlab, ...(note ? { note } : {}) });
    }
  }
  return out;
}

/** A lecture difference as a note: `googlenet params: lecture 6.8 M, convlab 7 M; <why>`. */
function differenceText(d: LectureDifference, convention: Convention): string {
  const [what, div, unit] = d.figure === 'params' ? ['params', 1e6, ' M'] : [`GFLOPs (${conventionName(convention)})`, 1e9, ''];
  return `${d.model} ${what}: lecture ${sig3(d.lecture / div)}${unit}, convlab ${sig3(d.convlab / div)}${unit}${d.note ? `; ${d.note}` : ''}.`;
}

/** The human-format comparison report. */
export function compareReport(entries: CompareEntry[]): Report {
  const a = entries[0]?.analysis;
  return {
    title: 'Comparison',
    facts: a ? [{ label: 'FLOPs convention', text: a.convention }, { label: 'params', text: a.paramsConvention }] : [],
    table: compareTable(entries),
    totals: [],
    sections: [],
    notes: [
      'Top-1 and top-5 errors are single models on the ILSVRC-2012 validation set (— where none is published); ILSVRC errors are the test-set ' +
        "top-5 of the competition entry (ensembles, many crops), the figures the lecture's tables quote. Params, MACs and FLOPs are recomputed here.",
      ...sources(entries),
      ...lectureDifferences(entries).map((d) => differenceText(d, entries[0]!.analysis.convention)),
    ],
  };
}

/** The JSON document: one object per model with exact totals and the published accuracy. */
export function compareJson(entries: CompareEntry[]): Record<string, unknown> {
  const a = entries[0]?.analysis;
  return {
    convention: a?.convention ?? 'lecture',
    paramsConvention: a?.paramsConvention ?? 'keras',
    models: entries.map((e) => {
      const t = e.analysis.totals;
      return {
        model: e.label,
        name: e.analysis.model,
        family: e.meta?.family ?? null,
        year: e.meta?.year ?? null,
        input: e.analysis.input,
        params: countOf(t, 'params'),
        trainableParams: countOf(t, 'trainableParams'),
        nonTrainableParams: countOf(t, 'nonTrainableParams'),
        macs: countOf(t, 'macs'),
        flops: countOf(t, 'flops'),
        activationBytes: countOf(t, 'activationBytes'),
        inferencePeakBytes: t.inferencePeakBytes,
        accuracy: e.meta?.accuracy ?? null,
        ilsvrc: e.meta?.ilsvrc ?? null,
        lecture: e.meta?.lecture ?? null,
      };
    }),
  };
}
