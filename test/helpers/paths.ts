/** Locations tests need: the repository root and the shared data sets beside it. */
import { resolve } from 'node:path';
import { repoRoot } from '../../scripts/repo.js';

export { repoRoot };

/** The shared data sets (`../shared/data` from the repository root), or CONVLAB_DATA when set. */
export function dataDir(): string {
  return process.env.CONVLAB_DATA ?? resolve(repoRoot(), '..', 'shared', 'data');
}
