import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../../src/core/errors.js';
import { DIGITS_TEST_EVERY, loadDataset, parseDigitsCsv } from '../../src/data/index.js';
import { dataDir } from '../helpers/paths.js';
import { messages } from '../../src/core/messages.js';

const row = (pixels: (number | string)[], label: number | string) => [...pixels, label].join(',');
const zeros = () => new Array<number>(64).fill(0);

describe('digits CSV (synthetic)', () => {
  test('parses 64 pixels then the label; CRLF and a trailing newline are fine', () => {
    const px = zeros();
    px[9] = 16;
    const out = parseDigitsCsv(`${row(px, 3)}\r\n${row(zeros(), '7.0')}\n`, 'd.csv');
    assert.equal(out.count, 2);
    assert.deepEqual(Array.from(out.labels), [3, 7]);
    assert.equal(out.pixels[9], 16);
  });

  test('a line with the wrong number of values names the line', () => {
    assert.throws(
      () => parseDigitsCsv(`${row(zeros(), 1)}\n1,2,3\n`, 'd.csv'),
      (e: Error) => e instanceof DataError && e.message === messages.csvFieldCount('d.csv', 2, 65, 3),
    );
  });

  test('a pixel out of range or not a number names line and column', () => {
    const px = zeros();
    px[4] = 17;
    assert.throws(() => parseDigitsCsv(row(px, 0), 'd.csv'), /d\.csv: line 1, column 5: pixel 5 must be an integer 0\.\.16; received "17"/);
    const bad: (number | string)[] = zeros();
    bad[63] = 'x';
    assert.throws(() => parseDigitsCsv(`${row(zeros(), 0)}\n${row(bad, 0)}`, 'd.csv'), /line 2, column 64: pixel 64 must be an integer 0\.\.16; received "x"/);
    assert.throws(() => parseDigitsCsv(row(['-1', ...zeros().slice(1)], 0), 'd.csv'), /line 1, column 1/);
  });

  test('a label out of range names line and column 65', () => {
    assert.throws(() => parseDigitsCsv(row(zeros(), 10), 'd.csv'), /d\.csv: line 1, column 65: the label must be an integer 0\.\.9; received "10"/);
  });

  test('empty file and blank lines in the middle are errors', () => {
    assert.throws(() => parseDigitsCsv('\n\n', 'd.csv'), /d\.csv: no samples/);
    assert.throws(() => parseDigitsCsv(`${row(zeros(), 1)}\n\n${row(zeros(), 1)}`, 'd.csv'), /line 2: empty line/);
  });
});

describe('digits on disk', () => {
  test('1,797 samples, split per class into disjoint train and test', async () => {
    const train = await loadDataset('digits', dataDir(), 'train');
    const testSplit = await loadDataset('digits', dataDir(), 'test');
    assert.equal(train.count + testSplit.count, 1797);
    assert.deepEqual(train.shape, [8, 8, 1]);
    const perClass = (labels: Uint8Array) => Array.from({ length: 10 }, (_, k) => labels.filter((l) => l === k).length);
    const total = perClass(train.labels).map((n, k) => n + perClass(testSplit.labels)[k]!);
    assert.equal(total.reduce((a, b) => a + b, 0), 1797);
    assert.deepEqual(perClass(testSplit.labels), total.map((n) => Math.floor(n / DIGITS_TEST_EVERY)));
    // Independently of the loader: the rows of the raw file that are the 5th, 10th, ... of their class.
    const rows = gunzipSync(readFileSync(join(dataDir(), 'digits', 'digits.csv.gz'))).toString().trim().split('\n').map((l) => l.split(',').map(Number));
    const seen = new Array<number>(10).fill(0);
    const expectedTest = rows.filter((r) => ++seen[r[64]!]! % 5 === 0);
    assert.equal(expectedTest.length, testSplit.count);
    for (const i of [0, 1, 100, testSplit.count - 1]) {
      assert.deepEqual(Array.from(testSplit.images.subarray(i * 64, i * 64 + 64)), expectedTest[i]!.slice(0, 64));
      assert.equal(testSplit.labels[i], expectedTest[i]![64]);
    }
    assert.ok(Math.max(...train.images) <= 16);
  });
});
