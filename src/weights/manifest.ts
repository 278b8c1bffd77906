/**
 * The weights manifest of the Keras / TensorFlow.js layers format, the one reader and writer
 * convlab has: structure and path checks (every path stays inside the model's folder), declared
 * sizes, decoding each tensor, binding tensors to a graph's nodes, and packing a graph's weights
 * into one file plus its manifest. Browser-safe: the caller supplies the bytes of each group
 * (files.ts reads them from disk).
 */
import { DataError, SpecError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { fromFloat16Bits } from '../core/half.js';
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
  /** How tfjs stored a float32 (or int32) tensor in fewer bytes: value = q·scale + min for uint8 / uint16, or float16 bits. */
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
      if (!(dtype in DTYPE_BYTES)) throw new SpecError(messages.manifestDtype(file, w.name, dtype, false));
      if (!('quantization' in w)) return { name: w.name, shape: w.shape as number[], dtype };
      return { name: w.name, shape: w.shape as number[], dtype, quantization: checkQuantization(w.quantization, w.name, dtype, file) };
    });
    return { paths: g.paths as string[], weights };
  });
}

/** Checks a weight's quantization as tfjs's decodeWeights does: uint8 / uint16 need min and scale, float16 only stores float32. */
function checkQuantization(raw: unknown, weight: string, dtype: string, file: string): { dtype: string; scale?: number; min?: number } {
  const q = isObj(raw) ? raw : {};
  const qdtype = typeof q.dtype === 'string' ? q.dtype : String(q.dtype);
  if (!(qdtype in QUANTIZED_BYTES)) throw new SpecError(messages.manifestDtype(file, weight, qdtype, true));
  if (qdtype === 'float16') {
    if (dtype !== 'float32') throw new SpecError(messages.manifestQuantization(file, weight, qdtype, dtype, 'float16 quantization only stores float32 weights'));
    return { dtype: qdtype };
  }
  for (const key of ['min', 'scale'] as const) {
    if (typeof q[key] !== 'number' || !Number.isFinite(q[key])) {
      throw new SpecError(messages.manifestQuantization(file, weight, qdtype, dtype, `"${key}" must be a finite number; received ${JSON.stringify(q[key])}`));
    }
  }
  if (dtype === 'bool') throw new SpecError(messages.manifestQuantization(file, weight, qdtype, dtype, 'bool weights are never quantized'));
  return { dtype: qdtype, scale: q.scale as number, min: q.min as number };
}

/** Bytes a group declares: elements × stored bytes per element, summed over its weights. */
export const declaredBytes = (g: ManifestGroup): number => g.weights.reduce((s, w) => s + numel(w.shape) * storedBytes(w), 0);

/** Bytes one stored element of a weight takes. */
const storedBytes = (w: ManifestWeight): number => (w.quantization ? QUANTIZED_BYTES[w.quantization.dtype]! : DTYPE_BYTES[w.dtype]!);

/** Reads `n` stored values of a weight from `view` at `offset`, dequantized to float32 as tfjs's decodeWeights does. */
function decodeValues(w: ManifestWeight, view: DataView, offset: number, n: number): Float32Array {
  const data = new Float32Array(n);
  const q = w.quantization;
  if (q?.dtype === 'float16') {
    for (let i = 0; i < n; i++) data[i] = fromFloat16Bits(view.getUint16(offset + 2 * i, true));
  } else if (q) {
    const wide = q.dtype === 'uint16';
    // tfjs rounds dequantized int32 weights back to integers.
    const round = w.dtype === 'int32' ? Math.round : (x: number) => x;
    for (let i = 0; i < n; i++) data[i] = round((wide ? view.getUint16(offset + 2 * i, true) : view.getUint8(offset + i)) * q.scale! + q.min!);
  } else if (w.dtype === 'int32') {
    for (let i = 0; i < n; i++) data[i] = view.getInt32(offset + 4 * i, true);
  } else if (w.dtype === 'bool') {
    for (let i = 0; i < n; i++) data[i] = view.getUint8(offset + i);
  } else {
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(offset + 4 * i, true);
  }
  return data;
}

/**
 * Slices each group's bytes into named float32 tensors; sizes must match. Every dtype tfjs writes
 * is read: float32, int32 and bool as stored, uint8 / uint16 (q·scale + min) and float16 dequantized.
 */
export function decodeWeights(groups: ManifestGroup[], bytes: Uint8Array[], file: string): Map<string, StoredTensor> {
  const out = new Map<string, StoredTensor>();
  groups.forEach((g, gi) => {
    const buf = bytes[gi]!;
    const want = declaredBytes(g);
    if (buf.byteLength !== want) throw new DataError(messages.weightsBytes(file, g.paths, buf.byteLength, want));
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let offset = 0;
    for (const w of g.weights) {
      const n = numel(w.shape);
      out.set(w.name, { shape: w.shape, data: decodeValues(w, view, offset, n) });
      offset += n * storedBytes(w);
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
