/**
 * The move contract: every design move of the lecture is ONE object holding its rules, like an
 * op. The table of moves is typed `Record<MoveName, …>`, so a move without its rules fails to
 * compile.
 */
import type { Graph, ResolvedNode } from '../graph/graph.js';
import type { GraphSpec } from '../graph/types.js';
import type { SpecEdit } from './edit.js';

/** Every move convlab knows, as written after `--move`. */
export const MoveName = {
  factorize: 'factorize',
  asymmetric: 'asymmetric',
  bottleneck: 'bottleneck',
  separable: 'separable',
  gapHead: 'gap-head',
  lrnToBn: 'lrn-to-bn',
  noLrn: 'no-lrn',
  foldBn: 'fold-bn',
  width: 'width',
  resolution: 'resolution',
  depth: 'depth',
  compound: 'compound',
} as const;
export type MoveName = (typeof MoveName)[keyof typeof MoveName];

/**
 * One rewritten part of the graph: the nodes it replaced (names in the graph the move saw) and
 * the nodes that took their place. Either side may be empty: a removed LRN has no `to`, a block
 * added by `depth` no `from`.
 */
export interface Change {
  /** What the table calls it: a layer name, or a block or head (`flatten … predictions`). */
  label: string;
  /** What happened, in the lecture's words: `5×5 → 2 × 3×3`. */
  detail: string;
  from: string[];
  to: string[];
}

/** What one move did to a spec. */
export interface MoveResult {
  spec: GraphSpec;
  changes: Change[];
  /** Things the user should know that are not refusals (a stage left as it was, and why). */
  notes: string[];
  /** Nodes the move renamed without changing them (blocks renumbered by `depth`), old name to new. */
  renamed?: Record<string, string>;
}

/** How a move reads the text after `=`. */
export type MoveArg =
  | { kind: 'none' }
  /** A number in an open or closed range, e.g. width's α in (0, 4]. */
  | { kind: 'number'; min: number; max: number; openMin: boolean; example: string }
  /** Free text the move parses itself (resolution's `H,W`, `S` or `ρ`). */
  | { kind: 'text'; example: string };

/** Fields every move has: its name, what it does, how its argument reads, the lecture's claim. */
interface MoveBase {
  name: MoveName;
  /** One line for `--help`, the docs and the explorer. */
  doc: string;
  /** The lecture's back-of-the-envelope claim this move lets a user check. */
  claim: string;
  arg: MoveArg;
  /** True for moves that change the input size, so feature-map outputs may change height and width. */
  changesResolution?: boolean;
}

/**
 * A move that rewrites selected layers one at a time (factorize, separable, fold-bn, ...).
 * `select` is its op and kernel filter; `check` refuses a selected layer with a reason;
 * `rewrite` returns the replacement.
 */
export interface LayerMove<A> extends MoveBase {
  scope: 'layers';
  /** What the move looks for, for "no layer to rewrite" messages: `square k×k Conv2D with k ≥ 5`. */
  targets: string;
  select(node: ResolvedNode, graph: Graph): boolean;
  /** Why this layer cannot be rewritten, or undefined when it can. */
  check(node: ResolvedNode, graph: Graph, arg: A): string | undefined;
  /** Rewrites one layer in place in the edit; returns what changed. */
  rewrite(edit: SpecEdit, node: ResolvedNode, graph: Graph, arg: A): Change;
  parse(text: string | undefined): A;
}

/** A move over the whole model (width, resolution, depth, compound, gap-head). */
export interface ModelMove<A> extends MoveBase {
  scope: 'model';
  apply(spec: GraphSpec, arg: A): MoveResult;
  parse(text: string | undefined): A;
}

export type MoveDef<A = unknown> = LayerMove<A> | ModelMove<A>;

