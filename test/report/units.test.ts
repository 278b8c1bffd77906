/** Human units for tables and the exact forms beside them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bytes, human, int, percent, shape, sig3 } from '../../src/report/units.js';

describe('units', () => {
  test('human: SI suffixes, trailing zeros trimmed', () => {
    assert.deepEqual([0, 840, 4704, 117_600, 61_706, 3_857_973_248, 1e12].map((x) => human(x)), ['0', '840', '4.7k', '117.6k', '61.71k', '3.86G', '1T']);
  });

  test('bytes: binary units', () => {
    assert.deepEqual([40, 1024, 1536, 18_816, 10 * 1024 ** 3].map((x) => bytes(x)), ['40 B', '1 KiB', '1.5 KiB', '18.4 KiB', '10 GiB']);
  });

  test('int groups thousands, sig3 keeps three significant digits', () => {
    assert.deepEqual([0, 999, 61_706, 25_636_712].map(int), ['0', '999', '61,706', '25,636,712']);
    assert.deepEqual([138.357544, 62.378344, 6.8, 0.061706, 1234.5].map(sig3), ['138', '62.4', '6.8', '0.0617', '1,235']);
  });

  test('percent and shape', () => {
    assert.equal(percent(1 - 0.921), '7.9');
    assert.equal(shape([28, 28, 6]), '(28,28,6)');
    assert.equal(shape([400]), '(400,)');
  });
});
