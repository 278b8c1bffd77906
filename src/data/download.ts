/**
 * Downloads MNIST and Fashion-MNIST with resume and checksums (CIFAR-10 and the digits, each one
 * published file, are unpacked by download_packed.ts; downloadDataset in download_sets.ts picks). Each file streams into
 * `<file>.part` (its origin kept in `<file>.part.json`); an interrupted transfer resumes with an
 * HTTP Range request (If-Range guards against a file that changed meanwhile); the uncompressed
 * content's MD5 must equal the canonical one before the file is renamed into place. Single files
 * (published model weights) take the same path through downloadUrl, checked by their raw MD5.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { makeFolder } from '../core/folders.js';
import { DataError, RuntimeError, UsageError } from '../core/errors.js';
import { SOURCES, type DownloadableName, type IdxSetName, type SourceFile } from './sources.js';
import type { Split } from './types.js';
import { messages } from '../core/messages.js';

/** What happened to one file. */
export type FileStatus = 'downloaded' | 'resumed' | 'present';

/** Progress of one file, reported as bytes arrive and at each phase change. */
export interface DownloadProgress {
  dataset: DownloadableName;
  file: string;
  /** Position of the file in the data set's list, from 0, and the list's length. */
  index: number;
  files: number;
  phase: 'check' | 'download' | 'verify' | 'done';
  /** Bytes of the compressed file on disk, resumed bytes included. */
  bytes: number;
  /** Size of the compressed file when the server told it. */
  total?: number;
  status?: FileStatus;
}

export interface DownloadOptions {
  /** Base URL to fetch from instead of the public mirrors; a file's URL is base + file name. */
  baseUrl?: string;
  /** Only the files of these splits (default both). */
  splits?: readonly Split[];
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Resumed attempts after a dropped connection, per file and source (default 3). */
  retries?: number;
  /** Abort an attempt that receives nothing for this long (default 60 s). */
  idleTimeoutMs?: number;
  /** Remove this data set's files and partial downloads from the folder first, so every file is fetched afresh. */
  fresh?: boolean;
}

export interface DownloadedFile {
  file: string;
  path: string;
  status: FileStatus;
  /** Compressed size on disk. */
  bytes: number;
  /** MD5 of the uncompressed content, equal to the canonical one. */
  md5: string;
  /** Where it came from; absent when it was already present. */
  url?: string;
}

export interface DownloadResult {
  dataset: DownloadableName;
  dir: string;
  files: DownloadedFile[];
}

interface PartMeta {
  url: string;
  validator?: string;
}

/** Errors after which another attempt may resume: dropped connections and stalls. */
const retryable = new WeakSet<Error>();
const mark = (e: Error): Error => {
  retryable.add(e);
  return e;
};

/** The URL of `file` under `base`, which must be http or https. */
export function fileUrl(base: string, file: string): string {
  let url: URL | undefined;
  try {
    url = new URL(file, base.endsWith('/') ? base : `${base}/`);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new UsageError(messages.badBaseUrl(base));
  return url.href;
}

/** MD5 of a file's content, decompressed first when it is gzip; `label` names the file in errors. */
export async function contentMd5(path: string, label = path): Promise<string> {
  const head = await readHead(path);
  const hash = createHash('md5');
  let produced = 0;
  const sink = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      produced += chunk.length;
      hash.update(chunk);
    }
  };
  try {
    if (head[0] === 0x1f && head[1] === 0x8b) await pipeline(createReadStream(path), createGunzip(), sink);
    else await pipeline(createReadStream(path), sink);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'Z_BUF_ERROR') throw new DataError(messages.gzipTruncated(label, (await stat(path)).size, produced));
    if (err.code?.startsWith('Z_')) throw new DataError(messages.gzipCorrupt(label, err.message));
    throw e;
  }
  return hash.digest('hex');
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function readMeta(path: string): Promise<PartMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(path, 'utf8')) as PartMeta;
    return typeof meta.url === 'string' ? meta : undefined;
  } catch {
    return undefined;
  }
}

const sizeOf = async (path: string): Promise<number> => (existsSync(path) ? (await stat(path)).size : 0);

function networkDetail(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

interface Attempt {
  url: string;
  part: string;
  metaPath: string;
  signal?: AbortSignal;
  idleTimeoutMs: number;
  progress: (bytes: number, total?: number) => void;
}

/** One request: resumes the .part file when it came from the same URL, else starts it over. */
async function fetchOnce(a: Attempt): Promise<{ resumed: boolean }> {
  const meta = await readMeta(a.metaPath);
  let offset = meta?.url === a.url ? await sizeOf(a.part) : 0;
  // Identity: a server adding Content-Encoding: gzip would otherwise be decoded on the fly,
  // which breaks byte offsets for Range and writes uncompressed bytes into a .gz name.
  const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
  if (offset > 0) {
    headers['Range'] = `bytes=${offset}-`;
    if (meta?.validator) headers['If-Range'] = meta.validator;
  }
  const ac = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, a.idleTimeoutMs);
  };
  const onAbort = () => ac.abort();
  a.signal?.addEventListener('abort', onAbort, { once: true });
  if (a.signal?.aborted) ac.abort();
  let received = offset;
  const fail = (e: unknown): Error => {
    if (a.signal?.aborted) return new RuntimeError((o) => messages.aborted(a.url, received, o));
    if (timedOut) return mark(new RuntimeError((o) => messages.timeout(a.url, a.idleTimeoutMs / 1000, o)));
    if (e instanceof RuntimeError || e instanceof DataError) return e;
    return mark(new RuntimeError(messages.network(a.url, networkDetail(e))));
  };
  arm();
  try {
    let res: Response;
    try {
      res = await fetch(a.url, { headers, signal: ac.signal, redirect: 'follow' });
    } catch (e) {
      throw fail(e);
    }
    if (res.status === 416 && offset > 0) {
      // The part already holds the whole file; verification decides whether it is good.
      await res.body?.cancel();
      return { resumed: true };
    }
    let resumed = false;
    if (res.status === 206 && offset > 0) {
      const range = res.headers.get('content-range') ?? '';
      const start = /^bytes (\d+)-/.exec(range);
      if (!start || Number(start[1]) !== offset) {
        await res.body?.cancel();
        throw new RuntimeError(messages.badContentRange(a.url, offset, range));
      }
      resumed = true;
    } else if (res.status === 200) {
      offset = 0;
      received = 0;
    } else {
      await res.body?.cancel();
      throw new RuntimeError(messages.httpStatus(a.url, res.status, res.statusText));
    }
    const validator = res.headers.get('etag') ?? res.headers.get('last-modified') ?? undefined;
    await writeFile(a.metaPath, JSON.stringify(validator ? { url: a.url, validator } : { url: a.url }));
    const length = res.headers.get('content-length');
    const total = length !== null ? offset + Number(length) : undefined;
    a.progress(received, total);
    const fh = await open(a.part, resumed ? 'a' : 'w');
    try {
      const reader = res.body?.getReader();
      for (;;) {
        const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
        if (chunk.done) break;
        arm();
        await fh.write(chunk.value);
        received += chunk.value.length;
        a.progress(received, total);
      }
    } catch (e) {
      throw fail(e);
    } finally {
      await fh.close();
    }
    if (total !== undefined && received < total) throw mark(new RuntimeError(messages.bodyShort(a.url, received, total)));
    return { resumed };
  } finally {
    clearTimeout(timer);
    a.signal?.removeEventListener('abort', onAbort);
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fetches one URL into its .part file, resuming after dropped connections up to `retries` times. */
async function fetchWithResume(a: Attempt, retries: number): Promise<{ resumed: boolean }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(a);
    } catch (e) {
      if (!(e instanceof Error) || !retryable.has(e) || attempt >= retries || a.signal?.aborted) throw e;
      await pause(250 * (attempt + 1));
    }
  }
}

async function validPresent(path: string, md5: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  try {
    return (await contentMd5(path)) === md5;
  } catch (e) {
    if (e instanceof DataError) return false;
    throw e;
  }
}

async function downloadFile(
  src: SourceFile,
  dir: string,
  bases: readonly string[],
  opts: DownloadOptions,
  report: (p: Omit<DownloadProgress, 'dataset' | 'file' | 'index' | 'files'>) => void,
): Promise<DownloadedFile> {
  const path = join(dir, src.file);
  report({ phase: 'check', bytes: 0 });
  for (const candidate of [path, path.replace(/\.gz$/, '')]) {
    if (await validPresent(candidate, src.md5)) {
      const bytes = (await stat(candidate)).size;
      report({ phase: 'done', bytes, status: 'present' });
      return { file: src.file, path: candidate, status: 'present', bytes, md5: src.md5 };
    }
  }
  const part = `${path}.part`;
  const metaPath = `${part}.json`;
  const errors: string[] = [];
  for (const base of bases) {
    const url = fileUrl(base, src.file);
    let resumed: boolean;
    try {
      ({ resumed } = await fetchWithResume(
        {
          url,
          part,
          metaPath,
          ...(opts.signal ? { signal: opts.signal } : {}),
          idleTimeoutMs: opts.idleTimeoutMs ?? 60_000,
          progress: (bytes, total) => report({ phase: 'download', bytes, ...(total !== undefined ? { total } : {}) }),
        },
        opts.retries ?? 3,
      ));
    } catch (e) {
      if (!(e instanceof RuntimeError) || opts.signal?.aborted || bases.length === 1) throw e;
      errors.push(e.message);
      continue;
    }
    const bytes = await sizeOf(part);
    report({ phase: 'verify', bytes, total: bytes });
    const label = `${path} (downloaded from ${url})`;
    // A bad part must not be resumed later: it is removed, so the next run starts over.
    const discard = async () => {
      await rm(part, { force: true });
      await rm(metaPath, { force: true });
    };
    const md5 = await contentMd5(part, label).catch(async (e: unknown) => {
      await discard();
      throw e;
    });
    if (md5 !== src.md5) {
      await discard();
      throw new DataError(messages.checksum(label, src.md5, md5));
    }
    await rename(part, path);
    await rm(metaPath, { force: true });
    const status: FileStatus = resumed ? 'resumed' : 'downloaded';
    report({ phase: 'done', bytes, status });
    return { file: src.file, path, status, bytes, md5, url };
  }
  throw new RuntimeError(messages.allMirrorsFailed(src.file, errors));
}

/**
 * Downloads an IDX data set's four gzip files (or those of `splits`) into `toDir`, skipping files already present with the
 * right checksum. Files are fetched one after another; each is verified before it appears.
 */
export async function downloadIdxSet(name: IdxSetName, toDir: string, splits: readonly Split[], opts: DownloadOptions): Promise<DownloadResult> {
  const source = SOURCES[name];
  const wanted = source.files.filter((f) => splits.includes(f.split));
  const bases = opts.baseUrl !== undefined ? [opts.baseUrl] : source.mirrors;
  for (const base of bases) fileUrl(base, wanted[0]?.file ?? '');
  if (opts.fresh) {
    for (const src of wanted) {
      const path = join(toDir, src.file);
      for (const f of [path, path.replace(/\.gz$/, ''), `${path}.part`, `${path}.part.json`]) await rm(f, { force: true });
    }
  }
  const files: DownloadedFile[] = [];
  for (const [index, src] of wanted.entries()) {
    const report = (p: Omit<DownloadProgress, 'dataset' | 'file' | 'index' | 'files'>) =>
      opts.onProgress?.({ dataset: name, file: src.file, index, files: wanted.length, ...p });
    files.push(await downloadFile(src, toDir, bases, opts, report));
  }
  return { dataset: name, dir: toDir, files };
}

/** Progress of one URL download. */
export interface UrlProgress {
  phase: 'download' | 'verify' | 'done';
  bytes: number;
  total?: number;
  status?: FileStatus;
}

/** One file fetched from a URL to a path, verified by its raw MD5 when one is published. */
export interface UrlDownload {
  url: string;
  path: string;
  /** MD5 of the file's bytes as published; null when there is none (the SHA-256 is reported instead). */
  md5: string | null;
  onProgress?: (p: UrlProgress) => void;
  signal?: AbortSignal;
  retries?: number;
  idleTimeoutMs?: number;
}

/** A file fetched by downloadUrl (or found in place), with the digests of its bytes. */
export interface UrlFile {
  path: string;
  status: FileStatus;
  bytes: number;
  md5: string;
  sha256: string;
}

/** MD5 and SHA-256 of a file's raw bytes, in one pass. */
export async function rawDigests(path: string): Promise<{ md5: string; sha256: string }> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  await pipeline(createReadStream(path), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      md5.update(chunk);
      sha256.update(chunk);
    }
  });
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}

/**
 * Downloads one URL to `path` the way the data sets are: into `<path>.part` with resume after a
 * dropped connection, then the MD5 of the bytes checked (when published) before the file is renamed
 * into place, so a bad file never appears at `path`. A file already at `path` with the right MD5
 * (or any file there when no MD5 is published) is kept.
 */
export async function downloadUrl(o: UrlDownload): Promise<UrlFile> {
  if (existsSync(o.path)) {
    const d = await rawDigests(o.path);
    if (o.md5 === null || d.md5 === o.md5) {
      const bytes = (await stat(o.path)).size;
      o.onProgress?.({ phase: 'done', bytes, status: 'present' });
      return { path: o.path, status: 'present', bytes, ...d };
    }
  }
  makeFolder(dirname(o.path));
  const part = `${o.path}.part`;
  const metaPath = `${part}.json`;
  const { resumed } = await fetchWithResume(
    {
      url: o.url,
      part,
      metaPath,
      ...(o.signal ? { signal: o.signal } : {}),
      idleTimeoutMs: o.idleTimeoutMs ?? 60_000,
      progress: (bytes, total) => o.onProgress?.({ phase: 'download', bytes, ...(total !== undefined ? { total } : {}) }),
    },
    o.retries ?? 3,
  );
  const bytes = await sizeOf(part);
  o.onProgress?.({ phase: 'verify', bytes, total: bytes });
  const d = await rawDigests(part);
  if (o.md5 !== null && d.md5 !== o.md5) {
    await rm(part, { force: true });
    await rm(metaPath, { force: true });
    throw new DataError(messages.rawChecksum(o.url, o.md5, d.md5));
  }
  await rename(part, o.path);
  await rm(metaPath, { force: true });
  const status: FileStatus = resumed ? 'resumed' : 'downloaded';
  o.onProgress?.({ phase: 'done', bytes, status });
  return { path: o.path, status, bytes, ...d };
}
