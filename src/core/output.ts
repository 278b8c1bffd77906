/**
 * The one way convlab writes an output file (Node only). A regular file or a new path is written
 * atomically: a temporary file beside the target, synced, then renamed over it, so an error or a
 * kill leaves the old file or none. A symlink is followed and its target written that way, so the
 * link survives. A character device, FIFO or socket (`/dev/null`, `/dev/stdout`, a pipe) is
 * written in place and never replaced; `-` is standard output. Everything that can be known
 * before work starts (a directory, a missing or unwritable folder) is checked by `checkOutput`.
 */
import { accessSync, closeSync, constants, fsyncSync, lstatSync, openSync, readlinkSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { messages } from './messages.js';

/** Where an output path leads. */
export type OutputTarget =
  | { kind: 'stdout' }
  /** An open descriptor named by path (`/dev/stdout`, `/dev/fd/3`): written through that descriptor. */
  | { kind: 'fd'; fd: number }
  /** A character device, FIFO or socket, written in place. */
  | { kind: 'special'; path: string }
  /** A regular file (existing or new) at `path`, the symlink-resolved target, written atomically. */
  | { kind: 'file'; path: string; mode?: number };

/** Links followed at most, as the kernel's own limit, so a link loop is an error instead of a hang. */
const MAX_LINKS = 40;

const errCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Paths naming one of this process's descriptors: written through it, since a socket cannot be opened by path. */
function descriptorOf(path: string): number | undefined {
  const named: Record<string, number> = { '/dev/stdout': 1, '/dev/stderr': 2 };
  if (path in named) return named[path];
  const m = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path);
  return m ? Number(m[1]) : undefined;
}

/** Follows symlinks from `path` to the path a write would reach (which may not exist yet). */
function followLinks(path: string, shown: string): { path: string; stats?: Stats } {
  let at = resolve(path);
  for (let i = 0; i <= MAX_LINKS; i++) {
    let st: Stats;
    try {
      st = lstatSync(at);
    } catch (e) {
      if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return { path: at };
      throw new UsageError(messages.cannotWrite(shown, errCode(e)));
    }
    if (!st.isSymbolicLink()) return { path: at, stats: st };
    if (descriptorOf(at) !== undefined) return { path: at };
    at = resolve(dirname(at), readlinkSync(at));
  }
  throw new UsageError(messages.cannotWrite(shown, `more than ${MAX_LINKS} symbolic links (a loop?)`));
}

/** Why the folder `dir` cannot receive a new file, or undefined when it can. */
function folderProblem(dir: string): string | undefined {
  let st: Stats;
  try {
    st = statSync(dir);
  } catch {
    return `folder ${dir} does not exist`;
  }
  if (!st.isDirectory()) return `${dir} is not a folder`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `folder ${dir} is not writable`;
  }
  return undefined;
}

/** Where `path` leads, checked before any work: a one-line UsageError when it cannot be written. */
export function checkOutput(path: string): OutputTarget {
  if (path === '-') return { kind: 'stdout' };
  if (path === '') throw new UsageError(messages.cannotWrite('""', 'empty file name'));
  const fd = descriptorOf(resolve(path));
  if (fd !== undefined) return { kind: 'fd', fd };
  const target = followLinks(path, path);
  const linkFd = descriptorOf(target.path);
  if (linkFd !== undefined) return { kind: 'fd', fd: linkFd };
  const st = target.stats;
  const fail = (reason: string): never => {
    throw new UsageError(messages.cannotWrite(path, reason));
  };
  if (st?.isDirectory()) fail('it is a folder; name a file inside it');
  // A socket cannot be opened as a file (ENXIO); say what it is instead.
  if (st?.isSocket()) fail('it is a socket; convlab writes files, pipes and character devices');
  if (st && (st.isCharacterDevice() || st.isFIFO())) {
    try {
      accessSync(target.path, constants.W_OK);
    } catch (e) {
      fail(errCode(e));
    }
    return { kind: 'special', path: target.path };
  }
  if (st?.isBlockDevice()) fail('it is a block device; convlab writes files, pipes and character devices');
  const problem = folderProblem(dirname(target.path));
  if (problem) fail(problem);
  return { kind: 'file', path: target.path, ...(st ? { mode: st.mode & 0o7777 } : {}) };
}

/** Writes every byte to a descriptor, looping over short writes. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** Replaces a regular file by a complete new one: temporary file in the same folder, fsync, rename. */
function writeReplacing(path: string, chunks: Iterable<Uint8Array>, mode: number | undefined): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode ?? 0o666);
    for (const bytes of chunks) writeAll(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  syncFolder(dirname(path));
}

/** Makes a rename durable; folders that cannot be opened or synced (some file systems) are left as they are. */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Durability of the rename is best effort; the file itself is complete either way.
  }
}

/**
 * Writes `data` where `path` leads (see the module comment); failures are one-line UsageErrors
 * naming the path. Data may come in chunks, so a large array is never copied whole to be written.
 */
export function writeOutput(path: string, data: string | Uint8Array | Iterable<Uint8Array>, target: OutputTarget = checkOutput(path)): void {
  const chunks = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
  try {
    switch (target.kind) {
      case 'stdout':
        for (const bytes of chunks) process.stdout.write(bytes);
        return;
      case 'fd':
        // Node's own streams for 1 and 2, so output stays in order with what else the command prints.
        for (const bytes of chunks) {
          if (target.fd === 1 || target.fd === 2) (target.fd === 1 ? process.stdout : process.stderr).write(bytes);
          else writeAll(target.fd, bytes);
        }
        return;
      case 'special': {
        // No O_CREAT and no O_TRUNC: a device or pipe is written, never made or emptied.
        const fd = openSync(target.path, constants.O_WRONLY);
        try {
          for (const bytes of chunks) writeAll(fd, bytes);
        } finally {
          closeSync(fd);
        }
        return;
      }
      case 'file':
        writeReplacing(target.path, chunks, target.mode);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(messages.cannotWrite(path, errCode(e)));
  }
}
