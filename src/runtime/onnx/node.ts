/**
 * The Node edge of the ONNX runtime: onnxruntime-node, model files, the memory budget from the
 * machine, and ORT's profile files. Everything else lives in browser-safe modules.
 */
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { UsageError } from '../../core/errors.js';
import type { Graph } from '../../graph/graph.js';
import { parseProfile, type NodeTime } from './profile.js';
import { openSession, type OrtModule, type Session, type SessionOptions } from './session.js';
import { messages } from '../../core/messages.js';

export { run, closeSession, type Session, type SessionOptions, type Batch } from './session.js';

const profileDirs = new WeakMap<Session, string>();

/** The engine behind Node sessions, for reports. */
export function engineInfo(): { name: string; version: string } {
  return { name: 'onnxruntime-node', version: ort.env.versions.node ?? ort.env.versions.common };
}

/** Reads a model file; a missing or unreadable file is a UsageError naming it. */
export function readModelFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(messages.cannotRead(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
}

/** What Node sessions take besides the shared options. */
export interface NodeSessionOptions extends SessionOptions {
  /** The convlab graph of ONNX bytes, when known (MACs and memory checks). */
  graph?: Graph;
  /**
   * A file for ORT's optimized form of the model on this machine (export_cache.ts names it): when
   * present the session opens it with the optimizer off; when absent it is saved as the session opens.
   */
  optimizedCache?: string;
}

/** Opens a session through the optimized-form cache; a cached form ORT cannot open is removed and the model opened afresh. */
async function openCached(bytesOrGraph: Graph | Uint8Array, opts: SessionOptions, graph: Graph | null, cache: string): Promise<Session> {
  let optimized: Uint8Array | undefined;
  try {
    optimized = readFileSync(cache);
  } catch {
    optimized = undefined;
  }
  if (optimized) {
    try {
      return await openSession(ort as unknown as OrtModule, bytesOrGraph, { ...opts, optimizedBytes: optimized }, graph);
    } catch {
      rmSync(cache, { force: true });
    }
  }
  const partial = `${cache}.${process.pid}.part`;
  try {
    const session = await openSession(ort as unknown as OrtModule, bytesOrGraph, { ...opts, saveOptimizedTo: partial }, graph);
    try {
      renameSync(partial, cache);
    } catch {
      // A cache that cannot be written only means the optimizer runs again next time.
    }
    return session;
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * Opens an ONNX Runtime session on a graph, ONNX bytes or an .onnx path, with thread count and
 * optimization level. Runs are limited to the machine's physical memory unless a budget is given.
 */
export async function createSession(source: Graph | Uint8Array | string, options: NodeSessionOptions = {}): Promise<Session> {
  const bytesOrGraph = typeof source === 'string' ? readModelFile(source) : source;
  const { graph = null, optimizedCache, ...shared } = options;
  const opts: SessionOptions = { memoryBudget: totalmem(), ...shared };
  if (typeof source === 'string' && !opts.label) opts.label = source;
  if (optimizedCache && !opts.profile && (opts.optimizationLevel ?? 'all') === 'all') return openCached(bytesOrGraph, opts, graph, optimizedCache);
  let dir: string | undefined;
  if (opts.profile) {
    dir = mkdtempSync(join(tmpdir(), 'convlab-profile-'));
    opts.profileFilePrefix = join(dir, 'ort');
  }
  try {
    const session = await openSession(ort as unknown as OrtModule, bytesOrGraph, opts, graph);
    if (dir) profileDirs.set(session, dir);
    return session;
  } catch (e) {
    if (dir) rmSync(dir, { force: true, recursive: true });
    throw e;
  }
}

/** Ends ORT's profiling for a session opened with `profile: true` and returns time per ONNX node. */
export function collectProfile(session: Session): NodeTime[] {
  const dir = profileDirs.get(session);
  if (!dir) throw new UsageError(messages.notProfiled());
  session.inner.endProfiling();
  try {
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) throw new UsageError(messages.noProfile(dir));
    return parseProfile(readFileSync(join(dir, file), 'utf8'), file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    profileDirs.delete(session);
  }
}
