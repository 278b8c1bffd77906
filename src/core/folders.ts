/**
 * Folders convlab writes into (Node only): a training run's `--out`, a download's `--to`. They are
 * checked before any work (inside /proc or /sys, a file in the way, an unwritable parent, an
 * earlier run that would be overwritten) and created one ancestor at a time: Node's recursive
 * mkdir loops forever on /proc, whose folders refuse new entries with errors it retries.
 */
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';
import { messages } from './messages.js';
import { asKey, type Spell } from './messages/text.js';

/** Kernel file systems: nothing convlab makes belongs there, and mkdir inside them misbehaves. */
const KERNEL_ROOTS = ['/proc', '/sys'];

/** What an existing, non-empty folder means to the caller: continue it, replace it, or neither (refused). */
export interface FolderUse {
  resume?: boolean;
  force?: boolean;
}

const inside = (path: string, root: string): boolean => path === root || path.startsWith(root + sep);

/** The kernel file system `path` (or its nearest existing ancestor, links resolved) lies in, if any. */
function kernelRoot(path: string): string | undefined {
  const real = [path];
  for (let at = path; ; at = dirname(at)) {
    try {
      real.push(realpathSync(at));
      break;
    } catch {
      if (dirname(at) === at) break;
    }
  }
  return KERNEL_ROOTS.find((root) => real.some((p) => inside(p, root)));
}

/** The nearest ancestor of `path` (or `path` itself) that exists. */
function nearestExisting(path: string): string {
  let at = path;
  for (;;) {
    try {
      lstatSync(at);
      return at;
    } catch {
      const up = dirname(at);
      if (up === at) return at;
      at = up;
    }
  }
}

/**
 * Checks, before any work, that `dir` can hold a new run: not in /proc or /sys, every existing
 * ancestor a folder, the nearest one writable, and `dir` itself absent, empty, or allowed by
 * `use` (resume or force). `what` names the folder's role in messages; options are spelled by `o`.
 * Returns whether `dir` already holds files.
 */
export function checkFolder(dir: string, what: string, use: FolderUse = {}, o: Spell = asKey): { existing: boolean } {
  const path = resolve(dir);
  const fail = (reason: string): never => {
    throw new UsageError(messages.badFolder(dir, what, reason));
  };
  const root = kernelRoot(path);
  if (root) fail(`it is inside ${root}, a kernel file system; choose a folder on disk`);
  const near = nearestExisting(path);
  let st;
  try {
    st = statSync(near);
  } catch (e) {
    return fail((e as NodeJS.ErrnoException).code ?? String(e));
  }
  if (!st.isDirectory()) fail(near === path ? 'it is a file, not a folder' : `${near} is a file, not a folder`);
  try {
    accessSync(near, constants.W_OK);
  } catch {
    fail(`${near} is not writable`);
  }
  if (near !== path) return { existing: false };
  const existing = readdirSync(path).length > 0;
  if (existing && !use.resume && !use.force) throw new UsageError(messages.folderInUse(dir, what, o));
  return { existing };
}

/** Creates `dir` and its missing ancestors one level at a time, refusing kernel file systems; an existing folder is fine. */
export function makeFolder(dir: string): void {
  const path = resolve(dir);
  const root = kernelRoot(path);
  if (root) throw new UsageError(messages.badFolder(dir, 'folder', `it is inside ${root}, a kernel file system; choose a folder on disk`));
  const missing: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    let exists = true;
    try {
      lstatSync(at);
    } catch {
      exists = false;
    }
    if (exists || dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const at of missing) {
    try {
      mkdirSync(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      if (code !== 'EEXIST') throw new UsageError(messages.badFolder(dir, 'folder', `cannot create ${at}: ${code}`));
    }
  }
  if (!statSync(path).isDirectory()) throw new UsageError(messages.badFolder(dir, 'folder', 'it is a file, not a folder'));
}

/** A folder of convlab's caches: `$CONVLAB_CACHE/<kind>`, else `$XDG_CACHE_HOME/convlab/<kind>`, else `~/.cache/convlab/<kind>`. */
export function cacheDir(kind: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env['CONVLAB_CACHE']) return join(env['CONVLAB_CACHE'], kind);
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'convlab', kind);
}
