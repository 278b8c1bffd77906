import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DataError, UsageError } from '../../src/core/errors.js';
import { DATASET_NAMES, DATASETS, availableSplits, loadDataset, resolveDatasetDir, type DatasetName } from '../../src/data/index.js';
import { dataDir } from '../helpers/paths.js';
import { tempDir } from './fixtures.js';

describe('loadDataset', () => {
  test('every data set loads from the parent folder and from its own folder, matching its table row', async () => {
    const folders: Record<DatasetName, string> = { mnist: 'mnist', 'fashion-mnist': 'fashion-mnist', cifar10: 'cifar10-subset', digits: 'digits' };
    for (const name of DATASET_NAMES) {
      const a = await loadDataset(name, dataDir(), 'test', { limit: 3 });
      const b = await loadDataset(name, join(dataDir(), folders[name]), 'test', { limit: 3 });
      assert.deepEqual(a.labels, b.labels, name);
      assert.deepEqual(a.shape, DATASETS[name].shape, name);
      assert.equal(a.classes.length, DATASETS[name].classCount, name);
      assert.equal(a.images.length, 3 * a.shape[0] * a.shape[1] * a.shape[2], name);
      assert.equal(resolveDatasetDir(name, dataDir()), join(dataDir(), folders[name]));
    }
  });

  test('raw pixel values are kept as floats', async () => {
    const ds = await loadDataset('mnist', dataDir(), 'train', { limit: 1 });
    assert.ok(ds.images instanceof Float32Array);
    assert.equal(Math.max(...ds.images), 255);
    // Row 14 of the first MNIST training image (a 5) crosses the stroke.
    assert.ok(ds.images.subarray(14 * 28, 15 * 28).some((v) => v > 0 && Number.isInteger(v)));
  });

  test('limit keeps the first samples in file order', async () => {
    const all = await loadDataset('cifar10', dataDir(), 'test');
    const few = await loadDataset('cifar10', dataDir(), 'test', { limit: 7 });
    assert.equal(few.count, 7);
    assert.deepEqual(few.images, all.images.subarray(0, 7 * 3072));
    assert.equal((await loadDataset('digits', dataDir(), 'train', { limit: 5000 })).count, 1442);
  });

  test('bad arguments are usage errors naming what was received', async () => {
    await assert.rejects(loadDataset('imagenet' as DatasetName, dataDir(), 'train'), (e: Error) => e instanceof UsageError && /unknown dataset "imagenet"; expected one of mnist, fashion-mnist, cifar10, digits/.test(e.message));
    await assert.rejects(loadDataset('mnist', dataDir(), 'val' as 'train'), /unknown split "val"; expected train or test/);
    await assert.rejects(loadDataset('mnist', dataDir(), 'train', { limit: 0 }), /limit must be a positive integer; received 0/);
    await assert.rejects(loadDataset('mnist', dataDir(), 'train', { limit: 1.5 }), /received 1\.5/);
  });

  test('availableSplits lists the complete splits only', () => {
    for (const name of DATASET_NAMES) assert.deepEqual(availableSplits(name, dataDir()), ['train', 'test'], name);
    const dir = join(tempDir(), 'mnist');
    mkdirSync(dir);
    copyFileSync(join(dataDir(), 'mnist', 't10k-labels-idx1-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz'));
    assert.deepEqual(availableSplits('mnist', dir), []);
    copyFileSync(join(dataDir(), 'mnist', 't10k-images-idx3-ubyte.gz'), join(dir, 't10k-images-idx3-ubyte'));
    assert.deepEqual(availableSplits('mnist', dir), ['test']);
  });

  test('a folder without the files says which files it looked for, and where', async () => {
    const dir = tempDir();
    await assert.rejects(loadDataset('mnist', dir, 'train'), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /^mnist: none of its files \(train-images-idx3-ubyte, .*each with or without \.gz\) is in /);
      assert.ok(e.message.includes(join(dir, 'mnist')));
      return true;
    });
  });
});
