/**
 * ORT profiles → time per convlab node. ORT writes a Chrome trace whose "Node" events time each
 * kernel (`<node name>_kernel_time`); convlab names every ONNX node after the convlab node it
 * implements, so times map back by name, including nodes ORT fused or renamed. Browser-safe.
 */
import { DataError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';

/** Kernel times of one ONNX node (as ORT names it after optimization), one entry per run, in order. */
export interface NodeTime {
  name: string;
  /** ORT op type after its rewrites (Conv, FusedConv, ReorderInput, ...). */
  op: string;
  durationsUs: number[];
}

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  args?: { op_name?: string };
}

const KERNEL_SUFFIX = '_kernel_time';

/** Parses ORT's JSON trace into per-node kernel times. */
export function parseProfile(text: string, file: string): NodeTime[] {
  let events: unknown;
  try {
    events = JSON.parse(text);
  } catch (e) {
    throw new DataError(messages.badProfile(file, (e as Error).message));
  }
  if (!Array.isArray(events)) throw new DataError(messages.badProfile(file, 'expected a JSON list of trace events'));
  const byName = new Map<string, NodeTime>();
  for (const ev of events as TraceEvent[]) {
    if (ev.cat !== 'Node' || typeof ev.name !== 'string' || !ev.name.endsWith(KERNEL_SUFFIX) || typeof ev.dur !== 'number') continue;
    const name = ev.name.slice(0, -KERNEL_SUFFIX.length);
    const t = byName.get(name) ?? { name, op: ev.args?.op_name ?? '?', durationsUs: [] };
    t.durationsUs.push(ev.dur);
    byName.set(name, t);
  }
  return [...byName.values()];
}

/** Time attributed to one convlab node, per run. */
export interface LayerTime {
  node: string;
  /** Mean microseconds per run. */
  us: number;
  /** ORT kernels that ran for it (ONNX node name and op type). */
  kernels: Array<{ name: string; op: string }>;
}

/** Per-node times split into those attributed to convlab nodes and the rest. */
export interface Attribution {
  layers: Map<string, LayerTime>;
  /** Kernels ORT inserted (layout reorders, ...) that belong to no convlab node. */
  other: LayerTime;
  /** Profiled runs the means are over (warm-up calls excluded). */
  runs: number;
}

/** How to attribute kernel times. */
export interface AttributeOptions {
  /** Leading calls of each kernel to ignore (warm-up runs recorded by the profiler). */
  skip?: number;
  /**
   * Which convlab nodes do multiply-accumulates and what each one's first input is. ORT names a
   * fused kernel after the last node it swallowed (conv → BN → ReLU runs as `..._relu`); with
   * this, a conv-like kernel named after a node without MACs is credited to the conv upstream.
   */
  graph?: { hasMacs(node: string): boolean; firstInput(node: string): string | undefined };
}

const MAC_KERNEL = /Conv|Gemm|MatMul/;

/**
 * Maps ORT node times to convlab nodes. An exact ONNX node name maps through `owners`; a name ORT
 * derived (`conv1_relu_nchwc`, `fused fc1`) maps to the longest owner name it starts with at a
 * boundary (`/`, `_`, `-`, `:`). Times are per-run means over the calls after `skip`.
 */
export function attribute(times: NodeTime[], owners: Map<string, string>, options: AttributeOptions = {}): Attribution {
  const skip = options.skip ?? 0;
  const layers = new Map<string, LayerTime>();
  const other: LayerTime = { node: '(engine)', us: 0, kernels: [] };
  const keys = [...owners.keys()].sort((a, b) => b.length - a.length);
  let runs = 0;
  for (const t of times) {
    const kept = t.durationsUs.slice(skip);
    if (kept.length === 0) continue;
    runs = Math.max(runs, kept.length);
    // ORT's Gemm fusion names its node "fused <first node>"; nodes it wraps in casts (a float16
    // model on a provider without float16 kernels) take the prefix "InsertedPrecisionFreeCast_".
    const name = t.name.replace(/^fused /i, '').replace(/^InsertedPrecisionFreeCast_/, '');
    let owner = owners.get(name);
    if (owner === undefined) {
      const key = keys.find((k) => name.startsWith(k) && /^[/_:-]/.test(name.slice(k.length)));
      if (key !== undefined) owner = owners.get(key);
    }
    if (owner !== undefined && options.graph && MAC_KERNEL.test(t.op)) owner = macSource(owner, options.graph);
    const target = owner === undefined ? other : layers.get(owner) ?? { node: owner, us: 0, kernels: [] };
    target.us += kept.reduce((a, b) => a + b, 0) / kept.length;
    target.kernels.push({ name: t.name, op: t.op });
    if (owner !== undefined) layers.set(owner, target);
  }
  return { layers, other, runs };
}

/** Walks back along first inputs from a node without MACs to the conv or dense it was fused into. */
function macSource(node: string, g: NonNullable<AttributeOptions['graph']>): string {
  let cur: string | undefined = node;
  for (let steps = 0; cur !== undefined && steps < 8; steps++) {
    if (g.hasMacs(cur)) return cur;
    cur = g.firstInput(cur);
  }
  return node;
}
