/**
 * `--weights imagenet | PATH | URL` on Node: where Keras caches published weights
 * (`$KERAS_HOME/models`, else `~/.keras/models`, so files Keras downloaded are reused and the
 * other way round), fetching them with the project's resumable downloader (MD5 checked before the
 * file enters the cache), and loading any Keras weights file onto a graph.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { writeOutput } from '../core/output.js';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { downloadUrl, rawDigests, type UrlFile, type UrlProgress } from '../data/download.js';
import { RuntimeError, UsageError } from '../core/errors.js';
import type { Graph } from '../graph/graph.js';
import type { Shape } from '../graph/types.js';
import type { WeightMap } from './map.js';
import type { ModelOptions } from '../zoo/registry.js';
import { imagenetWeights, type PublishedWeights } from './imagenet.js';
import { IMAGENET_CLASSES } from './imagenet_classes.js';
import { loadKerasWeights } from './keras_files.js';
import type { BindResult, MatchRule } from './keras_bind.js';
import { messages } from '../core/messages.js';

/** Where Keras keeps downloaded models: `$KERAS_HOME/models`, else `~/.keras/models`. */
export function kerasModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.KERAS_HOME && env.KERAS_HOME !== '' ? env.KERAS_HOME.replace(/^~(?=$|\/)/, homedir()) : join(homedir(), '.keras');
  return join(home, 'models');
}

/** How to fetch: progress, warnings, cancellation, retries, and the cache folder (default kerasModelsDir()). */
export interface FetchOptions {
  onProgress?: (p: UrlProgress & { file: string }) => void;
  /** Told when a cached file's MD5 differs from the published one (it is used as it is). */
  onWarning?: (text: string) => void;
  signal?: AbortSignal;
  retries?: number;
  idleTimeoutMs?: number;
  modelsDir?: string;
}

/** What `--weights` names. */
export type WeightsSource = { kind: 'imagenet' } | { kind: 'url'; url: string } | { kind: 'file'; path: string };

/** Reads a `--weights` value: `imagenet`, an http(s) URL, or a file that exists. */
export function weightsSource(arg: string): WeightsSource {
  if (arg === 'imagenet') return { kind: 'imagenet' };
  if (/^https?:\/\//i.test(arg)) return { kind: 'url', url: arg };
  if (existsSync(arg)) return { kind: 'file', path: arg };
  throw new UsageError(messages.weightsSource(arg));
}

/** convlab's record of the digests of cached files, so a file is hashed once, not at every start. */
const MEMO = '.convlab-digests.json';
type Memo = Record<string, { size: number; mtimeMs: number; md5: string; sha256: string }>;

/** The digests of a cached file, from the record when its size and time are unchanged. */
async function cachedDigests(dir: string, file: string): Promise<{ md5: string; sha256: string; bytes: number }> {
  const memoPath = join(dir, MEMO);
  let memo: Memo = {};
  try {
    memo = JSON.parse(readFileSync(memoPath, 'utf8')) as Memo;
  } catch {
    memo = {};
  }
  const st = statSync(join(dir, file));
  const known = memo[file];
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return { md5: known.md5, sha256: known.sha256, bytes: st.size };
  const d = await rawDigests(join(dir, file));
  memo[file] = { size: st.size, mtimeMs: st.mtimeMs, ...d };
  try {
    // Through the one writer: a process reading the record never sees half of it.
    writeOutput(memoPath, JSON.stringify(memo));
  } catch {
    // A read-only cache still works; the file is hashed again next time.
  }
  return { ...d, bytes: st.size };
}

/**
 * Fetches a file into the Keras cache, or takes the one there. A cached file whose MD5 differs
 * from the published one is used with a warning (Keras would download it again; it may be a
 * file the user placed by hand); a network failure names the URL and where to put the file.
 */
async function fetchInto(url: string, file: string, md5: string | null, o: FetchOptions): Promise<UrlFile> {
  const dir = o.modelsDir ?? kerasModelsDir();
  const path = join(dir, file);
  if (existsSync(path)) {
    const d = await cachedDigests(dir, file);
    if (md5 !== null && d.md5 !== md5) o.onWarning?.(messages.cachedMismatch(path, md5, d.md5));
    o.onProgress?.({ phase: 'done', bytes: d.bytes, status: 'present', file });
    return { path, status: 'present', bytes: d.bytes, md5: d.md5, sha256: d.sha256 };
  }
  try {
    return await downloadUrl({
      url, path, md5,
      ...(o.onProgress ? { onProgress: (p: UrlProgress) => o.onProgress!({ ...p, file }) } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.retries !== undefined ? { retries: o.retries } : {}),
      ...(o.idleTimeoutMs !== undefined ? { idleTimeoutMs: o.idleTimeoutMs } : {}),
    });
  } catch (e) {
    if (e instanceof RuntimeError && !o.signal?.aborted) throw new RuntimeError(messages.weightsOffline(url, path, e.message));
    throw e;
  }
}

/** Fetches Keras' published file into the cache (or finds it there), MD5 checked when Keras publishes one. */
export const fetchPublished = (w: PublishedWeights, o: FetchOptions = {}): Promise<UrlFile> => fetchInto(w.url, w.file, w.md5, o);

/** Fetches a weights file from any URL into the cache under its own name; it has no published MD5. */
export function fetchUrl(url: string, o: FetchOptions = {}): Promise<UrlFile> {
  const name = basename(new URL(url).pathname);
  if (name === '' || name === '.' || name === '..') throw new UsageError(messages.weightsSource(url));
  return fetchInto(url, name, null, o);
}

/** Weights loaded for a graph, and what the model's metadata should say about them. */
export interface LoadedWeights extends BindResult {
  /** Where they came from: `imagenet`, a path or a URL. */
  source: string;
  /** The file read, and its digests when it was fetched. */
  file: string;
  fetched?: UrlFile;
  published?: PublishedWeights;
  /** ImageNet class names when the weights carry the 1000-class top. */
  classNames?: readonly string[];
}

/** What loadWeights needs to know about the model besides its graph. */
export interface WeightsTarget {
  graph: Graph;
  /** The zoo id and its builder options, for `imagenet`. */
  zoo?: { id: string; options: ModelOptions; defaultInput: Shape };
  match?: MatchRule;
}

/** Keras' EfficientNet rescales by 1/sqrt(std) after Normalization with these weights; the factor folds into the variance. */
function foldVariance(graph: Graph, weights: WeightMap, std: readonly number[]): void {
  for (const n of graph.nodes) {
    if (n.op !== 'Normalization') continue;
    const v = weights.get(`${n.name}/variance`);
    if (v) weights.set(`${n.name}/variance`, v.map((x, i) => x * std[i % std.length]!));
  }
}

/** A weights file found (fetched into the cache, or named by path), before anything is read from it. */
export interface LocatedWeights {
  /** Where they came from: `imagenet`, a path or a URL. */
  source: string;
  file: string;
  fetched?: UrlFile;
  published?: PublishedWeights;
  classNames?: readonly string[];
  /** What makes the weights these weights without reading them: the digest of a cached file, else path, size and time. */
  identity: string;
  /** How they are bound: a headless model skips the head layers a full file holds, as Keras' notop files leave them out. */
  bind: { skipExtra: boolean; match?: MatchRule };
}

/** Finds `--weights` for a graph: `imagenet` fetches Keras' published file for the zoo id, a URL is fetched into the cache, a path is taken as it is. */
export async function locateWeights(arg: string, t: WeightsTarget, o: FetchOptions = {}): Promise<LocatedWeights> {
  const src = weightsSource(arg);
  const headless = t.zoo?.options.includeTop === false;
  const bind = { skipExtra: headless, ...(t.match ? { match: t.match } : {}) };
  if (src.kind === 'imagenet') {
    if (!t.zoo) throw new UsageError(messages.weightsNeedZoo(t.graph.name));
    const published = imagenetWeights(t.zoo.id, t.zoo.options, t.zoo.defaultInput);
    const fetched = await fetchPublished(published, o);
    return { source: 'imagenet', file: fetched.path, fetched, published, ...(headless ? {} : { classNames: IMAGENET_CLASSES }), identity: `sha256:${fetched.sha256}`, bind };
  }
  if (src.kind === 'url') {
    const fetched = await fetchUrl(src.url, o);
    return { source: src.url, file: fetched.path, fetched, identity: `sha256:${fetched.sha256}`, bind };
  }
  const st = statSync(src.path);
  return { source: src.path, file: src.path, identity: `file:${realpathSync(src.path)}:${st.size}:${st.mtimeMs}`, bind };
}

/** Reads a located weights file and binds it to the graph. */
export async function bindLocated(l: LocatedWeights, graph: Graph): Promise<LoadedWeights> {
  const r = await loadKerasWeights(graph, l.file, l.bind);
  if (l.published?.varianceTimesStd) foldVariance(graph, r.weights, l.published.varianceTimesStd);
  const { identity: _, bind: __, ...where } = l;
  return { ...r, ...where };
}

/** Loads `--weights` for a graph: locateWeights, then bindLocated. */
export async function loadWeights(arg: string, t: WeightsTarget, o: FetchOptions = {}): Promise<LoadedWeights> {
  return bindLocated(await locateWeights(arg, t, o), t.graph);
}
