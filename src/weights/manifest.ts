/**
 * The weights manifest of the Keras / TensorFlow.js layers format, the one reader and writer
 * convlab has: structure and path checks (every path stays inside the model's folder), declared
 * sizes, decoding each tensor, binding tensors to a graph's nodes, and packing a graph's weights
 * into one file plus its manifest. Browser-safe: the caller supplies the bytes of each group
 * (files.ts reads them from disk).
 */
import { DataError, SpecError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { numel } from '../core/numel.js';
import type { Graph } from '../graph/graph.js';
import { listWeights, weightKey, type WeightMap } from './map.js';

/** Key of spec.meta holding a weights manifest (written by `convlab import --weights`). */
export const WEIGHTS_META_KEY = 'weightsManifest';

/** One tensor of a manifest group, as tfjs writes it. */
export interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** A manifest group: files whose concatenated bytes hold its weights, in order. */
export interface ManifestGroup {
  paths: string[];
  weights: ManifestWeight[];
}

/** A decoded tensor. */
export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}

// Bytes per stored element: the dtypes tfjs writes for layers models, and its quantized forms.
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A manifest path must stay inside the model folder: relative, no `..`, no drive or scheme. */
export function safeRelativePath(p: string): boolean {
  if (p === '' || p.includes('\0') || /^[a-z]+:/i.test(p) || p.startsWith('/') || p.startsWith('\\')) return false;
  let decoded = p;
  try {
    decoded = decodeURIComponent(p);
  } catch {
    return false;
  }
  return !decoded.startsWith('/') && !decoded.startsWith('\\') && !decoded.split(/[\\/]+/).some((seg) => seg === '..');
}

/** Checks a weightsManifest's structure, paths and dtypes; returns it typed. `file` names the model file in messages. */
export function checkManifest(raw: unknown, file: string): ManifestGroup[] {
  if (!Array.isArray(raw)) throw new SpecError(messages.manifestNotList(file, typeof raw));
  return raw.map((g, gi) => {
    if (!isObj(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new SpecError(messages.manifestGroup(file, gi));
    for (const p of g.paths) if (typeof p !== 'string' || !safeRelativePath(p)) throw new SpecError(messages.manifestPath(file, gi, p));
    const weights = g.weights.map((w, wi): ManifestWeight => {
      if (!isObj(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new SpecError(messages.manifestWeight(file, gi, wi));
      }
      const dtype = typeof w.dtype === 'string' ? w.dtype : 'float32';
      const q = isObj(w.quantization) && typeof w.quantization.dtype === 'string' ? { dtype: w.quantization.dtype } : undefined;
      if (!(dtype in DTYPE_BYTES) || ('quantization' in w && !(q && q.dtype in QUANTIZED_BYTES))) {
        throw new SpecError(messages.manifestDtype(file, w.name, dtype, 'quantization' in w));
      }
      return { name: w.name, shape: w.shape as number[], dtype, ...(q ? { quantization: { ...(w.quantization as object), dtype: q.dtype } } : {}) };
    });
    return { paths: g.paths as string[], weights };
  });
}

/** Bytes a group declares: elements × stored bytes per element, summed over its weights. */
export const declaredBytes = (g: ManifestGroup): number =>
  g.weights.reduce((s, w) => s + numel(w.shape) * (w.quantization ? QUANTIZED_BYTES[w.quantization.dtype]! : DTYPE_BYTES[w.dtype]!), 0);

/** Slices each group's bytes into named float32 tensors (int32 ones, a graph model's shapes and axes, converted); sizes must match and no tensor may be quantized. */
export function decodeWeights(groups: ManifestGroup[], bytes: Uint8Array[], file: string): Map<string, StoredTensor> {
  const out = new Map<string, StoredTensor>();
  groups.forEach((g, gi) => {
    const buf = bytes[gi]!;
    const want = declaredBytes(g);
    if (buf.byteLength !== want) throw new DataError(messages.weightsBytes(file, g.paths, buf.byteLength, want));
    let offset = 0;
    for (const w of g.weights) {
      if ((w.dtype !== 'float32' && w.dtype !== 'int32') || w.quantization) throw new SpecError(messages.manifestDtype(file, w.name, w.quantization?.dtype ?? w.dtype, w.quantization !== undefined));
      const n = numel(w.shape);
      const raw = new Uint8Array(n * 4);
      raw.set(buf.subarray(offset, offset + n * 4));
      const data = w.dtype === 'int32' ? Float32Array.from(new Int32Array(raw.buffer)) : new Float32Array(raw.buffer);
      out.set(w.name, { shape: w.shape, data });
      offset += n * 4;
    }
  });
  return out;
}

/** Node and weight names of a stored tensor: `model/conv1/kernel:0` → conv1, kernel. */
function splitName(name: string): [string, string] {
  const parts = name.replace(/:\d+$/, '').split('/');
  return [parts.length > 1 ? parts[parts.length - 2]! : '', parts[parts.length - 1]!];
}

/**
 * Matches decoded tensors to the graph's weights by `node/weight` name (a stored name may carry
 * a prefix and a `:0` suffix, as Keras writes them), checking each shape. Extra tensors are ignored.
 */
export function bindWeights(graph: Graph, tensors: Map<string, StoredTensor>, file: string): WeightMap {
  const byKey = new Map<string, StoredTensor & { source: string }>();
  for (const [name, t] of tensors) {
    const [node, weight] = splitName(name);
    byKey.set(weightKey(node, weight), { ...t, source: name });
  }
  const ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
  const out: WeightMap = new Map();
  for (const e of listWeights(graph)) {
    const t = byKey.get(e.key);
    if (!t) throw new DataError(messages.noWeightFor(file, e.node, ops.get(e.node)!, e.spec.name, e.key));
    if (t.shape.length !== e.shape.length || t.shape.some((d, i) => d !== e.shape[i])) {
      throw new DataError(messages.storedWeightShape(file, t.source, e.node, t.shape, e.shape));
    }
    out.set(e.key, t.data);
  }
  return out;
}

/**
 * Lays out a graph's weights as one little-endian float32 file plus the manifest naming each
 * tensor `node/weight` with its Keras shape: what model.json weights look like, so the readers
 * above read it back.
 */
export function packWeights(graph: Graph, weights: WeightMap, file: string): { bytes: Uint8Array; manifest: ManifestGroup[] } {
  const entries = listWeights(graph);
  const bytes = new Uint8Array(entries.reduce((s, e) => s + e.size, 0) * 4);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const e of entries) {
    const w = weights.get(e.key);
    if (!w || w.length !== e.size) throw new DataError(messages.packedWeightSize(e.key, e.size, w?.length));
    for (let i = 0; i < w.length; i++) view.setFloat32((at + i) * 4, w[i]!, true);
    at += w.length;
  }
  return { bytes, manifest: [{ paths: [file], weights: entries.map((e) => ({ name: e.key, shape: e.shape, dtype: 'float32' })) }] };
}
