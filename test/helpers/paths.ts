/** Locations tests need: the repository root and the data sets (shared beside it, or fetched once). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../../src/core/folders.js';
import { repoRoot } from '../../scripts/repo.js';
import { TEST_SETS } from '../../scripts/test_data.js';

export { repoRoot };

/**
 * The test data folder: CONVLAB_DATA, else `shared` (`../shared/data` from the repository root)
 * when it exists, else convlab's cache (`test-data`), filled on first use by
 * scripts/fetch_test_data.ts with
 * convlab's own downloader.
 */
export function dataDirFor(env: NodeJS.ProcessEnv, shared: string): string {
  if (env['CONVLAB_DATA']) return env['CONVLAB_DATA'];
  if (existsSync(shared)) return shared;
  const dir = cacheDir('test-data', env);
  if (TEST_SETS.every((s) => existsSync(join(dir, s, '.complete')))) return dir;
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'fetch_test_data.js');
  execFileSync(process.execPath, [script, dir], { stdio: ['ignore', 'inherit', 'inherit'], env });
  return dir;
}

/** The data sets the tests read (see dataDirFor). */
export function dataDir(): string {
  return dataDirFor(process.env, resolve(repoRoot(), '..', 'shared', 'data'));
}
