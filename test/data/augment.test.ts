import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Rng, randomCropFlip, type ImageSet } from '../../src/data/index.js';

const images = (count: number, h: number, w: number, c: number): ImageSet => ({
  images: Float32Array.from({ length: count * h * w * c }, (_, i) => i + 1),
  shape: [h, w, c],
  count,
});

/** Reference: explicit zero padding, crop at (oy, ox) of the padded image, then mirror. */
function reference(set: ImageSet, n: number, pad: number, oy: number, ox: number, mirror: boolean): number[] {
  const [h, w, c] = set.shape;
  const H = h + 2 * pad;
  const W = w + 2 * pad;
  const padded = new Array<number>(H * W * c).fill(0);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) padded[((y + pad) * W + x + pad) * c + k] = set.images[((n * h + y) * w + x) * c + k]!;
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const cx = mirror ? w - 1 - x : x;
      for (let k = 0; k < c; k++) out.push(padded[((y + oy) * W + cx + ox) * c + k]!);
    }
  }
  return out;
}

describe('randomCropFlip', () => {
  test('matches explicit pad → crop → flip for the offsets the generator draws', () => {
    const set = images(6, 8, 8, 3);
    const out = randomCropFlip(set, new Rng(21), { padding: 4 });
    const replay = new Rng(21);
    const size = 8 * 8 * 3;
    let flips = 0;
    for (let n = 0; n < set.count; n++) {
      const oy = replay.int(9);
      const ox = replay.int(9);
      const mirror = replay.next() < 0.5;
      flips += mirror ? 1 : 0;
      assert.deepEqual(Array.from(out.images.subarray(n * size, (n + 1) * size)), reference(set, n, 4, oy, ox, mirror), `image ${n}`);
    }
    assert.ok(flips > 0 && flips < set.count, 'both flipped and unflipped images occur for this seed');
  });

  test('padding 0 without flip is the identity; flip only mirrors each row', () => {
    const set = images(2, 3, 4, 1);
    assert.deepEqual(randomCropFlip(set, new Rng(1), { padding: 0, flip: false }).images, set.images);
    const rng = new Rng(2);
    const out = randomCropFlip(set, rng, { padding: 0 });
    const replay = new Rng(2);
    for (let n = 0; n < 2; n++) {
      replay.int(1);
      replay.int(1);
      const mirror = replay.next() < 0.5;
      for (let y = 0; y < 3; y++) {
        const row = Array.from(set.images.subarray(n * 12 + y * 4, n * 12 + y * 4 + 4));
        assert.deepEqual(Array.from(out.images.subarray(n * 12 + y * 4, n * 12 + y * 4 + 4)), mirror ? row.reverse() : row);
      }
    }
  });

  test('same seed, same result; input unchanged; fill value used for padding', () => {
    const set = images(4, 32, 32, 3);
    const before = set.images.slice();
    const a = randomCropFlip(set, new Rng(5));
    assert.deepEqual(a.images, randomCropFlip(set, new Rng(5)).images);
    assert.deepEqual(set.images, before);
    const filled = randomCropFlip(set, new Rng(5), { fill: -1 });
    const zeros = a.images.filter((v) => v === 0).length;
    assert.equal(filled.images.filter((v) => v === -1).length, zeros);
    assert.throws(() => randomCropFlip(set, new Rng(5), { padding: -1 }), /padding must be a non-negative integer; received -1/);
  });
});
