/**
 * One entry for every model file convlab reads: `importModel(path | bytes)` dispatches on the
 * file (ONNX protobuf, or a Keras / TensorFlow.js model.json) and returns a spec, plus weights
 * in Keras layout when asked. Node-side: paths are read here within a size bound.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError, SpecError, UsageError } from '../core/errors.js';
import type { GraphSpec, Shape } from '../graph/types.js';
import { importKerasFile, type ImportedModel } from './files.js';
import { kerasToSpec } from './keras.js';
import { importOnnx, WEIGHTS_META_KEY } from './onnx/import.js';
import { checkWeights, listWeights } from '../weights/init.js';
import { checkManifest, declaredBytes, decodeWeights, type WeightMap } from '../weights/manifest.js';
import { messages } from '../core/messages.js';

export { importOnnx, SUPPORTED_OPS, WEIGHTS_META_KEY, type OnnxImportOptions } from './onnx/import.js';
export { importKerasFile, type ImportedModel } from './files.js';
export { kerasToSpec } from './keras.js';
export type { WeightMap } from '../weights/manifest.js';

/** Largest ONNX file read: protobuf messages cannot exceed 2 GiB. */
export const MAX_ONNX_BYTES = 2 ** 31 - 1;

export interface ImportOptions {
  /** Also read the weights (Keras layout, keyed `node/weight`). */
  weights?: boolean;
  /** Replaces the single input's shape (NHWC without batch): free ONNX dimensions, other sizes. */
  input?: Shape;
  /** Names the source in messages when bytes are given. */
  source?: string;
}

/** The kind of model file a path names, from its name. */
export function modelFileKind(path: string): 'onnx' | 'keras' | undefined {
  if (/\.onnx$/i.test(path)) return 'onnx';
  if (/model\.json$/i.test(path)) return 'keras';
  return undefined;
}

function readBounded(path: string, limit: number): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UsageError(messages.fileUnreadable(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  if (size > limit) throw new DataError(messages.fileTooLarge(path, size, limit));
  return readFileSync(path);
}

/** Applies an input override to a spec with one input. */
function withInput(spec: GraphSpec, input: Shape | undefined, source: string): GraphSpec {
  if (!input) return spec;
  if (spec.inputs.length !== 1) throw new UsageError(messages.inputOverride(source, spec.inputs.length));
  spec.inputs[0]!.shape = [...input];
  return spec;
}

/** The first non-blank byte is `{`: JSON, not protobuf (whose first byte is a field tag). */
const looksLikeJson = (b: Uint8Array): boolean => {
  for (const x of b.subarray(0, 64)) if (x !== 0x20 && x !== 0x0a && x !== 0x0d && x !== 0x09 && x !== 0xef && x !== 0xbb && x !== 0xbf) return x === 0x7b;
  return false;
};

/**
 * Imports a model file (.onnx or model.json) or its bytes. Bytes of a model.json carry no
 * weights (they live in files beside it), so `weights` needs a path for that format.
 */
export function importModel(pathOrBytes: string | Uint8Array, o: ImportOptions = {}): ImportedModel {
  if (typeof pathOrBytes === 'string') {
    const kind = modelFileKind(pathOrBytes);
    if (kind === 'keras') {
      const model = importKerasFile(pathOrBytes, { weights: o.weights ?? false });
      return { ...model, spec: withInput(model.spec, o.input, pathOrBytes) };
    }
    if (kind !== 'onnx') throw new UsageError(messages.notOnnx(pathOrBytes));
    return importOnnx(readBounded(pathOrBytes, MAX_ONNX_BYTES), { source: pathOrBytes, weights: o.weights ?? false, ...(o.input ? { input: o.input } : {}) });
  }
  const source = o.source ?? 'model';
  if (!looksLikeJson(pathOrBytes)) return importOnnx(pathOrBytes, { source, weights: o.weights ?? false, ...(o.input ? { input: o.input } : {}) });
  if (o.weights) throw new UsageError(messages.jsonWeightsNeedPath(source));
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(pathOrBytes));
  } catch (e) {
    throw new SpecError(messages.notJson(source, (e as Error).message));
  }
  return { spec: withInput(kerasToSpec(json, source), o.input, source) };
}


/** A TensorFlow.js weights manifest group. */
export interface ManifestEntry {
  paths: string[];
  weights: Array<{ name: string; shape: number[]; dtype: 'float32' }>;
}

/**
 * Lays out a graph's weights as one little-endian float32 file plus the TensorFlow.js weights
 * manifest naming each tensor `node/weight` with its Keras shape: the format of model.json
 * weights, which `unpackWeights` and the Keras importer read back.
 */
export function packWeights(spec: GraphSpec, weights: WeightMap, file: string): { bytes: Uint8Array; manifest: ManifestEntry[] } {
  const entries = listWeights(spec);
  const total = entries.reduce((s, e) => s + e.size, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const e of entries) {
    const w = weights.get(e.key);
    if (!w || w.length !== e.size) throw new DataError(`weights: ${e.key} should hold ${e.size} values; ${w ? `it holds ${w.length}` : 'it is missing'}`);
    for (let i = 0; i < w.length; i++) view.setFloat32((at + i) * 4, w[i]!, true);
    at += w.length;
  }
  return { bytes, manifest: [{ paths: [file], weights: entries.map((e) => ({ name: e.key, shape: e.shape, dtype: 'float32' as const })) }] };
}

/**
 * Reads the weights a spec file names in spec.meta (written by `packWeights`), from files beside
 * it. Sizes are checked against the manifest before any file is read.
 */
export function unpackWeights(spec: GraphSpec, specPath: string): WeightMap {
  const manifest = spec.meta?.[WEIGHTS_META_KEY];
  if (manifest === undefined) throw new DataError(`${specPath}: spec.meta has no "${WEIGHTS_META_KEY}", so it names no weights file`);
  const groups = checkManifest(manifest, specPath);
  const folder = dirname(specPath);
  const bytes = groups.map((g) => {
    const files = g.paths.map((p) => join(folder, decodeURIComponent(p)));
    const want = declaredBytes(g);
    const have = files.reduce((s, f) => {
      try {
        return s + statSync(f).size;
      } catch {
        throw new DataError(`${specPath}: weights file ${f} is missing`);
      }
    }, 0);
    if (have !== want) throw new DataError(`${specPath}: weights files ${g.paths.join(', ')} hold ${have} bytes but the manifest declares ${want}`);
    const parts = files.map((f) => readFileSync(f));
    const all = new Uint8Array(want);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  });
  const tensors = decodeWeights(groups, bytes, specPath);
  const out: WeightMap = new Map([...tensors].map(([k, v]) => [k, v.data]));
  checkWeights(spec, out);
  return out;
}
