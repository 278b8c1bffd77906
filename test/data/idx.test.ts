import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../src/core/errors.js';
import { parseIdxImages, parseIdxLabels, readDataFile, loadDataset } from '../../src/data/index.js';
import { dataDir } from '../helpers/paths.js';
import { idxBytes, tempDir } from './fixtures.js';
import { messages } from '../../src/core/messages.js';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

describe('IDX parsing (synthetic)', () => {
  test('images: dims read big-endian, pixels after the 16-byte header', () => {
    const img = parseIdxImages(idxBytes(2051, [2, 3, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'x');
    assert.deepEqual([img.count, img.rows, img.cols], [2, 3, 2]);
    assert.deepEqual(Array.from(img.pixels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test('wrong magic names the file, byte offset 0, expected and received', () => {
    assert.throws(
      () => parseIdxImages(idxBytes(2049, [3], [1, 2, 3]), 'labels.idx'),
      (e: Error) => e instanceof DataError && e.message === messages.idxMagic('labels.idx', 2051, 'IDX unsigned-byte images, 3 dimensions', 2049, 'this is an IDX unsigned-byte labels, 1 dimension file'),
    );
    assert.throws(() => parseIdxLabels(Buffer.from('PK\x03\x04 not idx at all'), 'data.zip'), /data\.zip: byte offset 0: wrong magic number: expected 2049 .*received 1347093252 .*not an IDX file/);
  });

  test('truncated header and truncated data give the declared and held sizes', () => {
    assert.throws(() => parseIdxImages(idxBytes(2051, [1], []), 'short'), /short: truncated IDX header: expected at least 16 bytes; the file holds 8/);
    assert.throws(
      () => parseIdxImages(idxBytes(2051, [2, 2, 2], [1, 2, 3, 4, 5]), 'cut'),
      (e: Error) => e instanceof DataError && e.message === messages.idxTruncated('cut', [2, 2, 2], 16, 5) && /ending at byte offset 21/.test(e.message),
    );
  });

  test('trailing bytes past the declared data are an error too', () => {
    assert.throws(() => parseIdxLabels(idxBytes(2049, [2], [1, 2, 3]), 'long'), /long: unexpected trailing bytes: .* = 2 bytes .*holds 3 \(extra data from byte offset 10\)/);
  });

  test('label out of range names its byte offset and sample', () => {
    assert.throws(
      () => parseIdxLabels(idxBytes(2049, [4], [0, 9, 10, 3]), 'lab'),
      (e: Error) => e instanceof DataError && e.message === messages.labelRange('lab', 10, 2, 10, 10),
    );
    assert.throws(() => parseIdxLabels(idxBytes(2049, [1], [255]), 'lab'), /byte offset 8: label of sample 0 out of range: expected 0\.\.9; received 255/);
  });
});

describe('IDX on the real MNIST files', () => {
  test('MD5 of the uncompressed files equal the canonical checksums', async () => {
    const expected: Record<string, string> = {
      'train-images-idx3-ubyte.gz': '6bbc9ace898e44ae57da46a324031adb',
      'train-labels-idx1-ubyte.gz': 'a25bea736e30d166cdddb491f175f624',
      't10k-images-idx3-ubyte.gz': '2646ac647ad5339dbf082846283269ea',
      't10k-labels-idx1-ubyte.gz': '27ae3e4e09519cfbb04c329615203637',
    };
    for (const [file, sum] of Object.entries(expected)) assert.equal(md5(await readDataFile(join(dataDir(), 'mnist', file))), sum, file);
  });

  test('counts 60,000 train and 10,000 test, 28×28×1, labels begin as published', async () => {
    const train = await loadDataset('mnist', dataDir(), 'train');
    const testSplit = await loadDataset('mnist', dataDir(), 'test');
    assert.equal(train.count, 60_000);
    assert.equal(testSplit.count, 10_000);
    assert.deepEqual(train.shape, [28, 28, 1]);
    assert.equal(train.images.length, 60_000 * 784);
    assert.deepEqual(Array.from(train.labels.subarray(0, 5)), [5, 0, 4, 1, 9]);
    assert.deepEqual(Array.from(testSplit.labels.subarray(0, 5)), [7, 2, 1, 0, 4]);
    assert.deepEqual(train.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  test('Fashion-MNIST: 60,000 + 10,000 with its ten class names', async () => {
    const train = await loadDataset('fashion-mnist', dataDir(), 'train', { limit: 10 });
    const testSplit = await loadDataset('fashion-mnist', dataDir(), 'test');
    assert.equal(testSplit.count, 10_000);
    assert.equal(train.count, 10);
    assert.equal(train.classes[9], 'Ankle boot');
    assert.equal(train.classes.length, 10);
  });
});

describe('IDX corrupt copies of the real files', () => {
  const realLabels = () => readDataFile(join(dataDir(), 'mnist', 't10k-labels-idx1-ubyte.gz'));
  const realImages = () => readDataFile(join(dataDir(), 'mnist', 't10k-images-idx3-ubyte.gz'));

  async function brokenMnist(mutate: (images: Buffer, labels: Buffer) => { images: Buffer; labels: Buffer }, gzip = true) {
    const dir = join(tempDir(), 'mnist');
    mkdirSync(dir);
    const { images, labels } = mutate(Buffer.from(await realImages()), Buffer.from(await realLabels()));
    writeFileSync(join(dir, `t10k-images-idx3-ubyte${gzip ? '.gz' : ''}`), gzip ? gzipSync(images, { level: 1 }) : images);
    writeFileSync(join(dir, `t10k-labels-idx1-ubyte${gzip ? '.gz' : ''}`), gzip ? gzipSync(labels, { level: 1 }) : labels);
    return dir;
  }

  test('a truncated .gz gives a DataError naming the file', async () => {
    const dir = join(tempDir(), 'mnist');
    mkdirSync(dir);
    const gz = readFileSync(join(dataDir(), 'mnist', 't10k-images-idx3-ubyte.gz'));
    const cut = join(dir, 't10k-images-idx3-ubyte.gz');
    writeFileSync(cut, gz.subarray(0, 100_000));
    copyFileSync(join(dataDir(), 'mnist', 't10k-labels-idx1-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz'));
    await assert.rejects(loadDataset('mnist', dir, 'test'), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.ok(e.message.startsWith(`${cut}: truncated gzip data: the compressed stream ends early at byte offset 100,000`), e.message);
      return true;
    });
  });

  test('wrong magic in a copy (images file where labels belong)', async () => {
    const dir = await brokenMnist((images) => ({ images, labels: images }), false);
    await assert.rejects(loadDataset('mnist', dir, 'test'), /t10k-labels-idx1-ubyte: byte offset 0: wrong magic number: expected 2049 .*received 2051/);
  });

  test('a label out of range in a copy names its byte offset', async () => {
    const dir = await brokenMnist((images, labels) => {
      labels[8 + 1234] = 12;
      return { images, labels };
    });
    await assert.rejects(
      loadDataset('mnist', dir, 'test'),
      new RegExp(`t10k-labels-idx1-ubyte\\.gz: byte offset 1,242: label of sample 1,234 out of range: expected 0\\.\\.9; received 12`),
    );
  });

  test('images of the wrong size: 32×32 declared in the header', async () => {
    const dir = await brokenMnist((_images, labels) => ({ images: idxBytes(2051, [10_000, 32, 32], new Uint8Array(10_000 * 1024)), labels }));
    await assert.rejects(loadDataset('mnist', dir, 'test'), /t10k-images-idx3-ubyte\.gz: byte offset 8: wrong image size: mnist images are 28×28; the header declares 32×32/);
  });

  test('truncated IDX data inside a valid gzip, and counts that disagree', async () => {
    const short = await brokenMnist((images, labels) => ({ images: images.subarray(0, images.length - 784), labels }));
    await assert.rejects(loadDataset('mnist', short, 'test'), /truncated data: the header declares 10,000×28×28 = 7,840,000 bytes after the 16-byte header; the file holds 7,839,216/);
    const fewer = await brokenMnist((images, labels) => {
      const l = Buffer.from(labels.subarray(0, labels.length - 1));
      l.writeUInt32BE(9_999, 4);
      return { images, labels: l };
    });
    await assert.rejects(loadDataset('mnist', fewer, 'test'), /holds 10,000 images but .*t10k-labels-idx1-ubyte\.gz holds 9,999 labels/);
  });
});
