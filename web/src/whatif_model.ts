/**
 * The explorer's what-if toggles, as data: one toggle per design move (with its argument where it
 * takes one), the rewrite of the model on screen, the totals it changes and the layers it
 * rewrote. The view only turns these into checkboxes, notes and highlighted boxes.
 */
import type { Analysis } from '../../src/analysis/index.js';
import { bytes, human } from '../../src/report/units.js';
import { changeText } from '../../src/report/whatif.js';
import { MOVE_NAMES, MOVES, type MoveName, type WhatIf } from '../../src/rewrite/index.js';

/** The argument a toggle starts with; null for a move without one. A move without an entry does not compile. */
export const TOGGLE_DEFAULTS: Record<MoveName, string | null> = {
  factorize: null,
  asymmetric: null,
  bottleneck: '2',
  separable: null,
  'gap-head': null,
  'lrn-to-bn': null,
  'no-lrn': null,
  'fold-bn': null,
  width: '0.5',
  resolution: '0.75',
  depth: '2',
  compound: '1',
};

/** One toggle as the panel shows it. */
export interface ToggleModel {
  name: MoveName;
  doc: string;
  claim: string;
  on: boolean;
  /** The argument's text field, for moves that take one: its value and an example. */
  arg: { value: string; example: string } | null;
}

/** Splits `width=0.5` into its move name and argument. */
function split(text: string): { name: string; arg: string | null } {
  const eq = text.indexOf('=');
  return eq < 0 ? { name: text, arg: null } : { name: text.slice(0, eq), arg: text.slice(eq + 1) };
}

/** The toggles in the table's order, on where `moves` holds the move, with its argument. */
export function toggleModels(moves: readonly string[]): ToggleModel[] {
  const given = new Map(moves.map((m) => [split(m).name, split(m).arg]));
  return MOVE_NAMES.map((name) => {
    const m = MOVES[name];
    const fallback = TOGGLE_DEFAULTS[name];
    return {
      name, doc: m.doc, claim: m.claim, on: given.has(name),
      arg: fallback === null ? null : { value: given.get(name) ?? fallback, example: m.arg.kind === 'none' ? '' : m.arg.example },
    };
  });
}

/** The moves after switching one toggle (with its argument), in the table's order. */
export function withToggle(moves: readonly string[], name: MoveName, on: boolean, arg: string | null = TOGGLE_DEFAULTS[name]): string[] {
  const rest = new Map(moves.map((m) => [split(m).name, m]));
  if (on) rest.set(name, arg === null ? name : `${name}=${arg}`);
  else rest.delete(name);
  return MOVE_NAMES.filter((n) => rest.has(n)).map((n) => rest.get(n)!);
}

/** Per total shown in the sidebar: how it compares with the model before the moves (`was 25.64M, 1.24× fewer`). */
export function totalNotes(before: Analysis, after: Analysis): Record<string, string> {
  const short = (key: string, x: number) => (key.endsWith('Bytes') ? bytes(x) : human(x));
  const pairs: Record<string, [number, number]> = {
    params: [before.totals.params, after.totals.params],
    trainableParams: [before.totals.trainableParams, after.totals.trainableParams],
    nonTrainableParams: [before.totals.nonTrainableParams, after.totals.nonTrainableParams],
    macs: [before.totals.macs, after.totals.macs],
    flops: [before.totals.flops, after.totals.flops],
    paramBytes: [before.totals.paramBytes, after.totals.paramBytes],
    activationBytes: [before.totals.activationBytes, after.totals.activationBytes],
    inferencePeakBytes: [before.totals.inferencePeakBytes, after.totals.inferencePeakBytes],
    layers: [before.layers.length, after.layers.length],
  };
  return Object.fromEntries(Object.entries(pairs).map(([key, [b, a]]) => [key, b === a ? 'unchanged' : `was ${short(key, b)}, ${changeText(b, a)}`]));
}

/** One changed part as the panel lists it. */
export interface ChangedItem {
  label: string;
  detail: string;
  /** First layer of the part after the rewrite, to select it on the graph; null when the part was removed. */
  layer: string | null;
  macs: string;
}

/** The changed parts of a what-if, for the panel's list. */
export function changedItems(w: WhatIf, short: (x: number) => string): ChangedItem[] {
  return w.changed.map((c) => ({
    label: c.label,
    detail: c.detail,
    layer: c.after.layers[0] ?? null,
    macs: `${short(c.before.macs)} → ${short(c.after.macs)} MACs`,
  }));
}

/** The layers the moves produced or changed, which the graph marks. */
export const rewrittenLayers = (w: WhatIf): Set<string> => new Set(w.changed.flatMap((c) => c.after.layers));

/** The boxes to mark: those holding a rewritten layer (a closed block holding one is marked whole). */
export function rewrittenBoxes(boxOf: ReadonlyMap<string, string>, layers: ReadonlySet<string>): Set<string> {
  return new Set([...layers].map((l) => boxOf.get(l)).filter((b): b is string => b !== undefined));
}
