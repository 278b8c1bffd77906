import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { batchCount, batches, epochPermutation, splitValidation, subset, type LabeledSet } from '../../src/data/index.js';

/** Image i is filled with the value i; its label is i mod 10. */
const numbered = (count: number): LabeledSet => ({
  images: Float32Array.from({ length: count * 4 }, (_, k) => Math.floor(k / 4)),
  labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
  shape: [2, 2, 1],
  count,
});

describe('batches', () => {
  test('cover every sample once in the given order; the last batch is smaller', () => {
    const set = numbered(10);
    const order = epochPermutation(10, 1, 0);
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const b of batches(set, 4, { order })) {
      sizes.push(b.count);
      assert.equal(b.images.length, b.count * 4);
      for (let i = 0; i < b.count; i++) {
        assert.equal(b.images[i * 4], b.indices[i]);
        assert.equal(b.labels[i], b.indices[i]! % 10);
        seen.push(b.indices[i]!);
      }
    }
    assert.deepEqual(sizes, [4, 4, 2]);
    assert.deepEqual(seen, Array.from(order));
  });

  test('dropLast drops the short batch; batchCount agrees', () => {
    assert.equal([...batches(numbered(10), 4, { dropLast: true })].length, 2);
    assert.equal(batchCount(10, 4), 3);
    assert.equal(batchCount(10, 4, true), 2);
    assert.throws(() => batchCount(10, 0), /batch size must be a positive integer; received 0/);
    assert.throws(() => [...batches(numbered(3), 2, { order: [0, 1] })], /batch order must list 3 sample indices; received 2/);
  });

  test('subset copies the chosen samples and checks indices', () => {
    const s = subset(numbered(5), [4, 0]);
    assert.deepEqual(Array.from(s.images), [4, 4, 4, 4, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(s.labels), [4, 0]);
    assert.throws(() => subset(numbered(5), [5]), /index 5 is out of range 0\.\.4/);
  });

  test('splitValidation: last fraction without a seed (as Keras), a seeded random subset with one', () => {
    const { train, validation } = splitValidation(numbered(10), 0.2);
    assert.deepEqual(Array.from(validation.labels), [8, 9]);
    assert.equal(train.count, 8);
    const seeded = splitValidation(numbered(100), 0.1, 7);
    const valIds = Array.from({ length: seeded.validation.count }, (_, i) => seeded.validation.images[i * 4]!);
    const trainIds = Array.from({ length: seeded.train.count }, (_, i) => seeded.train.images[i * 4]!);
    assert.equal(valIds.length, 10);
    assert.deepEqual([...valIds, ...trainIds].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    assert.notDeepEqual(valIds, [90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    assert.deepEqual(valIds, [...valIds].sort((a, b) => a - b), 'each part keeps file order');
    assert.throws(() => splitValidation(numbered(10), 1), /validation fraction must be in \[0, 1\); received 1/);
  });
});
