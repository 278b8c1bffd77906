/**
 * The data sets the tests read, fetched with convlab's own downloader when neither CONVLAB_DATA
 * nor `../shared/data` is there: MNIST, Fashion-MNIST and the digits as published, and the
 * CIFAR-10 subset the tests use (the first 4,000 records of data_batch_1 and the first 1,000 of
 * test_batch) cut from the full archive. CONVLAB_DATA_MIRROR names another base URL holding
 * `<set>/<file>` (a local server in the tests of this fallback).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CIFAR_RECORD_BYTES } from '../src/data/cifar.js';
import { downloadDataset } from '../src/data/download_sets.js';
import type { DownloadableName } from '../src/data/sources.js';

/** The folders of `../shared/data`, in the order they are fetched. */
export const TEST_SETS = ['mnist', 'fashion-mnist', 'digits', 'cifar10-subset'] as const;
export type TestSet = (typeof TEST_SETS)[number];

/** Records of the CIFAR-10 subset per split, cut from the start of data_batch_1 and test_batch. */
export const CIFAR_SUBSET = { train: 4000, test: 1000 };

/** Writes a file under a temporary name, then renames it into place. */
function writeWhole(path: string, bytes: Uint8Array): void {
  writeFileSync(`${path}.part`, bytes);
  renameSync(`${path}.part`, path);
}

/** The CIFAR-10 subset (train.bin.gz, test.bin.gz, batches.meta.txt) from the full set's batch files. */
export function writeCifarSubset(full: string, out: string, counts = CIFAR_SUBSET): void {
  mkdirSync(out, { recursive: true });
  for (const [split, file] of [['train', 'data_batch_1.bin'], ['test', 'test_batch.bin']] as const) {
    const bytes = readFileSync(join(full, file));
    const keep = counts[split] * CIFAR_RECORD_BYTES;
    if (bytes.length < keep) throw new Error(`${join(full, file)} holds ${bytes.length / CIFAR_RECORD_BYTES} records; the subset takes ${counts[split]}`);
    writeWhole(join(out, `${split}.bin.gz`), gzipSync(bytes.subarray(0, keep)));
  }
  copyFileSync(join(full, 'batches.meta.txt'), join(out, 'batches.meta.txt'));
}

/** Fetches the named test sets into `dir` (each marked complete once whole, so a rerun skips it). */
export async function fetchTestData(dir: string, sets: readonly TestSet[] = TEST_SETS, mirror = process.env['CONVLAB_DATA_MIRROR']): Promise<void> {
  const from = (name: DownloadableName) => (mirror ? { baseUrl: `${mirror.replace(/\/$/, '')}/${name}/` } : {});
  for (const set of sets) {
    const folder = join(dir, set);
    const done = join(folder, '.complete');
    if (existsSync(done)) continue;
    process.stderr.write(`convlab tests: fetching ${set} into ${folder}\n`);
    if (set === 'cifar10-subset') {
      const full = join(dir, 'cifar10');
      await downloadDataset('cifar10', full, from('cifar10'));
      writeCifarSubset(full, folder);
    } else {
      await downloadDataset(set, folder, from(set));
    }
    writeFileSync(done, '');
  }
}
