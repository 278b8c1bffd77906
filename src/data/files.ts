/** Reading data files from disk, gzip or not, and finding a data set's files in a folder. */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { constants, gunzip } from 'node:zlib';
import { confinedPath } from '../core/confined.js';
import { DataError } from '../core/errors.js';
import { messages } from '../core/messages.js';

const gunzipAsync = promisify(gunzip);

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes. A stream that stops early is reported with the offset where the
 * compressed data ended and how much it held, so a truncated download is told from corruption.
 */
export async function gunzipBytes(bytes: Uint8Array, file: string): Promise<Buffer> {
  try {
    return await gunzipAsync(bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') {
      // A sync flush decodes what the truncated stream holds instead of failing, to count it.
      const partial = await gunzipAsync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).catch(() => Buffer.alloc(0));
      throw new DataError(messages.gzipTruncated(file, bytes.length, partial.length));
    }
    throw new DataError(messages.gzipCorrupt(file, (e as Error).message));
  }
}

/** Reads a file, decompressing it when it starts with the gzip magic. */
export async function readDataFile(path: string): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (e) {
    throw new DataError(messages.fileUnreadable(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  return isGzip(raw) ? gunzipBytes(raw, path) : raw;
}

/**
 * The first of `names` (each tried as given, then with .gz) that is a file in `dir`; a name that
 * is a symbolic link leading out of `dir` is refused (the one confined reader, core/confined.ts).
 */
export function findFile(dir: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    for (const candidate of [name, `${name}.gz`]) {
      const path = join(dir, candidate);
      if (existsSync(path) && statSync(path).isFile()) return confinedPath(dir, candidate, dir);
    }
  }
  return undefined;
}
