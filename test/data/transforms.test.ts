import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { channelStats, convertChannels, fitToInput, normalize, padCenter, resizeBilinear, type ImageSet } from '../../src/data/index.js';

const set = (shape: [number, number, number], values: number[], count = 1): ImageSet => ({ images: Float32Array.from(values), shape, count });
const ramp = (n: number) => Array.from({ length: n }, (_, i) => i);
const close = (a: ArrayLike<number>, b: number[], eps = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= eps, `at ${i}: ${a[i]} vs ${b[i]}`);
};

describe('normalization', () => {
  test('scale, then per-channel mean/std', () => {
    const s = set([1, 2, 2], [10, 100, 20, 200]);
    close(normalize(s, { scale: 0.1 }).images, [1, 10, 2, 20]);
    close(normalize(s, { scale: 1, mean: [15, 150], std: [5, 50] }).images, [-1, -1, 1, 1]);
    assert.deepEqual(Array.from(s.images), [10, 100, 20, 200], 'input unchanged');
  });

  test('channelStats gives population mean and std per channel; standardizing with them gives 0 and 1', () => {
    const s = set([2, 2, 2], [1, 10, 2, 20, 3, 30, 4, 40]);
    const st = channelStats(s);
    close(st.mean, [2.5, 25]);
    close(st.std, [Math.sqrt(1.25), Math.sqrt(125)]);
    const z = channelStats(normalize(s, st));
    close(z.mean, [0, 0], 1e-6);
    close(z.std, [1, 1], 1e-6);
  });

  test('statistics of the wrong length and a zero std are refused', () => {
    const s = set([1, 1, 2], [1, 2]);
    assert.throws(() => normalize(s, { mean: [0] }), (e: Error) => e instanceof UsageError && /mean must hold one value per channel \(2\); received 1/.test(e.message));
    assert.throws(() => normalize(s, { std: [1, 0] }), /std of channel 1 is 0/);
    assert.throws(() => normalize({ images: new Float32Array(3), shape: [1, 1, 2], count: 1 }, {}), /images hold 3 values; 1 images of 1×1×2 need 2/);
  });
});

describe('fitting images to a model input', () => {
  test('padCenter 28→32 puts the image at rows/cols 2..29 with zeros around (LeNet)', () => {
    const s = set([28, 28, 1], ramp(784).map((i) => i + 1), 1);
    const p = padCenter(s, [32, 32]);
    assert.deepEqual(p.shape, [32, 32, 1]);
    assert.equal(p.images[0], 0);
    assert.equal(p.images[2 * 32 + 1], 0);
    assert.equal(p.images[2 * 32 + 2], 1);
    assert.equal(p.images[29 * 32 + 29], 784);
    assert.equal(p.images[29 * 32 + 30], 0);
    assert.equal(p.images.reduce((a, b) => a + b, 0), (784 * 785) / 2);
  });

  test('padCenter with an odd margin puts the extra pixel bottom/right; refuses to shrink', () => {
    const p = padCenter(set([1, 1, 1], [5]), [2, 3]);
    assert.deepEqual(Array.from(p.images), [0, 5, 0, 0, 0, 0]);
    assert.throws(() => padCenter(set([2, 2, 1], [1, 2, 3, 4]), [1, 4]), /cannot pad 2×2×1 images to 1×4×1/);
  });

  test('resizeBilinear: same size is identity, constants stay constant', () => {
    const s = set([3, 4, 2], ramp(24), 1);
    close(resizeBilinear(s, [3, 4]).images, ramp(24));
    const c = resizeBilinear(set([5, 5, 1], new Array(25).fill(7)), [13, 9]);
    assert.ok(c.images.every((v) => Math.abs(v - 7) < 1e-6));
  });

  test('resizeBilinear uses half-pixel centres: 4→2 averages pairs, 2→4 interpolates by quarters', () => {
    close(resizeBilinear(set([1, 4, 1], [0, 2, 4, 6]), [1, 2]).images, [1, 5]);
    close(resizeBilinear(set([1, 2, 1], [0, 4]), [1, 4]).images, [0, 1, 3, 4]);
    // 2×2 → 4×4: the inner 2×2 are bilinear blends at offsets 0.25 / 0.75.
    const up = resizeBilinear(set([2, 2, 1], [0, 4, 8, 12]), [4, 4]).images;
    close([up[5]!, up[6]!, up[9]!, up[10]!], [3, 5, 7, 9]);
  });

  test('convertChannels replicates gray to RGB and refuses 3→1', () => {
    const rgb = convertChannels(set([1, 2, 1], [3, 9]), 3);
    assert.deepEqual(rgb.shape, [1, 2, 3]);
    assert.deepEqual(Array.from(rgb.images), [3, 3, 3, 9, 9, 9]);
    assert.throws(() => convertChannels(set([1, 1, 3], [1, 2, 3]), 1), /cannot convert 3-channel images to 1 channels/);
  });

  test('fitToInput pads when growing, resizes when shrinking, then replicates channels', () => {
    const s = set([28, 28, 1], new Array(784 * 2).fill(1), 2);
    const padded = fitToInput(s, [32, 32, 3]);
    assert.deepEqual(padded.shape, [32, 32, 3]);
    assert.equal(padded.count, 2);
    assert.equal(padded.images.reduce((a, b) => a + b, 0), 784 * 3 * 2);
    const resized = fitToInput(s, [32, 32, 1], 'resize');
    assert.ok(resized.images.every((v) => Math.abs(v - 1) < 1e-6));
    assert.deepEqual(fitToInput(s, [14, 14, 1]).shape, [14, 14, 1]);
    const same = fitToInput(s, [28, 28, 1]);
    assert.notEqual(same.images, s.images, 'a copy, never the input buffer');
    assert.throws(() => fitToInput(s, [0, 32, 1]), /model input must be \[height, width, channels\] of positive integers; received \[0,32,1\]/);
  });
});
