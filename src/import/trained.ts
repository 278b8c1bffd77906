/**
 * Trained model directories read without loading tfjs, so ONNX export, bench and predict can
 * take trained weights cheaply: `model.json` (Keras/tfjs layers format: topology and weights
 * manifest), the weight files it lists, and convlab's `spec.json` beside them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../core/errors.js';
import { checkSpecStructure } from '../graph/graph.js';
import type { GraphSpec } from '../graph/types.js';
import type { WeightMap } from '../weights/init.js';
import { numel } from '../core/numel.js';
import { messages } from '../core/messages.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const SPEC_JSON = 'spec.json';

/** One entry of a weights manifest, as tfjs writes it. */
export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

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

/** model.json parsed, with the bytes of every weight file it lists, in manifest order. */
export interface ModelFiles {
  json: { modelTopology: unknown; format?: string; generatedBy?: string; convertedBy?: string | null; userDefinedMetadata?: Record<string, unknown> };
  specs: ManifestEntry[];
  bytes: Uint8Array;
}

/** Bytes one stored element takes, quantized or not. */
function elementBytes(w: ManifestEntry): number {
  const q = w.quantization?.dtype;
  if (q) return q === 'uint8' ? 1 : 2;
  return w.dtype === 'bool' ? 1 : 4;
}

/** Reads model.json and its weight files, checking that their sizes agree with the manifest. */
export function readModelFiles(dir: string): ModelFiles {
  const file = join(dir, MODEL_JSON);
  if (!existsSync(file)) throw new RuntimeError(messages.notModelDir(dir, MODEL_JSON));
  let json: ModelFiles['json'] & { weightsManifest?: Array<{ paths: string[]; weights: ManifestEntry[] }> };
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RuntimeError(messages.badModelJson(file, (e as Error).message));
  }
  if (typeof json !== 'object' || json === null || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new RuntimeError(messages.badModelJson(file, 'expected "modelTopology" and a "weightsManifest" list'));
  }
  const specs: ManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new RuntimeError(messages.badModelJson(file, 'a weightsManifest entry lacks "paths" or "weights"'));
    specs.push(...group.weights);
    const bytes = group.paths.map((p) => {
      const path = join(dir, p);
      if (!existsSync(path)) throw new RuntimeError(messages.notModelDir(dir, p));
      return new Uint8Array(readFileSync(path));
    });
    const expected = group.weights.reduce((s, w) => s + numel(w.shape) * elementBytes(w), 0);
    const received = bytes.reduce((s, b) => s + b.length, 0);
    if (expected !== received) throw new RuntimeError(messages.weightsSize(join(dir, group.paths.join(' + ')), expected, received));
    parts.push(...bytes);
  }
  const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return { json, specs, bytes: all };
}

/** The convlab spec and metadata stored in a model directory (spec is null for plain Keras/tfjs folders). */
export function readModelInfo(dir: string, files: ModelFiles = readModelFiles(dir)): { spec: GraphSpec | null; meta: TrainedMeta } {
  const meta = ((files.json.userDefinedMetadata as { convlab?: TrainedMeta } | undefined)?.convlab ?? {}) as TrainedMeta;
  const specFile = join(dir, SPEC_JSON);
  if (!existsSync(specFile)) return { spec: null, meta };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(specFile, 'utf8'));
  } catch (e) {
    throw new RuntimeError(messages.badModelJson(specFile, (e as Error).message));
  }
  return { spec: checkSpecStructure(raw), meta };
}

/** A trained model directory as the runtimes take it: spec, weights keyed `node/weight`, metadata. */
export interface TrainedDirectory {
  spec: GraphSpec;
  weights: WeightMap;
  meta: TrainedMeta;
}

/** Reads a directory convlab trained (spec.json required); every weight must be float32. */
export function readTrainedDirectory(dir: string): TrainedDirectory {
  const files = readModelFiles(dir);
  const { spec, meta } = readModelInfo(dir, files);
  if (!spec) throw new RuntimeError(messages.notModelDir(dir, SPEC_JSON));
  const weights: WeightMap = new Map();
  let offset = 0;
  for (const w of files.specs) {
    const size = numel(w.shape);
    if (w.dtype !== 'float32' || w.quantization) throw new RuntimeError(messages.badModelJson(join(dir, MODEL_JSON), `weight ${w.name} is ${w.quantization?.dtype ?? w.dtype}; convlab reads float32 weights`));
    weights.set(w.name, new Float32Array(files.bytes.slice(offset, offset + size * 4).buffer));
    offset += size * 4;
  }
  return { spec, weights, meta };
}
