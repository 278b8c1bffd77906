/**
 * The table of moves and the driver that applies a sequence of them: it reads `NAME=ARG`, selects
 * a layer move's targets (its op and kernel filter, then `--layers`), refuses what does not apply,
 * checks that the outputs keep their shape, and composes the changes.
 */
import { resolveGraph, type Graph } from '../graph/graph.js';
import { closest } from '../core/suggest.js';
import type { GraphSpec } from '../graph/types.js';
import { ChangeLog, type LoggedChange } from './compose.js';
import { asymmetric, bottleneck, factorize, layerWhat, separable } from './conv_moves.js';
import { depth } from './depth.js';
import { refit, SpecEdit } from './edit.js';
import { foldBn, gapHead, lrnToBn, noLrn } from './head_moves.js';
import { messages } from '../core/messages.js';
import { compound, resolution, width } from './scale_moves.js';
import { type LayerMove, type MoveDef, type MoveName, type MoveResult } from './types.js';
import { RefusedError } from './refused.js';

// Each move keeps its own argument type; the table sees them through the untyped view.
type AnyMove = MoveDef<unknown>;

/** Every move, by the name written after `--move`. */
export const MOVES: Record<MoveName, AnyMove> = {
  factorize,
  asymmetric,
  bottleneck,
  separable,
  'gap-head': gapHead,
  'lrn-to-bn': lrnToBn,
  'no-lrn': noLrn,
  'fold-bn': foldBn,
  width,
  resolution,
  depth,
  compound,
};

/** All move names, in table order. */
export const MOVE_NAMES = Object.keys(MOVES) as MoveName[];

/** A move as the user asked for it: the move, its text (`width=0.5`) and its parsed argument. */
export interface PlannedMove {
  move: AnyMove;
  text: string;
  arg: unknown;
}

/** Reads `NAME` or `NAME=ARG`; unknown names get a suggestion. */
export function parseMove(text: string): PlannedMove {
  const eq = text.indexOf('=');
  const name = (eq < 0 ? text : text.slice(0, eq)).trim();
  const value = eq < 0 ? undefined : text.slice(eq + 1);
  if (!Object.hasOwn(MOVES, name)) throw new RefusedError(name, messages.unknownMove(name, MOVE_NAMES, closest(name, MOVE_NAMES)));
  const move = MOVES[name as MoveName];
  return { move, text: text.trim(), arg: move.parse(value) };
}

/** `--layers` globs (comma-separated, `*` `?` `[...]`) as one test on node names. */
export function layerMatcher(globs: string): (name: string) => boolean {
  const res = globs.split(',').map((g) => g.trim()).filter(Boolean).map((g) => {
    const body = g.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${body}$`);
  });
  return (name) => res.some((re) => re.test(name));
}

/** Applies one layer move to its selected targets, refusing the whole move if one target cannot take it. */
function applyLayerMove(move: LayerMove<unknown>, spec: GraphSpec, graph: Graph, arg: unknown, layers?: string): MoveResult {
  const candidates = graph.nodes.filter((n) => move.select(n, graph));
  if (candidates.length === 0) throw new RefusedError(move.name, messages.noTargets(move.name, spec.name, move.targets));
  const matches = layers === undefined ? () => true : layerMatcher(layers);
  const targets = candidates.filter((n) => matches(n.name));
  if (targets.length === 0) {
    throw new RefusedError(move.name, messages.layersMatchNothing(move.name, layers!, move.targets, candidates.map((n) => n.name)));
  }
  for (const t of targets) {
    const reason = move.check(t, graph, arg);
    if (reason !== undefined) throw new RefusedError(move.name, messages.refused(move.name, t.name, layerWhat(t), reason), t.name);
  }
  const edit = new SpecEdit(spec);
  const changes = targets.map((t) => move.rewrite(edit, t, graph, arg));
  return { spec: edit.spec, changes, notes: [] };
}

/** Refuses a result whose outputs changed shape (height and width may change when the move resizes the input). */
function checkOutputs(move: AnyMove, before: Graph, after: Graph): void {
  before.outputs.forEach((name, i) => {
    const a = before.shapes.get(name)!;
    const out = after.outputs[i]!;
    const b = after.shapes.get(out)!;
    const spatialOnly = move.changesResolution === true && a.length === 3 && b.length === 3 && a[2] === b[2];
    if (JSON.stringify(a) !== JSON.stringify(b) && !spatialOnly) throw new RefusedError(move.name, messages.outputChanged(move.name, name, a, b), name);
  });
}

/** The rewritten spec, the composed changes and the notes of every move. */
export interface Rewritten {
  spec: GraphSpec;
  moves: string[];
  changes: LoggedChange[];
  notes: string[];
}

/**
 * Applies moves in order. `layers` restricts the layer moves; it is an error when every move is
 * a whole-model move. The result records its moves in `meta.rewrites`.
 */
export function applyMoves(spec: GraphSpec, moves: Array<PlannedMove | string>, o: { layers?: string } = {}): Rewritten {
  const planned = moves.map((m) => (typeof m === 'string' ? parseMove(m) : m));
  if (o.layers !== undefined && planned.every((p) => p.move.scope === 'model')) {
    throw new RefusedError('--layers', messages.layersUnused(planned.map((p) => p.text)));
  }
  const log = new ChangeLog();
  const notes: string[] = [];
  let current = spec;
  for (const p of planned) {
    const graph = resolveGraph(current);
    const result: MoveResult = p.move.scope === 'layers'
      ? applyLayerMove(p.move, current, graph, p.arg, o.layers)
      : p.move.apply(current, p.arg);
    checkOutputs(p.move, graph, refit(p.move.name, result.spec));
    log.record(result, p.text);
    notes.push(...result.notes);
    current = result.spec;
  }
  const texts = planned.map((p) => p.text);
  const previous = Array.isArray(spec.meta?.rewrites) ? (spec.meta.rewrites as string[]) : [];
  return { spec: { ...current, meta: { ...(current.meta ?? {}), rewrites: [...previous, ...texts] } }, moves: texts, changes: log.changes(), notes };
}
