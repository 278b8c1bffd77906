/**
 * The summary of one model: the per-layer table, totals, training memory and (optionally) the
 * largest batch for a budget, the formulas, and a block roll-up. Every number comes from the
 * analysis layer; this module only selects and lays them out.
 */
import type { Analysis, LayerRow, Totals } from '../analysis/types.js';
import { maxBatch, trainingBytes, trainingMemory, type TrainingMemory, type TrainingPartKey } from '../analysis/memory.js';
import { big, COUNT_KEYS, countOf, exactCounts, type Counted } from '../analysis/exact.js';
import { stepFlops } from '../analysis/training_flops.js';
import type { Optimizer } from '../core/sets.js';
import type { ReceptiveField } from '../ops/types.js';
import { columnsOf, DEFAULT_COLUMNS, rfPair, rfText, flopsHeader, groupCells, layerCells, windowOf, type ColumnKey } from './columns.js';
import { countCell, numCell, textCell, type Cell, type Column, type Fact, type Report, type Section, type Table } from './document.js';
import { groupRows, opRows, opsSummary, type GroupRow } from './group.js';
import { bytes, human, int, shape } from './units.js';

export interface SummaryOptions {
  /** Batch size for training memory and training FLOPs per step. */
  batch: number;
  optimizer: Optimizer;
  /** Memory budget in bytes: report the largest training batch that fits. */
  budgetBytes?: number;
  /** The budget as the user wrote it (`8GiB`), for labels. */
  budgetText?: string;
  explain?: boolean;
  /** Roll layers up to blocks, down to `depth` (default 1). */
  group?: boolean;
  depth?: number;
  /** Roll layers up by op type instead. */
  byOp?: boolean;
  /** Table columns (default DEFAULT_COLUMNS). */
  columns?: readonly ColumnKey[];
}

/** An analysis with the memory figures and roll-up the options ask for. */
export interface Summary {
  analysis: Analysis;
  training: TrainingMemory;
  fits?: { budgetBytes: number; budgetText: string; maxBatch: number };
  /** The block roll-up, and the depth it goes to. */
  groups?: GroupRow[];
  depth?: number;
  /** The roll-up by op type. */
  ops?: GroupRow[];
  columns: readonly ColumnKey[];
  explain: boolean;
}

/** Computes what a summary shows: training memory at the batch, the largest batch for a budget, the roll-ups. */
export function summarize(a: Analysis, o: SummaryOptions): Summary {
  const training = trainingMemory(a, { batch: o.batch, optimizer: o.optimizer, dtype: a.dtype });
  const s: Summary = { analysis: a, training, columns: o.columns ?? DEFAULT_COLUMNS, explain: o.explain ?? false };
  if (o.budgetBytes !== undefined) {
    const n = maxBatch(a, o.budgetBytes, { optimizer: o.optimizer, dtype: a.dtype });
    s.fits = { budgetBytes: o.budgetBytes, budgetText: o.budgetText ?? bytes(o.budgetBytes), maxBatch: n };
  }
  if (o.group) {
    s.depth = o.depth ?? 1;
    s.groups = groupRows(a, s.depth);
  }
  if (o.byOp) s.ops = opRows(a);
  return s;
}

/** One part of training memory. */
export interface TrainingPart {
  key: 'weights' | 'gradients' | 'optimizerState' | 'activations' | 'activationGradients' | 'input';
  label: string;
  bytes: number;
}

const PART_LABELS: ReadonlyArray<[TrainingPart['key'], string]> = [
  ['weights', 'weights'], ['gradients', 'gradients'], ['optimizerState', 'optimizer state'],
  ['activations', 'saved activations'], ['activationGradients', 'activation gradients'], ['input', 'input'],
];

/** The parts that training memory adds up from, labelled, in the order the report and the page list them. */
export function trainingParts(m: TrainingMemory): TrainingPart[] {
  return PART_LABELS.map(([key, label]) => ({ key, label, bytes: m[key] }));
}

/** The name cell of a roll-up row: indented by depth; a block counts its layers, a layer names its op, an op counts its layers. */
function groupName(g: GroupRow): string {
  const indent = '  '.repeat(g.depth - 1);
  if (g.kind === 'layer') return `${indent}${g.name} (${Object.keys(g.ops)[0]})`;
  return `${indent}${g.name} (${g.layers.length})`;
}

/** The human table: one row per layer, per block with `group` (to its depth), or per op type with `byOp`. */
export function summaryTable(s: Summary): Table {
  const a = s.analysis;
  const cols = columnsOf(a, s.columns, s.ops !== undefined);
  const rollup = s.ops ?? s.groups;
  if (rollup) {
    const header = s.ops ? 'Op (layers)' : 'Block (layers)';
    const byName = new Map(a.layers.map((r) => [r.name, r]));
    // A layer outside the blocks shown is a row of its own and reads as in the per-layer table.
    const cells = (g: GroupRow) => (g.kind === 'layer' ? layerCells(cols, byName.get(g.name)!) : groupCells(cols, g));
    return {
      columns: [{ key: s.ops ? 'op' : 'block', header, numeric: false }, ...cols.map((c) => c.column)],
      rows: rollup.map((g) => [textCell(groupName(g)), ...cells(g)]),
    };
  }
  return {
    columns: [{ key: 'layer', header: 'Layer (type)', numeric: false }, ...cols.map((c) => c.column)],
    rows: a.layers.map((r) => [textCell(`${r.name} (${r.op})`), ...layerCells(cols, r)]),
  };
}

/** Exact-valued columns for CSV: every number an integer, receptive fields split by axis, windows as written. */
export function summaryCsvTable(s: Summary): Table {
  const a = s.analysis;
  const shapeValue = (x: readonly number[]) => x.join('x');
  const col = (key: string): Column => ({ key, header: key, numeric: true });
  const rfCells = (rf: ReceptiveField): Cell[] =>
    [rf.size[0], rf.size[1], rf.jump[0], rf.jump[1], rf.start[0], rf.start[1]].map((x) => numCell(x, String));
  const rfCols = ['rf_h', 'rf_w', 'jump_h', 'jump_w', 'start_h', 'start_w'].map(col);
  const counts = ['params', 'trainable_params', 'non_trainable_params', 'macs', 'flops', 'training_flops', 'activation_bytes'].map(col);
  const countCells = (r: Counted) => COUNT_KEYS.map((k) => countCell(countOf(r, k), String));
  const rollup = s.ops ?? s.groups;
  if (rollup) {
    return {
      columns: [col(s.ops ? 'op' : 'block'), col('depth'), col('kind'), col('layers'), col('ops'), col('inputs'), col('output_shape'), ...counts, ...rfCols],
      rows: rollup.map((g) => [
        textCell(g.name), numCell(g.depth, String), textCell(g.kind), numCell(g.layers.length, String), textCell(opsSummary(g.ops)),
        textCell(s.ops ? '' : g.inputs.join(' ')), textCell(s.ops ? '' : shapeValue(g.outputShape)), ...countCells(g),
        ...(s.ops ? rfCols.map(() => textCell('')) : rfCells(g.receptiveField)),
      ]),
    };
  }
  const formulaCols = s.explain ? ['params_formula', 'macs_formula', 'flops_formula', 'training_flops_formula'].map(col) : [];
  const windowCells = (r: LayerRow): Cell[] => {
    const w = windowOf(r);
    return [textCell(w?.kernel ?? ''), textCell(w?.stride ?? ''), textCell(w ? [w.padding, ...w.extra].filter((x) => x).join(' ') : '')];
  };
  return {
    columns: [col('name'), col('op'), col('block'), col('inputs'), col('output_shape'), col('kernel'), col('stride'), col('padding'), ...counts, ...rfCols, ...formulaCols],
    rows: a.layers.map((r) => [
      textCell(r.name), textCell(r.op), textCell(r.block.join('/')), textCell(r.inputs.join(' ')), textCell(shapeValue(r.outputShape)), ...windowCells(r),
      ...countCells(r), ...rfCells(r.receptiveField),
      ...(s.explain ? [textCell(r.explain.params.text), textCell(r.explain.macs.text), textCell(r.explain.flops.text), textCell(r.explain.training.text)] : []),
    ]),
  };
}

const both = (x: number | bigint) => (x >= 1000 ? `${int(x)} (${human(x)})` : int(x));

/** The largest batch, or why none fits: the weights part alone, or a single sample on top of it. */
function fitsText(fits: NonNullable<Summary['fits']>, m: TrainingMemory): string {
  const how = `(training, ${m.optimizer}, ${m.dtype})`;
  if (fits.maxBatch > 0) return `batch ${int(fits.maxBatch)} ${how}`;
  if (m.fixed > fits.budgetBytes) {
    return `no batch: weights, gradients and optimizer state alone need ${bytes(m.fixed)} ${how}; give a budget above that`;
  }
  return `no batch: one sample needs ${bytes(m.perSample)} beyond the ${bytes(m.fixed)} of weights, gradients and optimizer state ${how}`;
}

/** Totals as labelled lines: params, MACs, FLOPs, memory, training memory and the budget fit. */
export function summaryTotals(s: Summary): Fact[] {
  const { totals: t, dtype } = s.analysis;
  const m = s.training;
  const facts: Fact[] = [
    { label: 'Total params', text: `${both(countOf(t, 'params'))}: trainable ${int(countOf(t, 'trainableParams'))}, non-trainable ${int(countOf(t, 'nonTrainableParams'))}` },
    { label: 'MACs', text: both(countOf(t, 'macs')) },
    { label: flopsHeader(s.analysis), text: both(countOf(t, 'flops')) },
    { label: `Training FLOPs, batch ${m.batch}`, text: `${both(stepFlops(t, m.batch))} per step (forward + backward; ${human(t.trainingFlops)} per sample)` },
    { label: 'Parameter memory', text: `${bytes(t.paramBytes)} (${dtype})` },
    { label: 'Activations', text: `${bytes(t.activationBytes)} per sample (every layer output)` },
    { label: 'Inference peak', text: `${bytes(t.inferencePeakBytes)} per sample (largest set of live tensors)` },
    {
      label: `Training, batch ${m.batch}`,
      text: `${bytes(m.total)} (${m.optimizer}, ${m.dtype}) = ${trainingParts(m).map((p) => `${p.label} ${bytes(p.bytes)}`).join(' + ')}`,
    },
  ];
  if (s.fits) {
    facts.push({ label: `Fits in ${s.fits.budgetText}`, text: fitsText(s.fits, m) });
  }
  return facts;
}

/**
 * Formula lines of one layer: params, MACs and FLOPs, symbolic then substituted. A layer that
 * costs nothing gives no lines unless `always` (the user named it).
 */
export function layerFormulas(r: LayerRow, convention: string, always = false): string[] {
  const lines: string[] = [];
  const metric = (label: string, e: LayerRow['explain']['params']) => {
    if (e.value === 0 && e.formula === '0' && !always) return;
    lines.push(e.formula === e.text ? `  ${label.padEnd(10)}${e.text}` : `  ${label.padEnd(10)}${e.formula} = ${e.text}`);
  };
  metric('params', r.explain.params);
  metric('MACs', r.explain.macs);
  if (convention !== 'macs') metric(`FLOPs`, r.explain.flops);
  if (lines.length === 0) return [];
  const b = r.explain.backward;
  if (b.input.value > 0) metric('∂input', b.input);
  if (b.weights.value > 0) metric('∂weights', b.weights);
  metric('train', r.explain.training);
  const rf = r.receptiveField;
  lines.push(`  ${'RF'.padEnd(10)}size ${rfText(rf, 'size')}, jump ${rfText(rf, 'jump')}, start ${rfPair(rf.start)}`);
  return [`${r.name} (${r.op})`, ...lines];
}

/** The `--explain` section: every costing layer's formulas, then the training step's FLOPs and memory sums. */
export function formulaSections(s: Summary): Section[] {
  const a = s.analysis;
  const lines = a.layers.flatMap((r) => layerFormulas(r, a.convention));
  const m = s.training;
  const t = a.totals;
  const step = [
    `  per sample  forward + ∂input + ∂weights over every layer = ${int(countOf(t, 'flops'))} + ${int(big(countOf(t, 'trainingFlops')) - big(countOf(t, 'flops')))} = ${int(countOf(t, 'trainingFlops'))}`,
    `  per step    batch·per sample = ${m.batch}·${int(countOf(t, 'trainingFlops'))} = ${int(stepFlops(t, m.batch))}`,
  ];
  const x = (k: TrainingPartKey) => int(trainingBytes(m, k));
  const perSample = (k: TrainingPartKey) => int(big(trainingBytes(m, k)) / BigInt(m.batch));
  const training = [
    `  fixed       weights + gradients + optimizer state = ${x('weights')} + ${x('gradients')} + ${x('optimizerState')} = ${x('fixed')} B`,
    `  per sample  saved activations + activation gradients + input = ${perSample('activations')} + ${perSample('activationGradients')} + ${perSample('input')} = ${x('perSample')} B`,
    `  total       fixed + batch·per sample = ${x('fixed')} + ${m.batch}·${x('perSample')} = ${x('total')} B`,
  ];
  if (s.fits) {
    training.push(`  fits        floor((budget - fixed) / per sample) = floor((${int(s.fits.budgetBytes)} - ${x('fixed')}) / ${x('perSample')}) = ${int(s.fits.maxBatch)}`);
  }
  return [
    { title: `Formulas (${a.convention} convention, ${a.paramsConvention} params, values substituted)`, lines },
    { title: `Training FLOPs (batch ${m.batch}, ${a.convention} convention)`, lines: step },
    { title: `Training memory (batch ${m.batch}, ${m.optimizer}, ${m.dtype})`, lines: training },
  ];
}

const INT8_NOTE = 'int8: 1 byte per weight and activation, as a quantized model stores them (biases are int32 and each ' +
  'output channel adds a float scale, a few KiB in all); training memory at int8 is hypothetical: training runs in fp32, fp16 or bf16.';

/** Footnotes: where receptive fields of branches disagree; what int8 memory leaves out. */
function summaryNotes(a: Analysis): string[] {
  const notes = a.dtype === 'int8' ? [INT8_NOTE] : [];
  const d = a.receptiveFieldDisagreements;
  if (d.length === 0) return notes;
  const shown = d.slice(0, 4).join(', ') + (d.length > 4 ? ` and ${d.length - 4} more` : '');
  return [...notes, `* branches with different receptive fields meet at ${shown}; the largest field per axis is shown from there on.`];
}

/** The whole human-format report. */
export function summaryReport(s: Summary): Report {
  const a = s.analysis;
  return {
    title: `Model: "${a.model}"`,
    facts: [
      { label: 'input', text: a.inputs.map((i) => shape(i.shape)).join(' ') },
      { label: 'FLOPs convention', text: a.convention },
      { label: 'params', text: a.paramsConvention },
      { label: 'dtype', text: a.dtype },
    ],
    table: summaryTable(s),
    totals: summaryTotals(s),
    sections: s.explain ? formulaSections(s) : [],
    notes: summaryNotes(a),
  };
}

/** Training memory as JSON: its exact byte counts in place of the rounded ones. */
function trainingJson(m: TrainingMemory): Record<string, unknown> {
  const { exact, ...rest } = m;
  return { ...rest, ...exact };
}

/** A roll-up row as JSON: its name, depth, kind, layer count and sums, what feeds it, its last tensor (not for an op type's row), the member layers last. */
function groupJson(g: GroupRow): Record<string, unknown> {
  const { name, depth, kind, layers, ops, inputs, outputShape, receptiveField } = g;
  const tensor = kind === 'op' ? {} : { inputs, outputShape, receptiveField };
  return { name, depth, kind, layerCount: layers.length, ...exactCounts(g), ops, ...tensor, layers };
}

/** The `totals` object of the JSON contract: exact counts and bytes, training memory and FLOPs at the summary's batch. */
export function totalsJson(t: Totals, training: TrainingMemory, fits?: Summary['fits']): Record<string, unknown> {
  const { exact: _exact, ...rounded } = t;
  return {
    ...rounded,
    ...exactCounts(t),
    training: { ...trainingJson(training), stepFlops: stepFlops(t, training.batch), ...(fits ? { budgetBytes: fits.budgetBytes, maxBatch: fits.maxBatch } : {}) },
  };
}

/** The JSON document of the command-line contract: exact integers, one layer object per node. */
export function summaryJson(s: Summary): Record<string, unknown> {
  const a = s.analysis;
  return {
    model: a.model,
    input: a.input,
    inputs: a.inputs,
    outputs: a.outputs,
    convention: a.convention,
    paramsConvention: a.paramsConvention,
    dtype: a.dtype,
    totals: totalsJson(a.totals, s.training, s.fits),
    receptiveFieldDisagreements: a.receptiveFieldDisagreements,
    layers: a.layers.map((r) => ({
      name: r.name,
      op: r.op,
      inputs: r.inputs,
      outputShape: r.outputShape,
      ...exactCounts(r),
      receptiveField: r.receptiveField,
      ...(r.block.length ? { block: r.block } : {}),
      ...(s.explain ? { explain: r.explain } : {}),
    })),
    ...(s.groups ? { depth: s.depth, groups: s.groups.map(groupJson) } : {}),
    ...(s.ops ? { ops: s.ops.map(groupJson) } : {}),
  };
}
