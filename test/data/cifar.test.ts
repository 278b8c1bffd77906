import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../../src/core/errors.js';
import { loadDataset, parseCifar, readCifarMeta } from '../../src/data/index.js';
import { dataDir } from '../helpers/paths.js';
import { cifarRecord, tempDir } from './fixtures.js';
import { messages } from '../../src/core/messages.js';

const subset = () => join(dataDir(), 'cifar10-subset');

describe('CIFAR-10 records (synthetic)', () => {
  test('planar R, G, B planes become interleaved HWC', () => {
    const rec = cifarRecord(7, (c, p) => c * 100 + (p % 50));
    const out = parseCifar(rec, 'x');
    assert.equal(out.count, 1);
    assert.deepEqual(Array.from(out.labels), [7]);
    // Pixel p = y·32 + x holds (R, G, B) at 3p .. 3p+2.
    for (const p of [0, 1, 33, 1023]) assert.deepEqual(Array.from(out.pixels.subarray(3 * p, 3 * p + 3)), [p % 50, 100 + (p % 50), 200 + (p % 50)]);
  });

  test('a size that is not a multiple of 3,073 names the truncated record offset', () => {
    const bytes = Buffer.concat([cifarRecord(1, () => 0), cifarRecord(2, () => 0).subarray(0, 1000)]);
    assert.throws(
      () => parseCifar(bytes, 'b.bin'),
      (e: Error) => e instanceof DataError && e.message === messages.cifarSize('b.bin', 4073, 3073, 3073, 1000),
    );
    assert.throws(() => parseCifar(Buffer.alloc(0), 'empty.bin'), /empty\.bin: empty/);
  });

  test('a label above 9 names the record offset', () => {
    const bytes = Buffer.concat([cifarRecord(3, () => 0), cifarRecord(10, () => 0)]);
    assert.throws(() => parseCifar(bytes, 'c.bin'), /c\.bin: byte offset 3,073: label of sample 1 out of range: expected 0\.\.9; received 10/);
  });

  test('images of the wrong size (32×32 gray records) are caught by the record size', () => {
    const grayRecords = Buffer.alloc(1025 * 5);
    assert.throws(() => parseCifar(grayRecords, 'gray.bin'), /gray\.bin: size 5,125 bytes is not a multiple of the 3,073-byte CIFAR-10 record/);
  });
});

describe('CIFAR-10 subset on disk', () => {
  test('train labels begin 6, 9, 9, 4, 1 and test labels 3, 8, 8, 0, 6; 4,000 + 1,000 images', async () => {
    const train = await loadDataset('cifar10', dataDir(), 'train');
    const testSplit = await loadDataset('cifar10', subset(), 'test');
    assert.deepEqual(Array.from(train.labels.subarray(0, 5)), [6, 9, 9, 4, 1]);
    assert.deepEqual(Array.from(testSplit.labels.subarray(0, 5)), [3, 8, 8, 0, 6]);
    assert.equal(train.count, 4000);
    assert.equal(testSplit.count, 1000);
    assert.deepEqual(train.shape, [32, 32, 3]);
    assert.deepEqual(train.classes, readFileSync(join(subset(), 'batches.meta.txt'), 'utf8').trim().split('\n'));
  });

  test('HWC pixels equal the planar bytes of the file', async () => {
    const raw = gunzipSync(readFileSync(join(subset(), 'test.bin.gz')));
    const ds = await loadDataset('cifar10', subset(), 'test', { limit: 2 });
    const rec = 3073; // second record, pixel (y=5, x=7), green channel
    const p = 5 * 32 + 7;
    assert.equal(ds.images[(1 * 1024 + p) * 3 + 1], raw[rec + 1 + 1024 + p]);
  });

  test('the full data set names (data_batch_N.bin, test_batch.bin) are read when present', async () => {
    const dir = tempDir();
    const raw = gunzipSync(readFileSync(join(subset(), 'train.bin.gz')));
    writeFileSync(join(dir, 'data_batch_1.bin'), raw.subarray(0, 3073 * 3));
    writeFileSync(join(dir, 'data_batch_2.bin'), raw.subarray(3073 * 3, 3073 * 5));
    writeFileSync(join(dir, 'test_batch.bin'), gunzipSync(readFileSync(join(subset(), 'test.bin.gz'))).subarray(0, 3073));
    copyFileSync(join(subset(), 'batches.meta.txt'), join(dir, 'batches.meta.txt'));
    const train = await loadDataset('cifar10', dir, 'train');
    assert.deepEqual(Array.from(train.labels), [6, 9, 9, 4, 1]);
    assert.deepEqual(train.files.map((f) => f.slice(dir.length + 1)), ['data_batch_1.bin', 'data_batch_2.bin']);
    const limited = await loadDataset('cifar10', dir, 'train', { limit: 2 });
    assert.deepEqual(limited.files.map((f) => f.slice(dir.length + 1)), ['data_batch_1.bin']);
    assert.equal(limited.count, 2);
    assert.equal((await loadDataset('cifar10', dir, 'test')).labels[0], 3);
  });

  test('batches.meta.txt with the wrong number of names, or missing', async () => {
    const dir = tempDir();
    copyFileSync(join(subset(), 'test.bin.gz'), join(dir, 'test.bin.gz'));
    await assert.rejects(loadDataset('cifar10', dir, 'test'), /cifar10: no batches\.meta\.txt or batches\.meta\.txt\.gz in /);
    writeFileSync(join(dir, 'batches.meta.txt'), 'cat\ndog\n');
    await assert.rejects(readCifarMeta(join(dir, 'batches.meta.txt')), /batches\.meta\.txt: expected 10 class names, one a line; received 2/);
  });
});
