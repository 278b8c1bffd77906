/**
 * Output without half-written files: a file is written beside its destination under a temporary
 * name and renamed over it only when complete, so an error or a kill leaves the old file or none.
 */
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';

/** Why a path cannot be written, in words; undefined when it can. */
function unwritableReason(path: string): string | undefined {
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
  } catch {
    return `directory ${dir} does not exist`;
  }
  try {
    if (statSync(path).isDirectory()) return 'it is a directory';
  } catch {
    // Absent is fine: the file will be created.
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `directory ${dir} is not writable`;
  }
  return undefined;
}

/** Fails early, before any work, when `path` cannot be written. */
export function checkWritable(path: string): void {
  const reason = unwritableReason(path);
  if (reason) throw new UsageError(messages.cannotWrite(path, reason));
}

/** Writes `data` to `path` atomically: a temporary file in the same folder, then a rename. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  checkWritable(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(messages.cannotWrite(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
}

/** Prints a complete document to stdout in one write, so a failure never leaves half of it. */
export function emit(text: string): void {
  process.stdout.write(text);
}

/** Where a command's result goes: a file when `-o` is given, stdout otherwise. */
export function deliver(text: string, out?: string): void {
  if (out) writeAtomic(out, text);
  else emit(text);
}
