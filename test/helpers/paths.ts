/** Locations tests need: the repository root and the shared data sets beside it. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test file');
    dir = up;
  }
  return dir;
}

/** The shared data sets (`../shared/data` from the repository root), or CONVLAB_DATA when set. */
export function dataDir(): string {
  return process.env.CONVLAB_DATA ?? resolve(repoRoot(), '..', 'shared', 'data');
}
