/**
 * The one resolver of model arguments. Every command that takes a model (summary, explain,
 * compare, chart, export, train, eval, bench, predict) turns its argument into the same
 * `{ label, graph, meta, weights, source }`: a zoo id, a spec .json, an .onnx file (read once:
 * its bytes are kept to run as they are), a Keras / tfjs model.json, a Keras .keras archive or
 * full-model .h5 (architecture and weights), or a model directory
 * (`convlab train` output, or a plain layers model). The graph is resolved exactly once, here.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConvlabError, UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { resolveGraph, type Graph } from '../graph/graph.js';
import { MAX_ONNX_BYTES, readBounded, readSpecFile } from '../import/files.js';
import type { WeightMap } from '../weights/map.js';
import { getEntry, getModel, type ModelMeta, type ModelOptions } from '../zoo/index.js';
import { flagOf } from './options.js';

/** Where a model came from. */
export type ModelSource =
  | { kind: 'zoo'; id: string; entry: ModelMeta }
  | { kind: 'spec'; file: string }
  /** `bytes` is the file as read; `importError` says why convlab has no graph for it (bench and predict still run it). */
  | { kind: 'onnx'; file: string; bytes: Uint8Array; importError: ConvlabError | null }
  | { kind: 'keras'; file: string }
  | { kind: 'trained'; dir: string };

/** A model argument resolved: how the user named it, its graph, metadata, weights and source. */
export interface ResolvedModel<G extends Graph | null = Graph> {
  label: string;
  graph: G;
  /** The model's metadata (spec.meta, with a trained directory's preprocessing and class names). */
  meta: Record<string, unknown>;
  /** Weights the source carries (trained directory, model.json, ONNX file); null means none. */
  weights: WeightMap | null;
  source: ModelSource;
  /** The model exported to ONNX with its loaded weights (withWeightsExported): sessions open these bytes as they are. */
  prepared?: Uint8Array;
  /** Where the engine keeps its optimized form of `prepared` on this machine (createSession's optimizedCache). */
  optimizedCache?: string;
}

const isSpecPath = (arg: string) => /\.json$/i.test(arg) && !/model\.json$/i.test(arg);
const isDirectory = (arg: string) => existsSync(arg) && statSync(arg).isDirectory();

/** Refuses the given options other than `allowed` on a model file (zoo-builder options make no sense there). */
function onlyOptions(arg: string, options: ModelOptions, allowed: readonly string[]): void {
  for (const [key, v] of Object.entries(options)) if (v !== undefined && !allowed.includes(key)) throw new UsageError(messages.modelOptionOnSpec(arg, flagOf(key)));
}

/** Builds a zoo model while recording which options its builder reads; an option it never reads is an error. */
function fromZoo(id: string, options: ModelOptions): ResolvedModel {
  const entry = getEntry(id).meta;
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const read = new Set<string>();
  const tracked = new Proxy(given, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  const spec = getModel(id, tracked);
  for (const key of Object.keys(given)) {
    if (!read.has(key)) throw new UsageError(messages.modelOptionUnread(id, flagOf(key), [...read].map(flagOf)));
  }
  const graph = resolveGraph(spec);
  return { label: id, graph, meta: spec.meta ?? {}, weights: null, source: { kind: 'zoo', id, entry } };
}

/** An ONNX file: read once, its structure imported when convlab can, its bytes kept to run as they are. */
async function fromOnnx(file: string, options: ModelOptions): Promise<ResolvedModel<Graph | null>> {
  const bytes = readBounded(file, MAX_ONNX_BYTES, messages.cannotRead);
  // The importer reads protobuf; loaded only for ONNX files, so zoo ids start fast.
  const { importOnnx } = await import('../import/onnx/import.js');
  try {
    const { graph, spec } = importOnnx(bytes, { source: file, ...(options.input ? { input: options.input } : {}) });
    return { label: file, graph, meta: spec.meta ?? {}, weights: null, source: { kind: 'onnx', file, bytes, importError: null } };
  } catch (e) {
    if (!(e instanceof ConvlabError)) throw e;
    return { label: file, graph: null, meta: {}, weights: null, source: { kind: 'onnx', file, bytes, importError: e } };
  }
}

/** A model directory: convlab's trained output (spec.json beside model.json) or a plain layers model. */
async function fromDirectory(dir: string): Promise<ResolvedModel> {
  const { isTrainedDirectory, readTrainedDirectory } = await import('../import/trained.js');
  if (isTrainedDirectory(dir)) {
    const trained = readTrainedDirectory(dir);
    return { label: dir, graph: trained.graph, meta: trained.graph.spec.meta ?? {}, weights: trained.weights, source: { kind: 'trained', dir } };
  }
  const file = join(dir, 'model.json');
  if (!existsSync(file)) throw new UsageError(messages.trainedDirectory(dir));
  const { importKerasFile } = await import('../import/files.js');
  const imported = importKerasFile(file, { weights: true });
  return { label: dir, graph: imported.graph, meta: imported.spec.meta ?? {}, weights: imported.weights ?? null, source: { kind: 'keras', file } };
}

/** Resolves any model argument; an ONNX file convlab cannot import keeps graph null. */
async function resolveAny(arg: string, options: ModelOptions): Promise<ResolvedModel<Graph | null>> {
  if (isSpecPath(arg)) {
    onlyOptions(arg, options, ['input']);
    const spec = readSpecFile(arg);
    if (options.input) {
      if (spec.inputs.length !== 1) throw new UsageError(messages.inputOnSeveral(arg, spec.inputs.map((i) => i.name)));
      spec.inputs[0]!.shape = [...options.input];
    }
    const graph = resolveGraph(spec);
    return { label: arg, graph, meta: spec.meta ?? {}, weights: null, source: { kind: 'spec', file: arg } };
  }
  if (isDirectory(arg)) {
    onlyOptions(arg, options, []);
    return fromDirectory(arg);
  }
  if (/\.onnx$/i.test(arg)) {
    onlyOptions(arg, options, ['input']);
    return fromOnnx(arg, options);
  }
  if (/model\.json$/i.test(arg)) {
    onlyOptions(arg, options, ['input']);
    const { importKerasFile } = await import('../import/files.js');
    const imported = importKerasFile(arg, { weights: false, ...(options.input ? { input: options.input } : {}) });
    return { label: arg, graph: imported.graph, meta: imported.spec.meta ?? {}, weights: null, source: { kind: 'keras', file: arg } };
  }
  if (/\.(keras|h5|hdf5)$/i.test(arg) && existsSync(arg)) {
    onlyOptions(arg, options, []);
    // A .keras archive or a full-model .h5 carries its architecture; h5wasm loads only for them.
    const { importKerasSaved } = await import('../import/keras_saved.js');
    const saved = await importKerasSaved(arg);
    return { label: arg, graph: saved.graph, meta: saved.spec.meta ?? {}, weights: saved.weights, source: { kind: 'keras', file: arg } };
  }
  if (existsSync(arg) && !/^[a-z0-9_]+$/.test(arg)) throw new UsageError(messages.unrecognizedModelFile(arg));
  return fromZoo(arg, options);
}

/**
 * Resolves a model argument to its graph. For a zoo id every option goes to the builder, and an
 * option the builder never reads is an error; for a spec or model file only `input` applies (it
 * replaces the shape of the single input); a model directory takes none.
 */
export async function resolveModel(arg: string, options: ModelOptions = {}): Promise<ResolvedModel> {
  const m = await resolveAny(arg, options);
  if (m.graph === null) throw (m.source as { importError: ConvlabError }).importError;
  return m as ResolvedModel;
}

/**
 * Resolves a model to run (bench, predict): as resolveModel, except that an .onnx file runs as
 * it is, so it takes no options at all, and one convlab cannot import still resolves (graph null).
 */
export async function resolveRunnable(arg: string, options: ModelOptions = {}): Promise<ResolvedModel<Graph | null>> {
  if (/\.onnx$/i.test(arg)) {
    const given = Object.entries(options).filter(([, v]) => v !== undefined).map(([k]) => flagOf(k));
    if (given.length > 0) throw new UsageError(messages.optionsOnFile(arg, given));
  }
  return resolveAny(arg, options);
}

/** The ONNX bytes a resolved model runs as they are (an .onnx file, or an export with loaded weights), or null when it is exported from its graph. */
export const onnxBytes = (m: ResolvedModel<Graph | null>): Uint8Array | null => m.prepared ?? (m.source.kind === 'onnx' ? m.source.bytes : null);

/** The zoo registry's metadata of a resolved model (family, accuracy, paper), when it is a zoo id. */
export const zooEntry = (m: ResolvedModel<Graph | null>): ModelMeta | undefined => (m.source.kind === 'zoo' ? m.source.entry : undefined);
