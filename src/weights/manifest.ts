/**
 * Weights manifests of the layers format: validation (paths confined to the model's folder,
 * declared sizes matching the bytes present) and binding of each tensor to a convlab node.
 * Browser-safe: the caller supplies the bytes of each file.
 */
import { DataError, SpecError } from '../core/errors.js';
import { resolveGraph } from '../graph/graph.js';
import type { GraphSpec } from '../graph/types.js';
import { countedWeights } from '../analysis/analyze.js';
import { numel } from '../core/numel.js';

export interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
}
export interface ManifestGroup {
  paths: string[];
  weights: ManifestWeight[];
}

/** Weights keyed `node/weight` (Keras names: `conv1/kernel`), in Keras layout. */
export type WeightMap = Map<string, Float32Array>;

const DTYPE_BYTES: Record<string, number> = { float32: 4 };
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
  return !decoded.split(/[\\/]+/).some((seg) => seg === '..');
}

/** Checks a weightsManifest's structure and paths; returns it typed. */
export function checkManifest(raw: unknown, file: string): ManifestGroup[] {
  if (!Array.isArray(raw)) throw new SpecError(`${file}: "weightsManifest" must be a list of groups; received ${typeof raw}`);
  return raw.map((g, gi) => {
    if (!isObj(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw new SpecError(`${file}: weightsManifest[${gi}] must have "paths" and "weights" lists`);
    }
    for (const p of g.paths) {
      if (typeof p !== 'string' || !safeRelativePath(p)) {
        throw new SpecError(`${file}: weightsManifest[${gi}].paths names ${JSON.stringify(p)}, which points outside the model's folder`);
      }
    }
    const weights = g.weights.map((w, wi) => {
      if (!isObj(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new SpecError(`${file}: weightsManifest[${gi}].weights[${wi}] needs a name and a shape of non-negative integers`);
      }
      const dtype = typeof w.dtype === 'string' ? w.dtype : 'float32';
      if (!(dtype in DTYPE_BYTES) || 'quantization' in w) {
        throw new SpecError(`${file}: weight ${JSON.stringify(w.name)} has dtype ${JSON.stringify(dtype)}${'quantization' in w ? ' with quantization' : ''}; only unquantized float32 is supported`);
      }
      return { name: w.name, shape: w.shape as number[], dtype };
    });
    return { paths: g.paths as string[], weights };
  });
}

/** Bytes a group declares. */
export const declaredBytes = (g: ManifestGroup): number =>
  g.weights.reduce((s, w) => s + numel(w.shape) * DTYPE_BYTES[w.dtype]!, 0);

/** Slices each group's concatenated bytes into named tensors; sizes must match exactly. */
export function decodeWeights(groups: ManifestGroup[], bytes: Uint8Array[], file: string): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  groups.forEach((g, gi) => {
    const buf = bytes[gi]!;
    const want = declaredBytes(g);
    if (buf.byteLength !== want) {
      throw new DataError(`${file}: weights group ${gi} (${g.paths.join(', ')}) declares ${want} bytes but its files hold ${buf.byteLength}`);
    }
    let offset = 0;
    for (const w of g.weights) {
      const n = numel(w.shape);
      const data = new Float32Array(n);
      new Uint8Array(data.buffer).set(buf.subarray(offset, offset + n * 4));
      out.set(w.name, { shape: w.shape, data });
      offset += n * 4;
    }
  });
  return out;
}

/** Node and weight names of a manifest entry: `model/conv1/kernel:0` → conv1, kernel. */
function splitName(name: string): [string, string] {
  const clean = name.replace(/:\d+$/, '');
  const parts = clean.split('/');
  return [parts.length > 1 ? parts[parts.length - 2]! : '', parts[parts.length - 1]!];
}

/** Matches decoded tensors to the spec's nodes by name, checking each shape against the op's weights. */
export function bindWeights(spec: GraphSpec, tensors: Map<string, { shape: number[]; data: Float32Array }>, file: string): WeightMap {
  const graph = resolveGraph(spec);
  const byKey = new Map<string, { shape: number[]; data: Float32Array; source: string }>();
  for (const [name, t] of tensors) {
    const [node, weight] = splitName(name);
    byKey.set(`${node}/${weight}`, { ...t, source: name });
  }
  const out: WeightMap = new Map();
  for (const node of graph.nodes) {
    const { trainable, nonTrainable } = countedWeights(node, 'keras');
    for (const w of [...trainable, ...nonTrainable]) {
      const key = `${node.name}/${w.name}`;
      const t = byKey.get(key);
      if (!t) throw new DataError(`${file}: no weight for node ${node.name} (${node.op}) ${w.name}; expected a tensor named ${JSON.stringify(key)}`);
      const expected = w.dims.map(([, d]) => d);
      if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
        throw new DataError(`${file}: weight ${JSON.stringify(t.source)} of node ${node.name} has shape ${JSON.stringify(t.shape)}; expected ${JSON.stringify(expected)}`);
      }
      out.set(key, t.data);
    }
  }
  return out;
}
