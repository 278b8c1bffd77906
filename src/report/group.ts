/**
 * Rolls per-layer rows up to blocks by name prefix, as Netscope groups a Caffe net: Keras names
 * are hierarchical (`conv2_block1_1_conv`), so the prefix up to the block token is the block.
 * The sums of any set of rows (a block, a table section, a box in the graph) are made here and
 * nowhere else, and so is the rule for when a per-layer chart reads better rolled up.
 */
import type { Analysis, LayerRow, Totals } from '../analysis/types.js';
import type { Shape } from '../graph/types.js';
import type { ReceptiveField } from '../ops/types.js';

/** The sums of a set of layers: the per-layer counts an analysis also totals. */
export type Subtotals = Pick<Totals, 'params' | 'trainableParams' | 'nonTrainableParams' | 'macs' | 'flops' | 'activationBytes'>;

/** One block of consecutive or scattered layers sharing a name prefix. */
export interface GroupRow extends Subtotals {
  name: string;
  /** Member layer names, in graph order. */
  layers: string[];
  /** Op of each member, counted: `{ Conv2D: 3, BatchNorm: 3, ... }`. */
  ops: Record<string, number>;
  /** Output shape and receptive field of the block's last layer. */
  outputShape: Shape;
  receptiveField: ReceptiveField;
}

// `block1`, `block1a`, `block_1` (Keras ResNet, EfficientNet, MobileNetV2 names).
const BLOCK_TOKEN = /^block\d+[a-z]?$/i;

/**
 * The block a layer name belongs to: the prefix through its `blockN` token when it has one,
 * else its first `_` segment (`conv1_bn` → `conv1`).
 */
export function blockKey(name: string): string {
  const parts = name.split('_');
  const i = parts.findIndex((p) => BLOCK_TOKEN.test(p));
  if (i >= 0) return parts.slice(0, i + 1).join('_');
  const j = parts.findIndex((p, k) => p.toLowerCase() === 'block' && /^\d+$/.test(parts[k + 1] ?? ''));
  if (j >= 0) return parts.slice(0, j + 2).join('_');
  return parts[0]!;
}

/** The sums of `rows`; over every row of an analysis they equal its totals. */
export function subtotals(rows: readonly LayerRow[]): Subtotals {
  const s: Subtotals = { params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, flops: 0, activationBytes: 0 };
  for (const r of rows) {
    s.params += r.params;
    s.trainableParams += r.trainableParams;
    s.nonTrainableParams += r.nonTrainableParams;
    s.macs += r.macs;
    s.flops += r.flops;
    s.activationBytes += r.activationBytes;
  }
  return s;
}

/** One named row for a non-empty set of layers in graph order: their sums, op counts, and the last layer's shape and field. */
export function rollUp(name: string, rows: readonly LayerRow[]): GroupRow {
  const last = rows[rows.length - 1]!;
  const ops: Record<string, number> = {};
  for (const r of rows) ops[r.op] = (ops[r.op] ?? 0) + 1;
  return { name, layers: rows.map((r) => r.name), ops, outputShape: last.outputShape, receptiveField: last.receptiveField, ...subtotals(rows) };
}

/** Groups rows by block; a prefix that only one layer has keeps that layer's full name. */
export function groupRows(rows: readonly LayerRow[]): GroupRow[] {
  const keys = rows.map((r) => blockKey(r.name));
  const count = new Map<string, number>();
  for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
  const members = new Map<string, LayerRow[]>();
  rows.forEach((r, i) => {
    const key = count.get(keys[i]!)! > 1 ? keys[i]! : r.name;
    const list = members.get(key);
    if (list) list.push(r);
    else members.set(key, [r]);
  });
  return [...members].map(([key, rs]) => rollUp(key, rs));
}

/** A short description of a group's members: `Conv2D×3 BatchNorm×3 Activation×3 Add`. */
export function opsSummary(ops: Record<string, number>): string {
  return Object.entries(ops)
    .map(([op, n]) => (n > 1 ? `${op}×${n}` : op))
    .join(' ');
}

/** True for a layer or block that a per-layer chart draws: it has parameters or costs FLOPs. */
export const hasCost = (r: { params: number; flops: number }): boolean => r.params > 0 || r.flops > 0;

/** Above this many bars a per-layer chart starts rolled up to blocks. */
export const GROUP_ABOVE = 60;

/** With fewer blocks than this a roll-up says less than the per-layer chart (MobileNet's names give one "conv" block). */
export const MIN_BLOCKS = 8;

/** Whether the per-layer chart of an analysis is rolled up to blocks when nobody says: many bars, and enough blocks to replace them. */
export function groupsByDefault(a: Analysis): boolean {
  return a.layers.filter(hasCost).length > GROUP_ABOVE && groupRows(a.layers).length >= MIN_BLOCKS;
}
