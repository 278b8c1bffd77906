/**
 * Rolls per-layer rows up to blocks by name prefix, as Netscope groups a Caffe net: Keras names
 * are hierarchical (`conv2_block1_1_conv`), so the prefix up to the block token is the block.
 */
import type { LayerRow } from '../analysis/analyze.js';
import type { Shape } from '../graph/types.js';
import type { ReceptiveField } from '../ops/types.js';

/** One block of consecutive or scattered layers sharing a name prefix. */
export interface GroupRow {
  name: string;
  /** Member layer names, in graph order. */
  layers: string[];
  /** Op of each member, counted: `{ Conv2D: 3, BatchNorm: 3, ... }`. */
  ops: Record<string, number>;
  /** Output shape and receptive field of the block's last layer. */
  outputShape: Shape;
  receptiveField: ReceptiveField;
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  flops: number;
  activationBytes: number;
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

/** Groups rows by block; a prefix that only one layer has keeps that layer's full name. */
export function groupRows(rows: LayerRow[]): GroupRow[] {
  const keys = rows.map((r) => blockKey(r.name));
  const count = new Map<string, number>();
  for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
  const groups = new Map<string, GroupRow>();
  rows.forEach((r, i) => {
    const key = count.get(keys[i]!)! > 1 ? keys[i]! : r.name;
    let g = groups.get(key);
    if (!g) {
      g = {
        name: key, layers: [], ops: {}, outputShape: r.outputShape, receptiveField: r.receptiveField,
        params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, flops: 0, activationBytes: 0,
      };
      groups.set(key, g);
    }
    g.layers.push(r.name);
    g.ops[r.op] = (g.ops[r.op] ?? 0) + 1;
    g.outputShape = r.outputShape;
    g.receptiveField = r.receptiveField;
    g.params += r.params;
    g.trainableParams += r.trainableParams;
    g.nonTrainableParams += r.nonTrainableParams;
    g.macs += r.macs;
    g.flops += r.flops;
    g.activationBytes += r.activationBytes;
  });
  return [...groups.values()];
}

/** A short description of a group's members: `Conv2D×3 BatchNorm×3 Activation×3 Add`. */
export function opsSummary(ops: Record<string, number>): string {
  return Object.entries(ops)
    .map(([op, n]) => (n > 1 ? `${op}×${n}` : op))
    .join(' ');
}
