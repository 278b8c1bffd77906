/**
 * A quantization record as people read it: a summary with every float layer's reason, and the
 * precision of each convlab layer for the per-layer benchmark view. Browser-safe.
 */
import { ownerOf } from '../session.js';
import type { LayerDecision } from './plan.js';
import type { QuantRecord } from './quantize.js';

/** The precision of one convlab layer in a quantized model. */
export interface LayerPrecision {
  /** int8 / fp16 / bf16 / fp32, "mixed" when its ONNX nodes differ, "folded" when it was merged away. */
  precision: string;
  /** Why (part of) it stayed in float32, or what it was folded into. */
  note?: string;
}

const SHOWN = 4;

/** One line per point: scheme and counts, weight and activation formats, then float layers grouped by reason. */
export function recordLines(r: QuantRecord): string[] {
  const count = (p: string) => r.layers.filter((l) => l.precision === p).length;
  const how = r.scheme === 'int8'
    ? `static, ${r.method}${r.method === 'percentile' ? ` ${r.percentile}%` : ''} ranges from ${r.calibration}`
    : r.scheme === 'dynamic' ? 'dynamic, activation ranges measured per run' : 'ONNX Runtime probed';
  const low = r.scheme === 'dynamic' ? 'int8' : r.scheme;
  const lines = [
    `${r.scheme} (${how}): ${count(low)} nodes ${low}, ${count('fp32')} fp32, ${count('folded')} folded`,
    `  weights ${r.weights}; activations ${r.activations}`,
  ];
  const byReason = new Map<string, LayerDecision[]>();
  for (const l of r.layers) {
    if (l.precision !== 'fp32' || !l.reason) continue;
    byReason.set(l.reason, [...(byReason.get(l.reason) ?? []), l]);
  }
  for (const [reason, nodes] of byReason) {
    const names = nodes.slice(0, SHOWN).map((n) => `${n.node} (${n.op})`).join(', ');
    const more = nodes.length > SHOWN ? ` and ${nodes.length - SHOWN} more` : '';
    lines.push(`  fp32: ${names}${more}: ${reason}`);
  }
  return lines;
}

/** The precision of every convlab layer the record mentions, keyed by layer name. */
export function layerPrecisions(r: QuantRecord, known: ReadonlySet<string>): Map<string, LayerPrecision> {
  const groups = new Map<string, LayerDecision[]>();
  for (const d of r.layers) {
    const owner = ownerOf(d.node, known);
    groups.set(owner, [...(groups.get(owner) ?? []), d]);
  }
  const out = new Map<string, LayerPrecision>();
  for (const [owner, all] of groups) {
    // Float nodes without a reason (the ReLU after a dynamically quantized Gemm) never had a lower form to take.
    const ds = all.length > 1 && all.some((d) => d.precision !== 'fp32' || d.reason) ? all.filter((d) => d.precision !== 'fp32' || d.reason) : all;
    const kinds = new Set(ds.map((d) => d.precision));
    const floats = ds.filter((d) => d.precision === 'fp32' && d.reason);
    const folded = ds.find((d) => d.precision === 'folded');
    if (kinds.size === 1 && folded) out.set(owner, { precision: 'folded', note: folded.reason! });
    else if (kinds.size === 1) out.set(owner, { precision: [...kinds][0]!, ...(floats[0] ? { note: floats[0].reason! } : {}) });
    else {
      const compute = [...kinds].filter((k) => k !== 'folded');
      const note = floats.map((d) => `${d.op}: ${d.reason}`).join('; ');
      out.set(owner, { precision: compute.length === 1 ? compute[0]! : 'mixed', ...(note ? { note } : {}) });
    }
  }
  return out;
}
