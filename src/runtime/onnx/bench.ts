/**
 * Benchmarks over an open session: warm-up, repeated timed runs per batch size, latency
 * percentiles, throughput, and achieved GFLOP/s against convlab's analytical MACs (FLOPs counted
 * as 2 × MACs). The per-layer view joins ORT's profile with each node's MACs and bytes moved.
 * Browser-safe: the clock and the profile collector are injected.
 */
import { analyze } from '../../analysis/analyze.js';
import { type LayerRow } from '../../analysis/types.js';
import { Rng } from '../../core/random.js';
import { DataError, RuntimeError } from '../../core/errors.js';
import type { Tensor } from 'onnxruntime-node';
import type { BatchResult, LatencyStats, LayerProfile, OpSummary, PerLayer } from '../../report/bench.js';
import { attribute, type Attribution, type NodeTime } from './profile.js';
import { checkBatchMemory, makeFeeds, type Session } from './session.js';
import { numel } from '../../core/numel.js';
import { messages } from '../../core/messages.js';

/** Timing settings of a benchmark. */
export interface BenchOptions {
  batches: number[];
  warmup: number;
  runs: number;
  /** Called after every run (warm-up included). */
  onProgress?: (done: number, total: number, batch: number) => void;
  /** Milliseconds clock; performance.now by default. */
  now?: () => number;
  /** Seed of the random input (values in [0, 1)). */
  seed?: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Summary statistics of latencies in milliseconds. */
export function latencyStats(ms: readonly number[]): LatencyStats {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** A deterministic batch for every input of the session, values uniform in [0, 1). */
export function randomFeeds(session: Session, batch: number, seed = 0): Record<string, Tensor> {
  checkBatchMemory(session, batch);
  const named: Record<string, { data: Float32Array; shape: number[] }> = {};
  for (const input of session.inputs) {
    if (input.shape.some((d) => d === null)) throw new DataError(messages.freeDims(session.label, input.name, input.shape));
    const shape = [batch, ...(input.shape as number[])];
    const data = new Float32Array(numel(shape));
    const rng = new Rng(seed, batch);
    for (let i = 0; i < data.length; i++) data[i] = rng.next();
    named[input.name] = { data, shape };
  }
  return makeFeeds(session, named).feeds;
}

/** Times `runs` runs per batch size after `warmup` untimed ones. */
export async function benchmark(session: Session, macs: number | null, o: BenchOptions): Promise<BatchResult[]> {
  const now = o.now ?? (() => performance.now());
  const total = o.batches.length * (o.warmup + o.runs);
  let done = 0;
  const results: BatchResult[] = [];
  for (const batch of o.batches) {
    const feeds = randomFeeds(session, batch, o.seed);
    const times: number[] = [];
    for (let i = 0; i < o.warmup + o.runs; i++) {
      const t0 = now();
      await runFeeds(session, feeds, batch);
      const t1 = now();
      if (i >= o.warmup) times.push(t1 - t0);
      o.onProgress?.(++done, total, batch);
    }
    const latencyMs = latencyStats(times);
    results.push({
      batch,
      runs: o.runs,
      latencyMs,
      imagesPerSecond: (batch * 1000) / latencyMs.p50,
      gflops: macs === null ? null : (2 * macs * batch) / (latencyMs.p50 / 1000) / 1e9,
    });
  }
  return results;
}

async function runFeeds(session: Session, feeds: Record<string, Tensor>, batch: number): Promise<void> {
  try {
    await session.inner.run(feeds);
  } catch (e) {
    throw new RuntimeError(messages.ortRun(session.label, batch, String((e as Error)?.message ?? e).split('\n')[0]!));
  }
}

/** Joins profiled kernel times with the analysis of each node. */
export function perLayer(session: Session, times: NodeTime[], batch: number, skip: number): PerLayer {
  const rows: LayerRow[] = session.graph ? analyze(session.graph).layers : [];
  const byName = new Map(rows.map((r) => [r.name, r]));
  const graph = session.graph
    ? { hasMacs: (n: string) => (byName.get(n)?.macs ?? 0) > 0, firstInput: (n: string) => byName.get(n)?.inputs[0] }
    : undefined;
  const att: Attribution = attribute(times, session.owners, { skip, ...(graph ? { graph } : {}) });
  const names = rows.length > 0 ? rows.map((r) => r.name) : [...att.layers.keys()];
  const layers: LayerProfile[] = [];
  for (const name of names) {
    const row = byName.get(name);
    const t = att.layers.get(name);
    if (!row && !t) continue;
    const macs = (row?.macs ?? 0) * batch;
    const elems = (s: number[]) => numel(s);
    const inputs = row ? row.inputs.map((i) => elems(byName.get(i)!.outputShape)).reduce((a, b) => a + b, 0) : 0;
    const bytes = row ? 4 * (batch * (inputs + elems(row.outputShape)) + row.params) : 0;
    const us = t?.us ?? 0;
    layers.push({
      node: name, op: row?.op ?? t?.kernels[0]?.op ?? '?', macs, bytes,
      intensity: bytes > 0 ? macs / bytes : 0, us,
      gflops: us > 0 && macs > 0 ? (2 * macs) / (us * 1e3) : null,
      kernels: t?.kernels.map((k) => `${k.name} (${k.op})`) ?? [],
    });
  }
  const totalUs = layers.reduce((s, l) => s + l.us, 0) + att.other.us;
  return { batch, runs: att.runs, layers, byOp: summarizeOps(layers, totalUs), engineUs: att.other.us, totalUs };
}

/** Adds up the nodes of each op type that does MACs. */
function summarizeOps(layers: LayerProfile[], totalUs: number): OpSummary[] {
  const totalMacs = layers.reduce((s, l) => s + l.macs, 0);
  const byOp = new Map<string, OpSummary>();
  for (const l of layers.filter((x) => x.macs > 0)) {
    const o = byOp.get(l.op) ?? { op: l.op, nodes: 0, macs: 0, bytes: 0, us: 0, macsShare: 0, timeShare: 0, intensity: 0, gflops: null };
    o.nodes += 1;
    o.macs += l.macs;
    o.bytes += l.bytes;
    o.us += l.us;
    byOp.set(l.op, o);
  }
  return [...byOp.values()]
    .map((o) => ({
      ...o,
      macsShare: totalMacs > 0 ? o.macs / totalMacs : 0,
      timeShare: totalUs > 0 ? o.us / totalUs : 0,
      intensity: o.bytes > 0 ? o.macs / o.bytes : 0,
      gflops: o.us > 0 ? (2 * o.macs) / (o.us * 1e3) : null,
    }))
    .sort((a, b) => b.us - a.us);
}
