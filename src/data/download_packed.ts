/**
 * Data sets published as one file: CIFAR-10's binary archive and UCI's digits test set. The file
 * is fetched like every convlab download (into `.part`, resumed after a dropped connection, its
 * MD5 checked before it appears), then unpacked into the files the loaders read: the batch files
 * and class names of `cifar-10-batches-bin/`, or `digits.csv`. Each unpacked file is written
 * under a temporary name and renamed into place, so a half-written file never looks complete.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar';
import { DataError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { CIFAR_RECORD_BYTES } from './cifar.js';
import { downloadUrl, fileUrl, rawDigests, type DownloadedFile, type DownloadOptions, type DownloadProgress, type DownloadResult, type UrlProgress } from './download.js';
import { PACKED, type PackedSetName } from './sources.js';
import type { Split } from './types.js';

const CIFAR_FOLDER = 'cifar-10-batches-bin';
const CIFAR_META = 'batches.meta.txt';

/** The archive members a split needs (the class names always). */
function cifarMembers(splits: readonly Split[]): string[] {
  const train = splits.includes('train') ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : [];
  return [...train, ...(splits.includes('test') ? ['test_batch.bin'] : []), CIFAR_META];
}

/** A batch file is whole when it holds whole records (10,000 in the published archive); the class names when they are not empty. */
async function memberWhole(path: string, name: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  const size = (await stat(path)).size;
  return size > 0 && (name === CIFAR_META || size % CIFAR_RECORD_BYTES === 0);
}

/** A file already in place, reported as present. */
async function present(path: string, file: string): Promise<DownloadedFile> {
  const { md5 } = await rawDigests(path);
  return { file, path, status: 'present', bytes: (await stat(path)).size, md5 };
}

type Report = (p: Omit<DownloadProgress, 'dataset' | 'index' | 'files'>) => void;

/** Fetches the published file into `toDir` (kept there, so a later run verifies it instead of fetching it again). */
async function fetchPacked(name: PackedSetName, toDir: string, opts: DownloadOptions, report: Report, md5: string | null) {
  const src = PACKED[name];
  const base = opts.baseUrl ?? src.mirrors[0]!;
  const url = fileUrl(base, src.file);
  const path = join(toDir, src.file);
  if (opts.fresh) for (const f of [path, `${path}.part`, `${path}.part.json`]) await rm(f, { force: true });
  const file = await downloadUrl({
    url,
    path,
    md5,
    // Done is reported once the file is unpacked and checked, not when its bytes arrive.
    onProgress: (p: UrlProgress) => (p.phase === 'done' ? undefined : report({ file: src.file, ...p })),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
    ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
  });
  return { ...file, url };
}

/**
 * Unpacks the members of a CIFAR-10 binary archive that `splits` need into `toDir`: the batch
 * files and the class names, each checked whole before it is renamed into place. Returns their paths.
 */
export async function unpackCifar10(archive: string, toDir: string, splits: readonly Split[]): Promise<string[]> {
  const members = cifarMembers(splits);
  const scratch = await mkdtemp(join(toDir, '.unpack-'));
  try {
    const wanted = new Set(members.map((m) => `${CIFAR_FOLDER}/${m}`));
    try {
      await tar.x({ file: archive, cwd: scratch, strict: true, filter: (p) => wanted.has(p.replace(/^\.\//, '')) });
    } catch (e) {
      throw new DataError(messages.archiveUnreadable(archive, (e as Error).message));
    }
    const paths: string[] = [];
    for (const m of members) {
      const from = join(scratch, CIFAR_FOLDER, m);
      if (!(await memberWhole(from, m))) throw new DataError(messages.archivePart(archive, `${CIFAR_FOLDER}/${m}`, m === CIFAR_META ? 'the class names' : `records of ${CIFAR_RECORD_BYTES} bytes`));
      paths.push(join(toDir, m));
      await rename(from, paths[paths.length - 1]!);
    }
    return paths;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** CIFAR-10: the archive (checked by its published MD5), then the members the splits need, unpacked next to it. */
async function downloadCifar10(toDir: string, splits: readonly Split[], opts: DownloadOptions, report: Report): Promise<DownloadedFile[]> {
  const members = cifarMembers(splits);
  if (!opts.fresh) {
    const whole = await Promise.all(members.map((m) => memberWhole(join(toDir, m), m)));
    if (whole.every(Boolean)) return Promise.all(members.map((m) => present(join(toDir, m), m)));
  }
  const archive = await fetchPacked('cifar10', toDir, opts, report, PACKED.cifar10.md5);
  const paths = await unpackCifar10(archive.path, toDir, splits);
  return Promise.all(paths.map(async (path, i) => ({ ...(await present(path, members[i]!)), status: archive.status, url: archive.url })));
}

/** UCI digits: the test set's text, checked with LF line ends and written as `digits.csv`. */
async function downloadDigits(toDir: string, opts: DownloadOptions, report: Report): Promise<DownloadedFile[]> {
  const csv = join(toDir, 'digits.csv');
  const md5Of = (text: string) => createHash('md5').update(text).digest('hex');
  if (!opts.fresh && existsSync(csv) && md5Of(await readFile(csv, 'utf8')) === PACKED.digits.md5) return [await present(csv, 'digits.csv')];
  const fetched = await fetchPacked('digits', toDir, opts, report, null);
  const raw = await readFile(fetched.path, 'utf8');
  const text = raw.replace(/\r\n/g, '\n').replace(/\n*$/, '\n');
  const md5 = md5Of(text);
  if (md5 !== PACKED.digits.md5) {
    await rm(fetched.path, { force: true });
    throw new DataError(messages.textChecksum(fetched.url, PACKED.digits.md5, md5));
  }
  const temp = `${csv}.part`;
  await writeFile(temp, text);
  await rename(temp, csv);
  await rm(fetched.path, { force: true });
  return [{ file: 'digits.csv', path: csv, status: fetched.status, bytes: Buffer.byteLength(text), md5, url: fetched.url }];
}

/** Downloads and unpacks CIFAR-10 or the digits into `toDir` (progress reports one file: the published one). */
export async function downloadPacked(name: PackedSetName, toDir: string, splits: readonly Split[], opts: DownloadOptions): Promise<DownloadResult> {
  const report: Report = (p) => opts.onProgress?.({ dataset: name, index: 0, files: 1, ...p });
  const files = name === 'cifar10' ? await downloadCifar10(toDir, splits, opts, report) : await downloadDigits(toDir, opts, report);
  const status = files[0]!.status;
  const published = join(toDir, PACKED[name].file);
  // The archive stays beside CIFAR-10's batches; the digits' text is replaced by digits.csv.
  const bytes = existsSync(published) ? (await stat(published)).size : files.reduce((s, f) => s + f.bytes, 0);
  report({ file: PACKED[name].file, phase: 'done', bytes, status });
  return { dataset: name, dir: toDir, files };
}
