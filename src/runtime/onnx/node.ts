/**
 * The Node edge of the ONNX runtime: onnxruntime-node, model files, the memory budget from the
 * machine, and ORT's profile files. Everything else lives in browser-safe modules.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * Opens an ONNX Runtime session on a graph, ONNX bytes or an .onnx path, with thread count and
 * optimization level. Runs are limited to the machine's physical memory unless a budget is given.
 */
export async function createSession(
  source: Graph | Uint8Array | string, options: SessionOptions & { graph?: Graph } = {},
): Promise<Session> {
  const bytesOrGraph = typeof source === 'string' ? readModelFile(source) : source;
  const opts: SessionOptions = { memoryBudget: totalmem(), ...options };
  if (typeof source === 'string' && !opts.label) opts.label = source;
  let dir: string | undefined;
  if (opts.profile) {
    dir = mkdtempSync(join(tmpdir(), 'convlab-profile-'));
    opts.profileFilePrefix = join(dir, 'ort');
  }
  try {
    const session = await openSession(ort as unknown as OrtModule, bytesOrGraph, opts, options.graph ?? null);
    if (dir) profileDirs.set(session, dir);
    return session;
  } catch (e) {
    if (dir) rmSync(dir, { recursive: true, force: true });
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
