/**
 * The what-if report: one row per changed layer (or block, or head) with its cost before and
 * after, the whole model's totals side by side, and, when measured, latency and accuracy. Every
 * number comes from the rewrite and analysis layers; this module only lays them out.
 */
import type { Analysis } from '../analysis/types.js';
import type { ReceptiveField } from '../ops/types.js';
import { reduction, type AccuracyPair, type ChangedRow, type LatencyPair, type Side, type WhatIf } from '../rewrite/whatif.js';
import { numCell, textCell, type Cell, type Column, type Fact, type Report, type Table } from './document.js';
import { flopsHeader, rfText } from './columns.js';
import { totalsJson } from './summary.js';
import { bytes, human, int, shape } from './units.js';

/** Measurements made beside the analysis. */
export interface WhatIfMeasured {
  latency?: LatencyPair;
  accuracy?: AccuracyPair;
}

/** `3.1×` with two significant decimals below 10. */
const times = (x: number) => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;

/** A change under 10% as a percentage with two significant digits: `0.47%`, `3.2%`. */
const percentText = (x: number) => `${Number((100 * x).toPrecision(2))}%`;

/** How `after` compares with `before`: `8.00× fewer`, `1.39× more`, `0.47% fewer`, `unchanged`. */
export function changeText(before: number, after: number, fewer = 'fewer', more = 'more'): string {
  if (before === after) return 'unchanged';
  if (after === 0) return `all ${fewer === 'fewer' ? 'removed' : fewer}`;
  if (before === 0) return 'new';
  const r = reduction(before, after);
  if (r > 1) return r < 1.1 ? `${percentText(1 - 1 / r)} ${fewer}` : `${times(r)} ${fewer}`;
  return 1 / r < 1.1 ? `${percentText(1 / r - 1)} ${more}` : `${times(1 / r)} ${more}`;
}

const arrow = (a: string, b: string) => (a === b ? a : `${a} → ${b}`);

/** `before → after` in human units, falling back to exact integers when the units hide a difference. */
function pairText(x: number, y: number, f: (v: number) => string): string {
  const [a, b] = [f(x), f(y)];
  if (a !== b || x === y) return arrow(a, b);
  const unit = f === bytes ? ' B' : '';
  return `${int(x)}${unit} → ${int(y)}${unit}`;
}
const rf = (f: ReceptiveField | null) => (f ? rfText(f, 'size') : '—');

type Metric = 'params' | 'macs' | 'flops' | 'activationBytes' | 'trainingBytes';

function columns(a: Analysis, batch: number): Column[] {
  const metric = (key: string, header: string): Column => ({ key, header, numeric: true });
  return [
    { key: 'layer', header: 'Changed', numeric: false },
    { key: 'moves', header: 'Move', numeric: false },
    { key: 'detail', header: 'What', numeric: false },
    metric('params', 'Params'),
    metric('macs', 'MACs'),
    ...(a.convention === 'macs' ? [] : [metric('flops', flopsHeader(a))]),
    metric('activationBytes', 'Act. mem'),
    metric('trainingBytes', `Train mem (batch ${batch})`),
    metric('rf', 'RF'),
  ];
}

function cells(a: Analysis, label: string, moves: string, detail: string, before: Side, after: Side): Cell[] {
  // A side without nodes (a removed LRN, an added block) shows a dash.
  const pair = (key: Metric, f: (x: number) => string) => {
    if (!before.layers.length || !after.layers.length) return textCell(arrow(before.layers.length ? f(before[key]) : '—', after.layers.length ? f(after[key]) : '—'));
    return textCell(pairText(before[key], after[key], f));
  };
  return [
    textCell(label),
    textCell(moves),
    textCell(detail),
    pair('params', human),
    pair('macs', human),
    ...(a.convention === 'macs' ? [] : [pair('flops', human)]),
    pair('activationBytes', bytes),
    pair('trainingBytes', bytes),
    textCell(arrow(rf(before.receptiveField), rf(after.receptiveField))),
  ];
}

/** The whole model as one side, for the table's last row. */
function wholeModel(w: WhatIf, which: 'before' | 'after'): Side {
  const { analysis: a, training } = w[which];
  const last = a.layers[a.layers.length - 1]!;
  return {
    layers: a.layers.map((r) => r.name),
    params: a.totals.params,
    macs: a.totals.macs,
    flops: a.totals.flops,
    activationBytes: a.totals.activationBytes,
    trainingBytes: training.total,
    receptiveField: last.receptiveField,
    outputShape: last.outputShape,
  };
}

/** The human table: one row per changed part, then the whole model. */
export function whatIfTable(w: WhatIf): Table {
  const a = w.after.analysis;
  const rows = w.changed.map((c) => cells(a, c.label, c.moves.join(', '), c.detail, c.before, c.after));
  rows.push(cells(a, 'whole model', '', `${w.changed.length} part${w.changed.length === 1 ? '' : 's'} changed`, wholeModel(w, 'before'), wholeModel(w, 'after')));
  return { columns: columns(a, w.before.training.batch), rows };
}

/** Totals side by side, and the measured latency and accuracy when given. */
export function whatIfTotals(w: WhatIf, m: WhatIfMeasured = {}): Fact[] {
  const [b, a] = [w.before.analysis.totals, w.after.analysis.totals];
  const [tb, ta] = [w.before.training, w.after.training];
  const line = (x: number, y: number, f: (v: number) => string) => `${pairText(x, y, f)} (${changeText(x, y)})`;
  const outputs = w.before.analysis.outputs.map((o, i) => arrow(shape(o.shape), shape(w.after.analysis.outputs[i]!.shape))).join(', ');
  const facts: Fact[] = [
    { label: 'Params', text: line(b.params, a.params, int) },
    { label: 'MACs', text: line(b.macs, a.macs, human) },
    { label: flopsHeader(w.after.analysis), text: line(b.flops, a.flops, human) },
    { label: 'Activations', text: `${line(b.activationBytes, a.activationBytes, bytes)} per sample` },
    { label: 'Inference peak', text: `${line(b.inferencePeakBytes, a.inferencePeakBytes, bytes)} per sample` },
    { label: `Training, batch ${tb.batch}`, text: `${line(tb.total, ta.total, bytes)} (${tb.optimizer}, ${tb.dtype})` },
    { label: 'Output', text: outputs },
  ];
  if (m.latency) {
    const l = m.latency;
    facts.push({
      label: `Latency, batch ${l.batch}`,
      text: `${l.beforeMs.toFixed(2)} ms → ${l.afterMs.toFixed(2)} ms: ${changeText(b.macs, a.macs)} MACs, ${changeText(l.beforeMs, l.afterMs, 'faster', 'slower')} ` +
        `(${l.engine}, ${l.threads} thread${l.threads === 1 ? '' : 's'}, median of ${l.runs} runs, ${l.weights})`,
    });
  }
  if (m.accuracy) {
    const c = m.accuracy;
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    facts.push({ label: `Test top-1, ${c.dataset}`, text: `${pct(c.before)} → ${pct(c.after)} (${int(c.testSamples)} samples; ${c.recipe})` });
  }
  return facts;
}

/** The whole human-format report. */
export function whatIfReport(w: WhatIf, m: WhatIfMeasured = {}): Report {
  const a = w.after.analysis;
  return {
    title: `What if: "${w.model}" with ${w.moves.join(', ')}`,
    facts: [
      { label: 'input', text: arrow(w.before.analysis.inputs.map((i) => shape(i.shape)).join(' '), a.inputs.map((i) => shape(i.shape)).join(' ')) },
      { label: 'FLOPs convention', text: a.convention },
      { label: 'params', text: a.paramsConvention },
      { label: 'dtype', text: a.dtype },
    ],
    table: whatIfTable(w),
    totals: whatIfTotals(w, m),
    sections: [],
    notes: w.notes,
  };
}

/** Exact values for CSV: one row per changed part, before and after in their own columns. */
export function whatIfCsvTable(w: WhatIf): Table {
  const keys = ['params', 'macs', 'flops', 'activationBytes', 'trainingBytes'] as const;
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const col = (key: string): Column => ({ key, header: key, numeric: true });
  const size = (s: Side) => (s.receptiveField ? s.receptiveField.size.join('x') : '');
  return {
    columns: [col('changed'), col('moves'), col('detail'), ...keys.flatMap((k) => [col(`${snake(k)}_before`), col(`${snake(k)}_after`)]), col('rf_before'), col('rf_after')],
    rows: w.changed.map((c: ChangedRow) => [
      textCell(c.label), textCell(c.moves.join(' ')), textCell(c.detail),
      ...keys.flatMap((k) => [numCell(c.before[k], String), numCell(c.after[k], String)]),
      textCell(size(c.before)), textCell(size(c.after)),
    ]),
  };
}

/** The JSON document: `before.totals` and `after.totals` with summary's keys, and one `changed` entry per rewritten part. */
export function whatIfJson(w: WhatIf, m: WhatIfMeasured = {}): Record<string, unknown> {
  const side = (x: WhatIf['before']) => ({
    inputs: x.analysis.inputs,
    outputs: x.analysis.outputs,
    totals: totalsJson(x.analysis.totals, x.training),
  });
  return {
    model: w.model,
    moves: w.moves,
    convention: w.after.analysis.convention,
    paramsConvention: w.after.analysis.paramsConvention,
    dtype: w.after.analysis.dtype,
    before: side(w.before),
    after: side(w.after),
    changed: w.changed,
    notes: w.notes,
    ...(m.latency ? { latency: { ...m.latency, speedup: reduction(m.latency.beforeMs, m.latency.afterMs), macsReduction: reduction(w.before.analysis.totals.macs, w.after.analysis.totals.macs) } } : {}),
    ...(m.accuracy ? { accuracy: m.accuracy } : {}),
  };
}
