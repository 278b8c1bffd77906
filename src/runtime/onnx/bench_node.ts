/**
 * One model benchmarked end to end on onnxruntime-node: open a session, time every batch size,
 * and, when asked, profile a second session for the per-layer view.
 */
import { analyze } from '../../analysis/analyze.js';
import type { Graph } from '../../graph/graph.js';
import type { WeightMap } from '../../weights/map.js';
import { benchmark, perLayer, randomFeeds, type BenchOptions } from './bench.js';
import { FLOPS_NOTE, type LayerProfile } from '../../report/bench.js';
import type { ModelBench } from '../../report/bench.js';
import { closeSession, collectProfile, createSession } from './node.js';
import type { OptimizationLevel } from './session.js';
import { layerPrecisions } from './quantize/report.js';
import type { QuantRecord } from './quantize/quantize.js';
import { messages } from '../../core/messages.js';

/** A model to benchmark: its graph, its ONNX bytes, or both. */
export interface BenchTarget {
  label: string;
  source: string;
  graph: Graph | null;
  bytes: Uint8Array | null;
  weights: WeightMap | null;
  /** Where the weights came from, recorded in the exported model's metadata. */
  weightsFrom?: string;
  /** Set when the graph runs with seeded random weights (`--random-weights`): the seed. */
  randomWeights?: number;
  /** Why the graph is unknown (shown as "FLOPs unknown: ..."). */
  graphNote: string | null;
  /** For a precision variant (`bench --compare`): which one, of which model, and how it was made. */
  variant?: string;
  variantOf?: string;
  record?: QuantRecord | null;
}

/** Engine and profiling settings on top of the timing settings. */
export interface BenchModelOptions extends BenchOptions {
  threads: number;
  optimizationLevel: OptimizationLevel;
  /** Seed of the weights when the graph is exported on the fly. */
  seed: number;
  /** Profile per node at the first batch size. */
  perLayer: boolean;
  /** Called after each profiled run. */
  onProfileRun?: () => void;
}

/** Benchmarks one model; sessions are closed whatever happens. */
export async function benchModel(t: BenchTarget, o: BenchModelOptions): Promise<ModelBench> {
  const graph = t.graph;
  const exportOptions = t.weights ? { weights: t.weights, ...(t.weightsFrom ? { weightsFrom: t.weightsFrom } : {}) } : { seed: t.randomWeights ?? o.seed };
  const base = { threads: o.threads, optimizationLevel: o.optimizationLevel, label: t.label, ...(graph ? { graph } : {}) };
  const session = await createSession(t.bytes ?? graph!, { ...base, export: exportOptions });
  const macs = graph ? analyze(graph).totals.macs : null;
  let result: ModelBench;
  try {
    const batches = await benchmark(session, macs, o);
    result = {
      model: t.label,
      source: t.source,
      input: session.inputs[0]?.shape ?? [],
      macs,
      flopsPerImage: macs === null ? null : 2 * macs,
      flopsNote: macs === null ? messages.flopsUnknown(t.graphNote ?? 'no graph') : FLOPS_NOTE,
      batches,
      perLayer: null,
      ...(t.variant ? { variant: t.variant, variantOf: t.variantOf ?? t.label } : {}),
      ...(t.randomWeights !== undefined ? { randomWeights: t.randomWeights } : {}),
    };
  } finally {
    await closeSession(session);
  }
  if (!o.perLayer) return result;
  // Profiling slows every kernel a little, so it runs in its own session after the timed runs.
  const profiled = await createSession(session.bytes, { ...base, profile: true });
  try {
    const batch = o.batches[0]!;
    const feeds = randomFeeds(profiled, batch, o.seed);
    for (let i = 0; i < o.warmup + o.runs; i++) {
      await profiled.inner.run(feeds);
      o.onProfileRun?.();
    }
    result.perLayer = perLayer(profiled, collectProfile(profiled), batch, o.warmup);
    if (t.record) markPrecision(result.perLayer.layers, t.record, profiled.graph);
  } finally {
    await closeSession(profiled);
  }
  return result;
}

/** Adds each layer's precision (and why it stayed float) from a variant's record. */
function markPrecision(layers: LayerProfile[], record: QuantRecord, graph: Graph | null): void {
  const known = new Set(graph ? [...graph.shapes.keys()] : layers.map((l) => l.node));
  const precisions = layerPrecisions(record, known);
  for (const l of layers) {
    const p = precisions.get(l.node);
    if (!p) continue;
    l.precision = p.precision;
    if (p.note) l.note = p.note;
  }
}
