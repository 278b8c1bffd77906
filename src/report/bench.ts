/**
 * Benchmark results as convlab report documents (rendered by src/report to table, markdown,
 * HTML or CSV) and as one JSON document for scripts. Browser-safe.
 */
import { messages } from '../core/messages.js';
import { numCell, textCell, type Column, type Report, type Table } from './document.js';
import { bytes as byteText, human, shape as shapeText } from './units.js';

/** What `bench` reports about FLOPs, verbatim in tables and JSON. */
export const FLOPS_NOTE = 'FLOPs = 2 × MACs (conv + dense multiply-accumulates from convlab analysis)';

/** Latency summary in milliseconds. */
export interface LatencyStats {
  p50: number;
  p90: number;
  mean: number;
  min: number;
  max: number;
}

/** The result of one batch size. */
export interface BatchResult {
  batch: number;
  runs: number;
  /** Milliseconds per batch. */
  latencyMs: LatencyStats;
  /** Images per second at the median latency. */
  imagesPerSecond: number;
  /** 2 × MACs × batch / median latency, in GFLOP/s; null when MACs are unknown. */
  gflops: number | null;
}

/** One row of the per-layer view. */
export interface LayerProfile {
  node: string;
  op: string;
  /** MACs for the profiled batch. */
  macs: number;
  /** fp32 bytes read and written for the profiled batch: inputs + output + weights. */
  bytes: number;
  /** MACs per byte moved. */
  intensity: number;
  /** Mean microseconds per run; 0 when ORT fused the node into another. */
  us: number;
  /** Achieved GFLOP/s of this node (2 × MACs / time); null without time or MACs. */
  gflops: number | null;
  /** ORT kernels that ran for the node. */
  kernels: string[];
  /** In a quantized or 16-bit model: the layer's precision and why it stayed float (see quantize/report.ts). */
  precision?: string;
  note?: string;
}

/** Nodes of one op type added up: where the MACs are against where the time goes. */
export interface OpSummary {
  op: string;
  nodes: number;
  macs: number;
  bytes: number;
  us: number;
  /** Share of the model's MACs and of its kernel time, in [0, 1]. */
  macsShare: number;
  timeShare: number;
  /** MACs per byte moved and achieved GFLOP/s over the op's timed nodes. */
  intensity: number;
  gflops: number | null;
}

/** The per-layer view of one model. */
export interface PerLayer {
  batch: number;
  runs: number;
  layers: LayerProfile[];
  /** Totals per op type with MACs, largest time first. */
  byOp: OpSummary[];
  /** Time in kernels ORT inserted that belong to no node (layout reorders). */
  engineUs: number;
  totalUs: number;
}

/** One benchmarked model. */
export interface ModelBench {
  model: string;
  source: string;
  /** Per-sample input shape (NHWC), when fixed. */
  input: Array<number | null>;
  /** Conv + dense MACs per image from convlab's analysis; null when the graph is unknown. */
  macs: number | null;
  /** 2 × MACs per image, or null. */
  flopsPerImage: number | null;
  /** How FLOPs were counted, or why they are unknown. */
  flopsNote: string;
  batches: BatchResult[];
  perLayer: PerLayer | null;
  /** The precision variant (`bench --compare fp32,int8`): fp32, int8, dynamic, fp16 or bf16, of the model named `variantOf`. */
  variant?: string;
  variantOf?: string;
  /** Set when the model ran with seeded random weights (`--random-weights`): the seed. */
  randomWeights?: number;
}

/** A whole `convlab bench` run. */
export interface BenchRun {
  engine: { name: string; version: string; threads: number; optimizationLevel: string };
  warmup: number;
  runs: number;
  models: ModelBench[];
}

const col = (key: string, header: string, numeric = true): Column => ({ key, header, numeric });
const ms = (x: number) => (x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toFixed(3));
const fixed1 = (x: number) => x.toFixed(1);

/** The latency table: one row per model and batch size. */
export function benchTable(r: BenchRun): Table {
  const columns = [
    col('model', 'Model', false), col('batch', 'Batch'), col('p50_ms', 'p50 ms'), col('p90_ms', 'p90 ms'), col('mean_ms', 'mean ms'),
    col('images_per_s', 'images/s'), col('gflops', 'GFLOP/s'),
  ];
  const rows = r.models.flatMap((m) =>
    m.batches.map((b) => [
      textCell(m.model), numCell(b.batch, String), numCell(b.latencyMs.p50, ms), numCell(b.latencyMs.p90, ms), numCell(b.latencyMs.mean, ms),
      numCell(b.imagesPerSecond, fixed1), b.gflops === null ? textCell('unknown') : numCell(b.gflops, fixed1),
    ]),
  );
  return { columns, rows };
}

/** The main report: engine, settings, latency table and how FLOPs were counted. */
export function benchReport(r: BenchRun): Report {
  const e = r.engine;
  const notes = [...new Set(r.models.map((m) => m.flopsNote))].map((n) => `Note: ${n}.`);
  notes.push('Latency is wall time per batch; images/s and GFLOP/s use the median (p50).');
  for (const m of r.models) if (m.randomWeights !== undefined) notes.push(`Note: ${m.model} ran with ${messages.randomWeights(m.randomWeights)}.`);
  return {
    title: `Benchmark: ${r.models.map((m) => m.model).join(', ')}`,
    facts: [
      { label: 'engine', text: `${e.name} ${e.version}` },
      { label: 'threads', text: String(e.threads) },
      { label: 'optimization', text: e.optimizationLevel },
      { label: 'warm-up', text: String(r.warmup) },
      { label: 'runs', text: String(r.runs) },
    ],
    table: benchTable(r),
    totals: r.models.map((m) => ({
      label: m.model,
      text: `input ${m.input.every((d) => d !== null) ? shapeText(m.input as number[]) : '?'}, ` +
        (m.macs === null ? 'FLOPs unknown' : `${human(m.macs)} MACs = ${human(m.flopsPerImage!)} FLOPs per image`),
    })),
    sections: speedups(r),
    notes,
  };
}

/**
 * Speed-up of every variant over the fp32 variant of the same model, batch by batch (median
 * latency), for `bench --compare`. Empty when nothing was compared.
 */
export function speedups(r: BenchRun): Array<{ title: string; lines: string[] }> {
  const lines: string[] = [];
  for (const m of r.models) {
    const base = r.models.find((x) => x.variant === 'fp32' && x.variantOf === m.variantOf);
    if (!m.variant || m.variant === 'fp32' || !base) continue;
    for (const b of m.batches) {
      const ref = base.batches.find((x) => x.batch === b.batch);
      if (!ref) continue;
      lines.push(`${m.model} vs fp32, batch ${b.batch}: ${ms(ref.latencyMs.p50)} → ${ms(b.latencyMs.p50)} ms p50 (${(ref.latencyMs.p50 / b.latencyMs.p50).toFixed(2)}× faster)`);
    }
  }
  return lines.length > 0 ? [{ title: 'Speed-up over fp32 (median latency)', lines }] : [];
}

/** Per-layer table of one model: time next to MACs and arithmetic intensity. */
export function perLayerTable(p: PerLayer): Table {
  const columns = [
    col('layer', 'Layer', false), col('op', 'Op', false), col('macs', 'MACs'), col('bytes', 'Bytes moved'), col('intensity', 'MACs/byte'),
    col('time_us', 'Time µs'), col('share_pct', 'Share %'), col('gflops', 'GFLOP/s'),
  ];
  // A quantized or 16-bit variant also says, per layer, its precision and why it stayed float.
  const precise = p.layers.some((l) => l.precision !== undefined);
  if (precise) columns.push(col('precision', 'Precision', false), col('note', 'Why not lower / folded into', false));
  const rows = p.layers.map((l) => [
    textCell(l.node), textCell(l.op), numCell(l.macs, (x) => human(x)), numCell(l.bytes, (x) => byteText(x)),
    numCell(l.intensity, (x) => x.toFixed(1)),
    l.us > 0 ? numCell(l.us, fixed1) : textCell('-'),
    numCell(p.totalUs > 0 ? (100 * l.us) / p.totalUs : 0, fixed1),
    l.gflops === null ? textCell('') : numCell(l.gflops, fixed1),
    ...(precise ? [textCell(l.precision ?? ''), textCell(l.note ?? '')] : []),
  ]);
  if (p.engineUs > 0) {
    rows.push([textCell('(engine)'), textCell('reorders'), numCell(0, String), numCell(0, String), numCell(0, String),
      numCell(p.engineUs, fixed1), numCell((100 * p.engineUs) / p.totalUs, fixed1), textCell(''),
      ...(precise ? [textCell(''), textCell('')] : [])]);
  }
  return { columns, rows };
}

/** The per-layer report of one model. */
export function perLayerReport(m: ModelBench): Report {
  const p = m.perLayer!;
  return {
    title: `Per layer: ${m.model} (batch ${p.batch}, mean of ${p.runs} profiled runs)`,
    facts: [],
    table: perLayerTable(p),
    totals: [{ label: 'Kernel time', text: `${(p.totalUs / 1000).toFixed(3)} ms per run (sum of ORT node kernels, profiler on)` }],
    sections: [{
      title: 'By op: share of MACs against share of time',
      lines: p.byOp.map((o) =>
        `${o.op.padEnd(16)} ${String(o.nodes).padStart(3)} nodes  ${(100 * o.macsShare).toFixed(1).padStart(5)}% of MACs  ` +
        `${(100 * o.timeShare).toFixed(1).padStart(5)}% of time  ${o.intensity.toFixed(2).padStart(6)} MACs/byte  ` +
        `${o.gflops === null ? '     -' : o.gflops.toFixed(1).padStart(6)} GFLOP/s`),
    }],
    notes: [
      `Note: ${FLOPS_NOTE}. Bytes moved = fp32 inputs + output + weights of the node; MACs/byte is its arithmetic intensity.`,
      'A time of "-" means ORT ran no kernel of its own for the node: it was fused into a neighbour (BatchNorm and activations into the conv before them) or removed (Dropout, Identity).',
    ],
  };
}
