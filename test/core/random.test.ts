import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Rng, epochPermutation, epochRng, permutation, shuffled } from '../../src/data/index.js';

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe('Rng', () => {
  test('the same seed gives the same sequence; other seeds and streams differ', () => {
    assert.deepEqual(draw(new Rng(42), 20), draw(new Rng(42), 20));
    assert.notDeepEqual(draw(new Rng(42), 20), draw(new Rng(43), 20));
    assert.notDeepEqual(draw(new Rng(42, 0), 20), draw(new Rng(42, 1), 20));
    assert.notDeepEqual(draw(new Rng(1), 20), draw(new Rng(2 ** 32 + 1), 20));
  });

  test('a saved state continues the sequence exactly', () => {
    const a = new Rng(7);
    draw(a, 13);
    const b = Rng.fromState(a.state());
    assert.deepEqual(draw(a, 50), draw(b, 50));
    assert.throws(() => Rng.fromState([0, 0, 0, 0]), /not all zero/);
    assert.throws(() => Rng.fromState([1, 2, 3]), /4 unsigned 32-bit integers/);
  });

  test('next() lies in [0, 1) with mean near 1/2; int(n) covers 0..n-1 evenly', () => {
    const rng = new Rng(1);
    let sum = 0;
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) {
      const x = rng.next();
      assert.ok(x >= 0 && x < 1);
      sum += x;
      counts[rng.int(6)]! += 1;
    }
    assert.ok(Math.abs(sum / 60_000 - 0.5) < 0.01);
    // Chi-square with 5 degrees of freedom: 20.5 is the 0.999 quantile.
    const chi2 = counts.reduce((a, c) => a + (c - 10_000) ** 2 / 10_000, 0);
    assert.ok(chi2 < 20.5, `chi2 ${chi2} counts ${counts}`);
  });

  test('seeds must be integers', () => {
    assert.throws(() => new Rng(0.5), /seed must be a finite integer; received 0\.5/);
    assert.throws(() => new Rng(Number.NaN), /seed must be a finite integer/);
  });
});

describe('shuffling', () => {
  test('permutation holds every index exactly once and depends on the seed', () => {
    const p = permutation(1000, new Rng(3));
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
    assert.notDeepEqual(Array.from(p), Array.from({ length: 1000 }, (_, i) => i));
    assert.deepEqual(p, permutation(1000, new Rng(3)));
    assert.notDeepEqual(p, permutation(1000, new Rng(4)));
  });

  test('every position is equally likely (first element of a 4-permutation)', () => {
    const rng = new Rng(11);
    const first = new Array<number>(4).fill(0);
    for (let i = 0; i < 8000; i++) first[permutation(4, rng)[0]!]! += 1;
    for (const c of first) assert.ok(Math.abs(c - 2000) < 200, `${first}`);
  });

  test('shuffled leaves its input alone; epochPermutation is a function of (seed, epoch)', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const out = shuffled(items, new Rng(5));
    assert.deepEqual(items, ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual([...out].sort(), items);
    assert.deepEqual(epochPermutation(500, 9, 3), epochPermutation(500, 9, 3));
    assert.notDeepEqual(epochPermutation(500, 9, 3), epochPermutation(500, 9, 4));
    assert.deepEqual(epochPermutation(500, 9, 3), permutation(500, epochRng(9, 3, 'order')));
  });

  test('epoch generators: order and augmentation streams differ, epochs differ, all reproducible', () => {
    const seqs = [epochRng(1, 0, 'order'), epochRng(1, 0, 'augment'), epochRng(1, 1, 'order'), epochRng(1, 1, 'augment')].map((r) => draw(r, 8).join());
    assert.equal(new Set(seqs).size, 4);
    assert.deepEqual(draw(epochRng(1, 1, 'augment'), 8).join(), seqs[3]);
  });
});
