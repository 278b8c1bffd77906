/**
 * The feature cache: what a frozen base computed for every image of a split, on disk, so the
 * next run with the same base, weights, data and preprocessing skips the base entirely. The key
 * is a SHA-256 over all four (the base's nodes, every base weight's bytes, every pixel and label,
 * the recipe and input size), so changing any of them computes the features again. Files are
 * written atomically; a damaged file is computed again, never trusted.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabeledSet } from '../../data/types.js';
import type { Graph } from '../../graph/graph.js';
import { listWeights, type WeightMap } from '../../weights/map.js';
import { cacheDir, makeFolder } from '../../core/folders.js';
import { writeOutput } from '../../core/output.js';

const MAGIC = 'CLFEAT01';
/** Bumped when the file layout or what the key covers changes. */
const VERSION = 1;

/** The default cache folder: `$CONVLAB_CACHE/features`, else `$XDG_CACHE_HOME/convlab/features`, else `~/.cache/convlab/features`. */
export const defaultCacheDir = (): string => cacheDir('features');

const bytesOf = (a: Float32Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The cache key of a base run over a split: base graph, its weights, the raw split and how it was prepared. */
export function featureKey(base: Graph, weights: WeightMap, raw: LabeledSet, recipe: unknown): string {
  const h = createHash('sha256');
  const { spec } = base;
  h.update(JSON.stringify({ version: VERSION, inputs: spec.inputs, nodes: spec.nodes, outputs: spec.outputs, recipe, shape: raw.shape, count: raw.count }));
  for (const entry of listWeights(base)) {
    h.update(entry.key);
    h.update(bytesOf(weights.get(entry.key)!));
  }
  h.update(bytesOf(raw.images));
  h.update(bytesOf(raw.labels));
  return h.digest('hex');
}

/** The cache file of a key. */
export const featureFile = (dir: string, key: string): string => join(dir, `${key}.features`);

/** Header of a cache file. */
interface Header {
  key: string;
  count: number;
  shape: number[];
}

/**
 * Reads cached features: the values, null when there is no file, or the reason a file cannot be
 * used (wrong magic, another key, wrong size).
 */
export function readFeatures(file: string, key: string, count: number, perSample: number): Float32Array | null | string {
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  if (bytes.length < 12 || bytes.subarray(0, 8).toString('latin1') !== MAGIC) return `not a convlab feature file (no ${MAGIC} at byte offset 0)`;
  const headerLength = bytes.readUInt32LE(8);
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as Header;
  } catch {
    return `unreadable header at byte offset 12`;
  }
  if (header.key !== key) return `made for key ${String(header.key).slice(0, 12)}…`;
  const start = 12 + headerLength;
  const expected = count * perSample * 4;
  if (header.count !== count || bytes.length - start !== expected) return `expected ${expected} bytes of features from byte offset ${start}; the file holds ${bytes.length - start}`;
  // Copy out so the values are aligned whatever the header length.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + expected));
}

/** Writes features atomically (temporary file, fsync, rename). */
export function writeFeatures(file: string, key: string, shape: number[], features: Float32Array): void {
  const count = features.length / shape.reduce((a, b) => a * b, 1);
  const header = Buffer.from(JSON.stringify({ key, count, shape } satisfies Header), 'utf8');
  const out = new Uint8Array(12 + header.length + features.byteLength);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  out.set(bytesOf(features), 12 + header.length);
  makeFolder(dirname(file));
  writeOutput(file, out);
}
