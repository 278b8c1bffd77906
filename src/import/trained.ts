/**
 * Trained model directories, read without loading tfjs so ONNX export, bench and predict take
 * trained weights cheaply: `model.json` (Keras / tfjs layers format: topology and weights
 * manifest), the weight files it lists (read by the one manifest reader, src/weights), and
 * convlab's `spec.json` beside them.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { resolveGraph, type Graph } from '../graph/graph.js';
import type { GraphSpec } from '../graph/types.js';
import { readManifestBytes } from '../weights/files.js';
import { bindWeights, checkManifest, decodeWeights, type ManifestGroup, type ManifestWeight } from '../weights/manifest.js';
import type { WeightMap } from '../weights/map.js';
import { readJsonFile, readSpecFile } from './files.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const SPEC_JSON = 'spec.json';

/** What convlab records beside a trained model (under userDefinedMetadata.convlab). */
export interface TrainedMeta {
  dataset?: string;
  classes?: string[];
  /** How pixels became inputs: x·scale, then (x − mean[c]) / std[c] when given, then fitted. */
  preprocessing?: { scale: number; mean: number[] | null; std: number[] | null; fit: 'pad' | 'resize' };
  epochs?: number;
  seed?: number;
  [key: string]: unknown;
}

/** The fields of model.json tfjs reads back. */
export interface LayersModelJson {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: Record<string, unknown>;
}

/** model.json parsed, its manifest checked, and the bytes of each manifest group. */
export interface ModelFiles {
  json: LayersModelJson;
  groups: ManifestGroup[];
  bytes: Uint8Array[];
}

/** A folder written by `convlab train`: model.json and spec.json side by side. */
export const isTrainedDirectory = (path: string): boolean =>
  existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, SPEC_JSON)) && existsSync(join(path, MODEL_JSON));

/** Reads model.json and the weight files it lists (paths kept inside `dir`, sizes checked first). */
export function readModelFiles(dir: string): ModelFiles {
  const file = join(dir, MODEL_JSON);
  if (!existsSync(file)) throw new RuntimeError(messages.notModelDir(dir, MODEL_JSON));
  const json = readJsonFile(file) as Partial<LayersModelJson> & { weightsManifest?: unknown };
  if (typeof json !== 'object' || json === null || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new RuntimeError(messages.badModelJson(file, 'expected "modelTopology" and a "weightsManifest" list'));
  }
  const groups = checkManifest(json.weightsManifest, file);
  return { json: json as LayersModelJson, groups, bytes: readManifestBytes(groups, file) };
}

/** Every tensor of the manifest, in order: what tfjs calls weight specs. */
export const manifestWeights = (files: ModelFiles): ManifestWeight[] => files.groups.flatMap((g) => g.weights);

/** The convlab spec and metadata stored in a model directory (spec is null for plain Keras/tfjs folders). */
export function readModelInfo(dir: string, files: ModelFiles = readModelFiles(dir)): { spec: GraphSpec | null; meta: TrainedMeta } {
  const meta = ((files.json.userDefinedMetadata as { convlab?: TrainedMeta } | undefined)?.convlab ?? {}) as TrainedMeta;
  const specFile = join(dir, SPEC_JSON);
  return { spec: existsSync(specFile) ? readSpecFile(specFile) : null, meta };
}

/**
 * A trained model directory as the runtimes take it: the resolved graph (its spec.meta carries
 * the training metadata: data set, class names, preprocessing), weights keyed `node/weight`, and
 * that metadata on its own.
 */
export interface TrainedDirectory {
  graph: Graph;
  weights: WeightMap;
  meta: TrainedMeta;
}

/** Reads a directory convlab trained (spec.json required); every weight must be float32. */
export function readTrainedDirectory(dir: string): TrainedDirectory {
  const files = readModelFiles(dir);
  const { spec, meta } = readModelInfo(dir, files);
  if (!spec) throw new RuntimeError(messages.notModelDir(dir, SPEC_JSON));
  const graph = resolveGraph({ ...spec, meta: { ...(spec.meta ?? {}), ...meta } });
  const file = join(dir, MODEL_JSON);
  return { graph, weights: bindWeights(graph, decodeWeights(files.groups, files.bytes, file), file), meta };
}
