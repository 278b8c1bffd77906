/**
 * Rolls per-layer rows up to the blocks of the graph's block tree (blocks.ts), to a depth as
 * torchinfo does: depth 1 shows stages (or modules), depth 2 the blocks inside them, and so on.
 * The sums of any set of rows (a block, a table section, a box in the graph) are made here and
 * nowhere else, and so are a block's kind (from its op mix, by MACs) and the rule for when a
 * per-layer chart reads better rolled up.
 */
import type { Analysis, LayerRow, Totals } from '../analysis/types.js';
import { sumCounts, type CountKey } from '../analysis/exact.js';
import type { Shape } from '../graph/types.js';
import type { ReceptiveField } from '../ops/types.js';
import { buildBlockTree, type Block, type BlockTree, type Item } from './blocks.js';

/** The sums of a set of layers: the per-layer counts an analysis also totals, exact past 2^53. */
export type Subtotals = Pick<Totals, CountKey | 'exact'>;

/** One row of a roll-up: a block with its layers summed, or a layer outside any shown block. */
export interface GroupRow extends Subtotals {
  /** The block's name (`conv2_block1`) or the layer's. */
  name: string;
  /** 1 at the top; a block's contents sit one deeper. */
  depth: number;
  /** A block, a single layer (whose op is its one entry in `ops`), or every layer of one op type. */
  kind: 'block' | 'layer' | 'op';
  /** Member layer names, in graph order. */
  layers: string[];
  /** Op of each member, counted: `{ Conv2D: 3, BatchNorm: 3, ... }`. */
  ops: Record<string, number>;
  /** What feeds the rows from outside them, in order: a layer's inputs, a block's inputs from other blocks (Keras' "Connected to"). */
  inputs: string[];
  /** Output shape and receptive field of the block's last layer. */
  outputShape: Shape;
  receptiveField: ReceptiveField;
}

/** The sums of `rows`; over every row of an analysis they equal its totals. */
export const subtotals = (rows: readonly LayerRow[]): Subtotals => sumCounts(rows);

/** One named row for a non-empty set of layers in graph order: their sums, op counts, what feeds them, and the last layer's shape and field. */
export function rollUp(name: string, rows: readonly LayerRow[], depth = 1, kind: GroupRow['kind'] = 'block'): GroupRow {
  const last = rows[rows.length - 1]!;
  const members = new Set(rows.map((r) => r.name));
  const ops: Record<string, number> = {};
  for (const r of rows) ops[r.op] = (ops[r.op] ?? 0) + 1;
  const inputs = [...new Set(rows.flatMap((r) => r.inputs.filter((i) => !members.has(i))))];
  return { name, depth, kind, layers: rows.map((r) => r.name), ops, inputs, outputShape: last.outputShape, receptiveField: last.receptiveField, ...subtotals(rows) };
}

/** The block tree of an analysis: its recorded blocks, or guessed ones where it records none. */
export const blockTreeOf = (a: Analysis): BlockTree => buildBlockTree(a.layers);

/** How a roll-up shows a block: as one row, opened (its contents shown instead), or both (its row, then its contents). */
type Showing = 'row' | 'open' | 'both';

/** The rows of a tree walked in graph order, each block shown as `show` says; layers outside shown blocks are rows of their own. */
function walk(a: Analysis, tree: BlockTree, show: (b: Block, depth: number) => Showing): GroupRow[] {
  const byName = new Map(a.layers.map((r) => [r.name, r]));
  const out: GroupRow[] = [];
  const visit = (items: readonly Item[], d: number) => {
    for (const it of items) {
      if (it.kind === 'layer') {
        out.push(rollUp(it.name, [byName.get(it.name)!], d, 'layer'));
        continue;
      }
      const b = tree.blocks.get(it.id)!;
      const how = show(b, d);
      if (how !== 'open') out.push(rollUp(b.name, b.layers.map((l) => byName.get(l)!), d));
      if (how !== 'row') visit(b.items, d + 1);
    }
  };
  visit(tree.top, 1);
  return out;
}

/**
 * The roll-up to `depth`: every block at that depth or above, each followed by what it holds
 * when that is shown too, and every layer outside the blocks shown whole, in graph order.
 * Rows at one depth never overlap, and the rows of depth 1 sum to the analysis totals.
 */
export const groupRows = (a: Analysis, depth = 1, tree: BlockTree = blockTreeOf(a)): GroupRow[] => walk(a, tree, (_b, d) => (d < depth ? 'both' : 'row'));

/**
 * The roll-up a chart draws at `depth`: each block at that depth as one row, a shallower block
 * opened only when it holds blocks of its own (a stem of plain layers stays one row), and every
 * layer outside them. The rows never overlap and sum to the totals.
 */
export const frontierRows = (a: Analysis, depth: number, tree: BlockTree = blockTreeOf(a)): GroupRow[] =>
  walk(a, tree, (b, d) => (d < depth && b.items.some((x) => x.kind === 'block') ? 'open' : 'row'));

/** The depth a per-layer chart rolls up to by default: the shallowest with at least MIN_BLOCKS blocks, or undefined when none has that many. */
export function chartDepth(a: Analysis, tree: BlockTree = blockTreeOf(a)): number | undefined {
  for (let d = 1; d <= treeDepth(tree); d++) if (frontierRows(a, d, tree).filter((g) => g.kind === 'block').length >= MIN_BLOCKS) return d;
  return undefined;
}

/** The block a layer is shown under when blocks are shown to `depth`: its enclosing block at that depth, or its innermost when shallower; null outside every block. */
export function shownBlock(tree: BlockTree, layer: string, depth = 1): string | null {
  let b = tree.blockOf.get(layer) ?? null;
  while (b !== null && tree.blocks.get(b)!.depth > depth) b = tree.blocks.get(b)!.parent;
  return b;
}

/**
 * The layers rolled up by op type, as fvcore's `by_operator`: one row per op, in order of first
 * appearance, each summing its layers. The rows sum to the analysis totals.
 */
export function opRows(a: Analysis): GroupRow[] {
  const byOp = new Map<string, LayerRow[]>();
  for (const r of a.layers) byOp.set(r.op, [...(byOp.get(r.op) ?? []), r]);
  return [...byOp].map(([op, rows]) => rollUp(op, rows, 1, 'op'));
}

/** The deepest level of blocks in a tree (0 when it has none): the largest depth worth asking for. */
export const treeDepth = (tree: BlockTree): number => Math.max(0, ...[...tree.blocks.values()].map((b) => b.depth));

/** A short description of a group's members: `Conv2D×3 BatchNorm×3 Activation×3 Add`. */
export function opsSummary(ops: Record<string, number>): string {
  return Object.entries(ops)
    .map(([op, n]) => (n > 1 ? `${op}×${n}` : op))
    .join(' ');
}

/** Kinds of layers charts tell apart by colour. */
export const LAYER_KINDS = ['Convolution', 'Fully connected', 'Pooling', 'Other'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

/** The kind of a layer, from its op. */
export function layerKind(op: string): LayerKind {
  if (op === 'Dense') return 'Fully connected';
  if (/Conv/.test(op)) return 'Convolution';
  if (/Pool/.test(op)) return 'Pooling';
  return 'Other';
}

/**
 * The kind of a set of layers: the kind doing most of its MACs; without MACs, pooling when it
 * pools, else other. NASNet's `normal` cells are convolution blocks, whatever they are called.
 */
export function blockKind(rows: readonly LayerRow[]): LayerKind {
  const macs = new Map<LayerKind, number>();
  for (const r of rows) macs.set(layerKind(r.op), (macs.get(layerKind(r.op)) ?? 0) + r.macs);
  const [top] = [...macs].sort((x, y) => y[1] - x[1]);
  if (top && top[1] > 0) return top[0];
  return rows.some((r) => layerKind(r.op) === 'Pooling') ? 'Pooling' : 'Other';
}

/** True for a layer or block that a per-layer chart draws: it has parameters or costs FLOPs. */
export const hasCost = (r: { params: number; flops: number }): boolean => r.params > 0 || r.flops > 0;

/** Above this many bars a per-layer chart starts rolled up to blocks. */
export const GROUP_ABOVE = 60;

/** With fewer blocks than this a roll-up says less than the per-layer chart. */
export const MIN_BLOCKS = 8;

/** Whether the per-layer chart of an analysis is rolled up to blocks when nobody says: many bars, and enough blocks at some depth to replace them. */
export function groupsByDefault(a: Analysis): boolean {
  return a.layers.filter(hasCost).length > GROUP_ABOVE && chartDepth(a) !== undefined;
}
