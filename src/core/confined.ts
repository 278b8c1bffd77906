/**
 * The one safe way to follow a path a file names (Node only): weight manifests, model folders,
 * archives and data sets name files relative to their own folder, and what they name must stay
 * there, both as written (no `..`, no absolute path) and on disk (no symbolic link out of it).
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { DataError } from './errors.js';
import { messages } from './messages.js';

/** True when `path` is `folder` or lies below it (both absolute and normalized). */
const within = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

/** The real path of `path`, or undefined when it does not exist (the caller reports a missing file in its own words). */
function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Resolves `path` (relative to `folder`) and checks it stays inside `folder`, symbolic links
 * resolved: a DataError naming `file` (the file that named the path) otherwise. A path that does
 * not exist is returned resolved, for the caller to report.
 */
export function confinedPath(folder: string, path: string, file: string): string {
  const base = resolve(folder);
  const full = resolve(base, path);
  if (!within(base, full)) throw new DataError(messages.pathEscapes(file, path, folder));
  const real = realOrUndefined(full);
  if (real !== undefined && !within(realOrUndefined(base) ?? base, real)) throw new DataError(messages.pathEscapes(file, path, folder));
  return full;
}
