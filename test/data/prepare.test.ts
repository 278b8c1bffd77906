import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { channelStats, loadDataset, normalize, padCenter, prepareDataset, resizeBilinear } from '../../src/data/index.js';
import { dataDir } from '../helpers/paths.js';

describe('prepareDataset', () => {
  test('MNIST for LeNet-5: scaled, standardized and zero-padded to 32×32×1 (padding is the mean)', async () => {
    const ds = await loadDataset('mnist', dataDir(), 'test', { limit: 50 });
    const { data, stats } = prepareDataset(ds, { input: [32, 32, 1] });
    assert.ok(stats);
    assert.deepEqual(data.shape, [32, 32, 1]);
    assert.equal(data.count, 50);
    // Border rows 0-1 and 30-31 are padding, 0 after standardization.
    assert.ok(data.images.subarray(0, 64).every((v) => v === 0));
    assert.deepEqual(data.images, padCenter(normalize(normalize(ds, { scale: 1 / 255 }), stats), [32, 32]).images);
    assert.equal(ds.images[0], 0, 'the loaded split is not modified');
    assert.equal(Math.max(...ds.images), 255);
  });

  test('the full MNIST and Fashion-MNIST training splits have their well-known statistics', async () => {
    // Published figures: MNIST 0.1307 / 0.3081 (PyTorch's examples), Fashion-MNIST 0.2860 / 0.3530.
    const expected = { mnist: [0.1307, 0.3081], 'fashion-mnist': [0.286, 0.353] } as const;
    for (const [name, [mean, std]] of Object.entries(expected)) {
      const { stats } = prepareDataset(await loadDataset(name as keyof typeof expected, dataDir(), 'train'));
      assert.ok(stats);
      assert.ok(Math.abs(stats.mean[0]! - mean) < 5e-4, `${name} mean ${stats.mean[0]}`);
      assert.ok(Math.abs(stats.std[0]! - std) < 5e-4, `${name} std ${stats.std[0]}`);
    }
  });

  test('CIFAR: standardized with the train statistics, which the test split reuses', async () => {
    const train = await loadDataset('cifar10', dataDir(), 'train', { limit: 500 });
    const testSplit = await loadDataset('cifar10', dataDir(), 'test', { limit: 200 });
    const a = prepareDataset(train);
    assert.ok(a.stats);
    assert.equal(a.stats.mean.length, 3);
    assert.ok(a.stats.mean.every((m) => m > 0.3 && m < 0.6), `${a.stats.mean}`);
    const z = channelStats(a.data);
    for (let c = 0; c < 3; c++) {
      assert.ok(Math.abs(z.mean[c]!) < 1e-4);
      assert.ok(Math.abs(z.std[c]! - 1) < 1e-4);
    }
    const b = prepareDataset(testSplit, { stats: a.stats });
    assert.deepEqual(b.stats, a.stats);
    const zt = channelStats(b.data);
    assert.ok(zt.mean.some((m) => Math.abs(m) > 1e-3), 'test statistics differ from train, so they were not refitted');
  });

  test('digits resize to a larger input by default; pad is chosen for MNIST', async () => {
    const digits = await loadDataset('digits', dataDir(), 'test', { limit: 3 });
    const d = prepareDataset(digits, { input: [16, 16, 1] }).data;
    assert.deepEqual(d.shape, [16, 16, 1]);
    assert.deepEqual(d.images, resizeBilinear(normalize(digits, { scale: 1 / 16 }), [16, 16]).images);
    assert.ok(Math.max(...d.images) <= 1);
    const mnist = await loadDataset('mnist', dataDir(), 'test', { limit: 2 });
    assert.deepEqual(prepareDataset(mnist, { input: [32, 32, 1] }).data.shape, [32, 32, 1]);
  });
});
