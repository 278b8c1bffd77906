/** Resolves a model argument (zoo id, spec.json, model.onnx, Keras model.json, trained directory) to a graph spec. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SpecError, UsageError } from '../core/errors.js';
import { checkSpecStructure } from '../graph/graph.js';
import { messages } from '../core/messages.js';
import type { GraphSpec } from '../graph/types.js';
import type { WeightMap } from '../weights/init.js';
import { getEntry, getModel, type ModelMeta, type ModelOptions } from '../zoo/index.js';
import { flagOf } from './options.js';

/** A model as a command sees it: how the user named it, its spec, and registry metadata for zoo ids. */
export interface LoadedModel {
  label: string;
  spec: GraphSpec;
  meta?: ModelMeta;
  /** Trained weights (Keras layout, `node/weight`) when the argument is a trained model directory. */
  weights?: WeightMap;
}

const isSpecPath = (arg: string) => arg.endsWith('.json') && !arg.endsWith('model.json');

/** A folder written by `convlab train`: model.json, its weights and spec.json. */
export const isTrainedDirectory = (arg: string): boolean =>
  existsSync(arg) && statSync(arg).isDirectory() && existsSync(join(arg, 'spec.json')) && existsSync(join(arg, 'model.json'));

/** Reads a model from a zoo id or a file. Options pass through to zoo builders. */
export async function loadModel(arg: string, options: ModelOptions = {}): Promise<GraphSpec> {
  return (await resolveModel(arg, options)).spec;
}

/**
 * Loads a model with its metadata. For a zoo id every option goes to the builder, and an option
 * the builder never reads is an error; for a spec or model file only `input` applies (it replaces
 * the shape of the single input).
 */
export async function resolveModel(arg: string, options: ModelOptions = {}): Promise<LoadedModel> {
  const given = Object.entries(options).filter(([, v]) => v !== undefined);
  if (isSpecPath(arg)) {
    const spec = readSpecFile(arg);
    for (const [key] of given) if (key !== 'input') throw new UsageError(messages.modelOptionOnSpec(arg, flagOf(key)));
    if (options.input) {
      if (spec.inputs.length !== 1) throw new UsageError(messages.modelOptionOnSpec(arg, '--input (on a spec with several inputs)'));
      spec.inputs[0]!.shape = [...options.input];
    }
    return { label: arg, spec };
  }
  if (isTrainedDirectory(arg)) {
    for (const [key] of given) throw new UsageError(messages.modelOptionOnSpec(arg, flagOf(key)));
    // Reads model.json, weights.bin and spec.json without loading tfjs.
    const { readTrainedDirectory } = await import('../import/trained.js');
    const trained = readTrainedDirectory(arg);
    const spec = { ...trained.spec, meta: { ...(trained.spec.meta ?? {}), ...trained.meta } };
    return { label: arg, spec, weights: trained.weights };
  }
  if (/\.onnx$/i.test(arg) || arg.endsWith('model.json')) {
    for (const [key] of given) if (key !== 'input') throw new UsageError(messages.modelOptionOnSpec(arg, flagOf(key)));
    // The importer reads protobuf; loaded only for model files, so zoo ids start fast.
    const { importModel } = await import('../import/index.js');
    return { label: arg, spec: importModel(arg, options.input ? { input: options.input } : {}).spec };
  }
  if (existsSync(arg) && !/^[a-z0-9_]+$/.test(arg)) throw new UsageError(messages.unrecognizedModelFile(arg));
  const meta = getEntry(arg).meta;
  const { spec, read } = buildTracked(arg, Object.fromEntries(given));
  for (const [key] of given) {
    if (!read.has(key)) throw new UsageError(messages.modelOptionUnread(arg, flagOf(key), [...read].map(flagOf)));
  }
  return { label: arg, spec, meta };
}

/** Builds a zoo model while recording which options its builder reads. */
function buildTracked(id: string, options: ModelOptions): { spec: GraphSpec; read: Set<string> } {
  const read = new Set<string>();
  const tracked = new Proxy(options, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  return { spec: getModel(id, tracked), read };
}

/** Reads and structurally checks a spec JSON file. */
export function readSpecFile(path: string): GraphSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(messages.fileUnreadable(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SpecError(messages.notJson(path, (e as Error).message));
  }
  return checkSpecStructure(raw);
}
