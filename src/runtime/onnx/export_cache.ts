/**
 * ONNX files exported with loaded weights, kept on disk so the next run opens the file instead of
 * reading the weights file and exporting again (`predict resnet50 --weights imagenet` then skips
 * 98 MB of HDF5 and the export). The key is a SHA-256 over the graph spec, the identity of the
 * weights and how they were bound, and the exporter's own code, so a change to any of them
 * exports again. Beside each file ORT's optimized form of it may be kept for this machine, so the
 * next session skips the graph optimizer too. Files are written atomically, the note last, so a
 * note always names a whole file; a cache that cannot be written is skipped, and old entries go
 * beyond EXPORT_CACHE_BYTES.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, makeFolder } from '../../core/folders.js';
import { writeOutput } from '../../core/output.js';
import type { GraphSpec } from '../../graph/types.js';

/** The default folder: `$CONVLAB_CACHE/onnx`, else `~/.cache/convlab/onnx` (XDG_CACHE_HOME honoured). */
export const exportCacheDir = (): string => cacheDir('onnx');

/** Entries beyond this many bytes in total are removed, least recently used first. */
export const EXPORT_CACHE_BYTES = 2 * 1024 ** 3;

let fingerprint: string | undefined;

/** A digest of the code that turns a graph into ONNX bytes: this folder, the ONNX codec and the ops. */
function exporterFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(js|ts)$/.test(e.name)) h.update(e.name).update(readFileSync(path));
    }
  };
  for (const rel of ['./', '../../onnx/', '../../ops/']) walk(fileURLToPath(new URL(rel, import.meta.url)));
  return (fingerprint = h.digest('hex'));
}

/** The key of a graph exported with the weights `weightsId` names (their identity and how they were bound). */
export function exportKey(spec: GraphSpec, weightsId: string): string {
  return createHash('sha256').update(exporterFingerprint()).update(JSON.stringify(spec)).update('\0').update(weightsId).digest('hex');
}

/**
 * Where ORT's optimized form of a cached export is kept. It holds kernels chosen for this CPU (ORT
 * says so as it saves one), so the name carries the engine version and the processor.
 */
export function optimizedCacheFile(key: string, engine: string, dir = exportCacheDir()): string {
  const machine = createHash('sha256').update(`${engine}|${cpus()[0]?.model ?? ''}|${arch()}|${platform()}`).digest('hex').slice(0, 16);
  return join(dir, `${key}.${machine}.ort`);
}

/** A cached export: the ONNX bytes and the note stored with them. */
export interface CachedExport<N> {
  bytes: Uint8Array;
  note: N;
}

interface Stored<N> {
  bytes: number;
  note: N;
}

/** The cached file and its note, or null when absent or not whole. */
export function readExport<N>(key: string, dir = exportCacheDir()): CachedExport<N> | null {
  try {
    const stored = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Stored<N>;
    const file = join(dir, `${key}.onnx`);
    const bytes = new Uint8Array(readFileSync(file));
    if (bytes.length !== stored.bytes) return null;
    // Recently used entries are the last to go.
    const now = new Date();
    utimesSync(file, now, now);
    return { bytes, note: stored.note };
  } catch {
    return null;
  }
}

/** Stores an export under `key`; false when the cache folder cannot be written (the run goes on). */
export function writeExport<N>(key: string, bytes: Uint8Array, note: N, dir = exportCacheDir()): boolean {
  try {
    makeFolder(dir);
    writeOutput(join(dir, `${key}.onnx`), bytes);
    writeOutput(join(dir, `${key}.json`), JSON.stringify({ bytes: bytes.length, note } satisfies Stored<N>));
  } catch {
    return false;
  }
  prune(dir, key);
  return true;
}

/** Removes the least recently used entries (never `keep`), each with its optimized forms, while the folder holds more than EXPORT_CACHE_BYTES. */
function prune(dir: string, keep: string): void {
  try {
    const entries = new Map<string, { files: string[]; size: number; used: number }>();
    for (const f of readdirSync(dir)) {
      const key = f.slice(0, f.indexOf('.'));
      const st = statSync(join(dir, f));
      const e = entries.get(key) ?? { files: [], size: 0, used: 0 };
      e.files.push(f);
      e.size += st.size;
      if (f === `${key}.onnx`) e.used = st.mtimeMs;
      entries.set(key, e);
    }
    let total = 0;
    for (const [key, e] of [...entries].sort((a, b) => b[1].used - a[1].used)) {
      total += e.size;
      if (total <= EXPORT_CACHE_BYTES || key === keep) continue;
      for (const f of e.files) rmSync(join(dir, f), { force: true });
    }
  } catch {
    // Pruning is housekeeping: a folder that cannot be listed is left as it is.
  }
}
