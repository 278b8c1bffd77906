/**
 * What the details panel says about the selection, as data: a layer's attributes, shapes,
 * weights, costs with their formulas, memory and receptive field, or a closed block's roll-up.
 * Every figure is the analysis' own or the report's sum; the panel only lays it out.
 */
import { contextOf, DTYPE_BYTES, type LayerRow } from '../../src/analysis/index.js';
import type { Explained } from '../../src/ops/formula.js';
import type { AttrDef } from '../../src/ops/types.js';
import { rfPair } from '../../src/report/columns.js';
import { opsSummary, rollUp } from '../../src/report/group.js';
import { bytes, human, int, shape } from '../../src/report/units.js';
import type { Ready } from './app.js';
import { collapsedAncestor } from './blocks.js';
import type { View } from './state.js';
import { flopsLabel } from './table_model.js';
import { MODEL_SELECTION } from './graph_model.js';
import { modelProperties, type ModelProperties } from './properties_model.js';
import type { Source } from './source.js';

/** A metric with its formula; a formula is null where it would say nothing more than the value. */
export interface FormulaRow {
  label: string;
  value: string;
  formula: string | null;
  substituted: string | null;
}

/** What the panel shows about a layer. */
export interface LayerDetails {
  kind: 'layer';
  name: string;
  op: string;
  /** The op's description, or what a graph input is. */
  doc: string;
  inputs: Array<{ name: string; shape: string }>;
  output: string;
  users: string[];
  /** What "used by" says when no layer reads the output. */
  unused: string;
  block: string | null;
  attrs: Array<{ key: string; text: string; doc: string }>;
  weights: Array<{ name: string; dims: string; symbols: string; trainable: boolean }>;
  cost: FormulaRow[];
  /** Trainable and non-trainable counts, where part of the params do not train. */
  trainableNote: string | null;
  memory: { value: string; formula: string };
  rf: { size: string; jump: string; start: string };
  /** Branches with different receptive fields meet on the way to this layer. */
  disagree: boolean;
}

/** What the panel shows about a block. */
export interface BlockDetails {
  kind: 'block';
  id: string;
  /** `12 layers: Conv2D×4 BatchNorm×4 …` */
  summary: string;
  open: boolean;
  facts: Array<[string, string]>;
  /** The first MEMBERS_SHOWN layers, and how many more there are. */
  members: Array<{ name: string; text: string }>;
  moreMembers: number;
}

/** The panel's content for a layer, a block, or the model itself. */
export type Details = LayerDetails | BlockDetails | ModelProperties;

const attrText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A pair of per-axis receptive-field values, written once when both axes agree: `7` or `7×5` (fractions to 4 digits). */
export const pairText = rfPair;

/** A cost with its formula, the symbolic one left out for a zero that costs nothing, the substituted one when it repeats. */
export function formulaRow(label: string, e: Explained, unit: (x: number) => string = int): FormulaRow {
  const zero = e.value === 0 && e.formula === '0';
  return { label, value: unit(e.value), formula: zero ? null : e.formula, substituted: zero || e.text === e.formula ? null : e.text };
}

/** Everything the panel shows about one layer. */
export function layerDetails(r: Ready, row: LayerRow): LayerDetails {
  const a = r.analysis;
  const rows = new Map(a.layers.map((l) => [l.name, l]));
  const node = r.graph.nodes.find((n) => n.name === row.name);
  const schema = (node?.def.attrs ?? {}) as Record<string, AttrDef>;
  const rf = row.receptiveField;
  return {
    kind: 'layer',
    name: row.name,
    op: row.op,
    doc: node ? node.def.doc : 'Graph input',
    inputs: row.inputs.map((i) => ({ name: i, shape: shape(rows.get(i)?.outputShape ?? []) })),
    output: shape(row.outputShape),
    users: a.layers.filter((l) => l.inputs.includes(row.name)).map((l) => l.name),
    unused: r.graph.outputs.includes(row.name) ? 'graph output' : '—',
    block: r.tree.blockOf.get(row.name) ?? null,
    attrs: Object.entries(row.attrs)
      .filter(([k, v]) => !(k === 'trainable' && v === true))
      .map(([key, v]) => ({ key, text: attrText(v), doc: schema[key]?.doc ?? '' })),
    weights: (node ? node.def.weights(contextOf(node)) : []).map((w) => ({
      name: w.name, dims: w.dims.map(([, d]) => d).join('×') || '1', symbols: w.dims.map(([n]) => n).join('·'), trainable: w.trainable,
    })),
    cost: [formulaRow('Params', row.explain.params), formulaRow('MACs', row.explain.macs), formulaRow(flopsLabel(a.convention), row.explain.flops)],
    trainableNote: row.nonTrainableParams > 0 ? `${int(row.trainableParams)} trainable, ${int(row.nonTrainableParams)} non-trainable (${a.paramsConvention} convention)` : null,
    memory: {
      value: bytes(row.activationBytes),
      formula: `${row.outputShape.join('·')}·${DTYPE_BYTES[a.dtype]} B (${a.dtype})${row.aliasesInput ? ', a view of its input: no new buffer' : ''}`,
    },
    rf: { size: pairText(rf.size), jump: pairText(rf.jump), start: pairText(rf.start) },
    disagree: rf.disagree === true,
  };
}

/** Most layers a block's panel lists: a range of a large graph may hold thousands. */
export const MEMBERS_SHOWN = 500;

/** Everything the panel shows about a closed or open block: the report's roll-up of its layers. */
export function blockDetails(r: Ready, id: string, expanded: ReadonlySet<string>): BlockDetails {
  const b = r.tree.blocks.get(id)!;
  const members = new Set(b.layers);
  const rows = r.analysis.layers.filter((l) => members.has(l.name));
  const g = rollUp(id, rows);
  return {
    kind: 'block',
    id,
    summary: `${rows.length} layers: ${opsSummary(g.ops)}`,
    open: expanded.has(id),
    facts: [
      ['Params', int(g.params)],
      ['MACs', `${int(g.macs)} (${human(g.macs)})`],
      ['FLOPs', `${int(g.flops)} (${human(g.flops)})`],
      ['Activations', bytes(g.activationBytes)],
      ['Output', shape(g.outputShape)],
      ['Receptive field', `${pairText(g.receptiveField.size)} (jump ${pairText(g.receptiveField.jump)})`],
    ],
    members: rows.slice(0, MEMBERS_SHOWN).map((l) => ({ name: l.name, text: ` ${l.op} ${human(l.macs)} MACs` })),
    moreMembers: Math.max(0, rows.length - MEMBERS_SHOWN),
  };
}

/** The details of a selection (a layer name, `B:<block>` or the model), or null when there is nothing to show. */
export function details(r: Ready, selected: string, expanded: ReadonlySet<string>, source: Source): Details | null {
  if (selected === MODEL_SELECTION) return modelProperties(source, r.spec, r.analysis);
  if (selected.startsWith('B:') && r.tree.blocks.has(selected.slice(2))) return blockDetails(r, selected.slice(2), expanded);
  const row = r.analysis.layers.find((l) => l.name === selected);
  return row ? layerDetails(r, row) : null;
}

/** The panel shows in the views that select layers. */
export const showsDetails = (view: View): boolean => view === 'graph' || view === 'table';

/**
 * The link that brings a layer into view: "show in the graph" from other views, "open it" in the
 * graph while a closed block hides the layer, none when it is already drawn.
 */
export function revealLabel(r: Ready, layer: string, expanded: ReadonlySet<string>, view: View): string | null {
  const hidden = collapsedAncestor(r.tree, layer, expanded) !== null;
  if (view === 'graph' && !hidden) return null;
  return view === 'graph' ? 'open it' : 'show in the graph';
}
