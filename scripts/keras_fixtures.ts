/**
 * Keras-layout weight files made by scripts/keras_fixtures.py (h5py + NumPy, following Keras'
 * saving code), generated once per version of the script into the system temp folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

/** The folder holding the fixtures; generates them on first use. */
export function kerasFixtures(): string {
  const script = join(repoRoot(), 'scripts', 'keras_fixtures.py');
  const version = createHash('sha256').update(readFileSync(script)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `convlab-keras-fixtures-${version}`);
  if (existsSync(join(dir, 'small.reference.json'))) return dir;
  const building = `${dir}.${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  execFileSync('/usr/bin/python3', [script, building], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    renameSync(building, dir);
  } catch {
    // Another test process finished first; its copy is the same.
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/** The NumPy reference of the small model: input batch and output, flattened, with shapes. */
export interface SmallReference {
  input: number[];
  inputShape: number[];
  output: number[];
  outputShape: number[];
}

/** Reads the small model's NumPy reference. */
export const smallReference = (dir: string): SmallReference => JSON.parse(readFileSync(join(dir, 'small.reference.json'), 'utf8')) as SmallReference;
