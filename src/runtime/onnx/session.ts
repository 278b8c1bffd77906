/**
 * Sessions and runs over an injected ONNX Runtime module, so the same code serves
 * onnxruntime-node (node.ts) and onnxruntime-web in the browser. Nothing here reads files.
 */
import { analyze } from '../../analysis/analyze.js';
import { DataError, RuntimeError, UsageError } from '../../core/errors.js';
import type { Graph } from '../../graph/graph.js';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { exportModel, META_KEYS, type ExportOptions, type OnnxExport } from './export.js';
import { encodeModel, outlineModel } from '../../onnx/proto.js';
import { numel } from '../../core/numel.js';
import { messages } from '../../core/messages.js';

/** The part of an ONNX Runtime module (node or web) convlab uses. */
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: typeof Tensor;
}

/** ORT graph optimization levels convlab accepts. */
export const OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
/** One of OPTIMIZATION_LEVELS. */
export type OptimizationLevel = (typeof OPTIMIZATION_LEVELS)[number];

/** How to open a session. */
export interface SessionOptions {
  /** Intra-op threads; default: the engine's own choice (one per core). */
  threads?: number;
  /** Graph optimization level (default 'all', ORT's default). */
  optimizationLevel?: OptimizationLevel;
  /** Record ORT's per-node profile; the Node edge collects the trace (node.ts). */
  profile?: boolean;
  /** Where ORT writes its profile (Node only). */
  profileFilePrefix?: string;
  /** How to export when the source is a graph (weights, seed, opset). */
  export?: ExportOptions;
  /** Bytes a run may use; a batch estimated to need more is refused before it runs. */
  memoryBudget?: number;
  /** Names the model in messages: a file name or a zoo id. */
  label?: string;
  /**
   * ORT's own optimized form of these bytes, saved earlier on this machine (Node's createSession
   * manages it): the engine opens it with graph optimizations off, skipping the optimizer.
   */
  optimizedBytes?: Uint8Array;
  /** Where ORT saves the optimized form of the model as it opens it (Node only). */
  saveOptimizedTo?: string;
}

/** One model input: name and per-sample shape (NHWC, no batch); null marks a free dimension. */
export interface SessionInput {
  name: string;
  shape: Array<number | null>;
}

/** An open model. */
export interface Session {
  ort: OrtModule;
  inner: InferenceSession;
  label: string;
  inputs: SessionInput[];
  outputNames: string[];
  threads: number | null;
  optimizationLevel: OptimizationLevel;
  /** The convlab graph, when the session was made from one (or the model was imported). */
  graph: Graph | null;
  /** ONNX node name → convlab node name, for mapping profiles back. */
  owners: Map<string, string>;
  /** Model metadata: spec.meta for graphs, convlab.meta of exported files. */
  meta: Record<string, unknown>;
  /** The serialized model the session runs. */
  bytes: Uint8Array;
  /** Memory estimate (bytes) when the graph is known: weights, plus live activations per sample. */
  memory: { fixed: number; perSample: number } | null;
  /** Bytes a run may use (from SessionOptions.memoryBudget). */
  memoryBudget: number | null;
}

/** A batch in NHWC with its shape (batch first). */
export interface Batch {
  data: Float32Array;
  shape: number[];
}

const checkOptions = (o: SessionOptions): void => {
  if (o.threads !== undefined && !(Number.isInteger(o.threads) && o.threads > 0)) throw new UsageError(messages.badThreads(o.threads));
  if (o.optimizationLevel !== undefined && !OPTIMIZATION_LEVELS.includes(o.optimizationLevel)) {
    throw new UsageError(messages.badLevel(o.optimizationLevel, OPTIMIZATION_LEVELS));
  }
};

/** ORT session options from convlab's. */
function ortOptions(o: SessionOptions): InferenceSession.SessionOptions {
  const opts: InferenceSession.SessionOptions = {
    graphOptimizationLevel: o.optimizationLevel ?? 'all',
    executionMode: 'sequential',
    interOpNumThreads: 1,
    logSeverityLevel: 3,
  };
  if (o.threads !== undefined) opts.intraOpNumThreads = o.threads;
  if (o.optimizedBytes) opts.graphOptimizationLevel = 'disabled';
  else if (o.saveOptimizedTo) opts.optimizedModelFilePath = o.saveOptimizedTo;
  if (o.profile) {
    opts.enableProfiling = true;
    if (o.profileFilePrefix) opts.profileFilePrefix = o.profileFilePrefix;
  }
  return opts;
}

/** What a session needs to know about a model, from a graph or from ONNX bytes. */
interface Prepared {
  bytes: Uint8Array;
  graph: Graph | null;
  owners: Map<string, string>;
  meta: Record<string, unknown>;
}

function fromGraph(graph: Graph, o: SessionOptions): Prepared {
  const ex: OnnxExport = exportModel(graph, o.export);
  return { bytes: encodeModel(ex.model), graph: ex.graph, owners: ex.owners, meta: ex.graph.spec.meta ?? {} };
}

/**
 * The convlab node an ONNX node belongs to: itself when the graph has that name, else the
 * nearest `/`-prefix the graph knows (convlab names helpers `conv1/relu`), else its own name.
 */
export function ownerOf(name: string, known: ReadonlySet<string>): string {
  for (let cut = name; ; cut = cut.slice(0, cut.lastIndexOf('/'))) {
    if (known.has(cut)) return cut;
    if (!cut.includes('/')) return name;
  }
}

function fromBytes(bytes: Uint8Array, label: string, graph: Graph | null): Prepared {
  const outline = outlineModel(bytes, label);
  const known = new Set(graph ? [...graph.shapes.keys()] : []);
  const owners = new Map<string, string>();
  for (const name of outline.nodeNames) owners.set(name, ownerOf(name, known));
  let meta: Record<string, unknown> = {};
  const text = outline.metadata[META_KEYS.meta];
  if (text) {
    // Metadata is advisory (preprocessing, class names): a model whose metadata does not parse still runs.
    try {
      meta = JSON.parse(text) as Record<string, unknown>;
    } catch {
      meta = {};
    }
  }
  return { bytes, graph, owners, meta };
}

/**
 * Opens a session on a graph (exported on the fly) or ONNX bytes. `graph` may accompany bytes
 * when the model's graph is known (an imported or exported file), for MACs and memory checks.
 */
export async function openSession(
  ort: OrtModule, source: Graph | Uint8Array, options: SessionOptions = {}, graph: Graph | null = null,
): Promise<Session> {
  checkOptions(options);
  const label = options.label ?? (source instanceof Uint8Array ? 'model' : source.name);
  const prepared = source instanceof Uint8Array ? fromBytes(source, label, graph) : fromGraph(source, options);
  let inner: InferenceSession;
  try {
    inner = await ort.InferenceSession.create(options.optimizedBytes ?? prepared.bytes, ortOptions(options));
  } catch (e) {
    throw new RuntimeError(messages.ortLoad(label, firstLine(e)));
  }
  const inputs = inner.inputNames.map((name, i) => {
    const meta = inner.inputMetadata[i];
    const dims = meta && meta.isTensor ? meta.shape.slice(1) : [];
    return { name, shape: dims.map((d) => (typeof d === 'number' && d > 0 ? d : null)) };
  });
  let memory: Session['memory'] = null;
  if (prepared.graph) {
    const t = analyze(prepared.graph).totals;
    memory = { fixed: t.paramBytes, perSample: t.inferencePeakBytes };
  }
  return {
    ort, inner, label, inputs, outputNames: [...inner.outputNames],
    threads: options.threads ?? null, optimizationLevel: options.optimizationLevel ?? 'all',
    graph: prepared.graph, owners: prepared.owners, meta: prepared.meta, bytes: prepared.bytes, memory,
    memoryBudget: options.memoryBudget ?? null,
  };
}

const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0]!.trim();

/**
 * Refuses a batch whose estimated memory exceeds the budget, before anything is allocated. With
 * the graph the estimate is weights + batch × live activations; without it, the model file plus
 * the input batch, a lower bound.
 */
export function checkBatchMemory(session: Session, batch: number): void {
  const budget = session.memoryBudget;
  if (budget === null) return;
  const inputBytes = session.inputs.reduce((s, i) => s + 4 * numel(i.shape.map((d) => d ?? 1)), 0);
  const fixed = session.memory?.fixed ?? session.bytes.length;
  const perSample = session.memory?.perSample ?? inputBytes;
  const need = fixed + batch * perSample;
  if (need > budget) throw new RuntimeError(messages.batchTooLarge(batch, need, budget, perSample, fixed));
}

/** Checks a batch against an input's per-sample shape; returns the batch size. */
export function checkBatch(input: SessionInput, batch: Batch): number {
  const { data, shape } = batch;
  const perSample = input.shape.every((d) => d !== null) ? numel(input.shape as number[]) : null;
  if (shape.length !== input.shape.length + 1 || input.shape.some((d, i) => d !== null && d !== shape[i + 1])) {
    throw new DataError(messages.batchShape(input.name, input.shape, shape));
  }
  const n = shape[0]!;
  if (!(n > 0)) throw new DataError(messages.emptyBatch(input.name));
  if (data.length !== numel(shape)) {
    throw new DataError(messages.batchLength(input.name, perSample ?? data.length / n, data.length));
  }
  return n;
}

/** ORT feeds for a batch (one input) or named batches (several inputs), checked against the model. */
export function makeFeeds(session: Session, batch: Batch | Record<string, Batch>): { feeds: Record<string, Tensor>; n: number } {
  const named: Record<string, Batch> = 'data' in batch && batch.data instanceof Float32Array ? { [session.inputs[0]!.name]: batch as Batch } : (batch as Record<string, Batch>);
  const known = session.inputs.map((i) => i.name);
  for (const name of Object.keys(named)) if (!known.includes(name)) throw new UsageError(messages.unknownInput(name, known));
  const feeds: Record<string, Tensor> = {};
  let n = 0;
  for (const input of session.inputs) {
    const b = named[input.name];
    if (!b) throw new UsageError(messages.missingInput(input.name));
    n = Math.max(n, checkBatch(input, b));
    feeds[input.name] = new session.ort.Tensor('float32', b.data, b.shape);
  }
  return { feeds, n };
}

/** Runs one batch (NHWC, batch first) and returns every output as a plain array with its shape. */
export async function run(session: Session, batch: Batch | Record<string, Batch>): Promise<Record<string, Batch>> {
  const { feeds, n } = makeFeeds(session, batch);
  checkBatchMemory(session, n);
  let result: InferenceSession.OnnxValueMapType;
  try {
    result = await session.inner.run(feeds);
  } catch (e) {
    throw new RuntimeError(messages.ortRun(session.label, n, firstLine(e)));
  }
  const out: Record<string, Batch> = {};
  for (const name of session.outputNames) {
    const t = result[name] as Tensor;
    out[name] = { data: t.data as Float32Array, shape: [...t.dims].map(Number) };
  }
  return out;
}

/** Releases the engine's memory. */
export async function closeSession(session: Session): Promise<void> {
  await session.inner.release();
}
