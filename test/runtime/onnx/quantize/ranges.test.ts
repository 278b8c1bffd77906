/** Calibration statistics and range methods; uint8 activation and int8 weight parameters. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../../../src/core/random.js';
import { activationParams, quantizeWeights, roundEven } from '../../../../src/runtime/onnx/quantize/qdq.js';
import {
  chooseRange, emptyStats, HALF_BINS, klThreshold, observeHistogram, observeRange, type TensorStats,
} from '../../../../src/runtime/onnx/quantize/ranges.js';

/** Statistics of `data` after both passes. */
function statsOf(data: Float32Array): TensorStats {
  const s = emptyStats();
  observeRange(s, data);
  observeHistogram(s, data);
  return s;
}

/** Standard normal values (Box–Muller) from a seeded generator. */
function normal(n: number, seed = 1): Float32Array {
  const rng = new Rng(seed, 3);
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
}

describe('calibration ranges', () => {
  it('minmax keeps the observed extremes, the outlier included', () => {
    const data = Float32Array.from({ length: 100_000 }, (_, i) => (i % 1000) / 1000);
    data[5] = 100;
    data[6] = -3;
    assert.deepEqual(chooseRange(statsOf(data), 'minmax'), { min: -3, max: 100 });
  });

  it('percentile drops the rarest values at each end', () => {
    const data = Float32Array.from({ length: 100_000 }, (_, i) => (i % 1000) / 1000);
    data[5] = 100;
    const r = chooseRange(statsOf(data), 'percentile', { percentile: 99.99 });
    assert.equal(r.min, 0);
    assert.ok(r.max > 0.99 && r.max < 1.1, `max ${r.max} should sit at the bulk's top (1), not at the outlier`);
    // Keeping everything gives the extremes back (to within one bin).
    const all = chooseRange(statsOf(data), 'percentile', { percentile: 100 });
    assert.ok(all.max >= 100 - 100 / HALF_BINS);
  });

  it('entropy clips a long-tailed distribution inside its extremes but beyond its bulk', () => {
    const data = normal(200_000);
    data[0] = 40;
    const s = statsOf(data);
    const r = chooseRange(s, 'entropy');
    assert.ok(r.max < 20, `threshold ${r.max} should cut the lone outlier at 40`);
    assert.ok(r.max > 2.5, `threshold ${r.max} should keep the bulk of a unit normal`);
    assert.ok(r.min < -2.5 && r.min >= s.min);
  });

  it('entropy is not pulled down by the exact zeros of a ReLU output', () => {
    const half = normal(100_000, 5).map(Math.abs);
    const data = new Float32Array(250_000);
    data.set(half, 150_000);
    const r = chooseRange(statsOf(data), 'entropy');
    assert.equal(r.min, 0);
    assert.ok(r.max > 2.5, `threshold ${r.max} should keep the bulk of the non-zero values (a half-normal)`);
  });

  it('entropy keeps the whole range of a uniform distribution', () => {
    const data = Float32Array.from({ length: 200_000 }, (_, i) => (i % 5000) / 5000);
    const r = chooseRange(statsOf(data), 'entropy');
    assert.ok(r.max > 0.95, `threshold ${r.max} should stay near the top of [0, 1)`);
  });

  it('klThreshold keeps every bin when fewer bins are used than there are levels', () => {
    const h = new Float64Array(2048);
    h.fill(1, 0, 100);
    assert.equal(klThreshold(h, 128), 100);
  });

  it('a tensor that is always zero gets a usable range', () => {
    const s = statsOf(new Float32Array(64));
    for (const m of ['minmax', 'percentile', 'entropy'] as const) assert.deepEqual(activationParams(chooseRange(s, m)), { scale: 1, zeroPoint: 0 });
  });
});

describe('quantization parameters', () => {
  it('uint8 activations: the range is widened to include 0, which is exact', () => {
    assert.deepEqual(activationParams({ min: 0, max: 6 }), { scale: 6 / 255, zeroPoint: 0 });
    const p = activationParams({ min: -1, max: 1 });
    assert.equal(p.scale, 2 / 255);
    assert.equal(p.zeroPoint, 128);
    // A range above zero still represents zero (padding) exactly.
    assert.deepEqual(activationParams({ min: 2, max: 4 }), { scale: 4 / 255, zeroPoint: 0 });
    assert.equal(activationParams({ min: -5, max: -1 }).zeroPoint, 255);
  });

  it('int8 weights: one symmetric scale per output channel, rounding within half a step', () => {
    // Two output channels of 2×3 values (layout [K, ...]).
    const w = Float32Array.from([0.5, -1, 0.25, 1, 0, -0.5, 10, -20, 5, 0, 0, 1]);
    const { q, scales } = quantizeWeights(w, [2, 2, 3], 0, 127);
    assert.deepEqual(Array.from(scales), [Math.fround(1 / 127), Math.fround(20 / 127)]);
    assert.equal(q[1], -127);
    assert.equal(q[7], -127);
    w.forEach((v, i) => assert.ok(Math.abs(q[i]! * scales[Math.floor(i / 6)]! - v) <= scales[Math.floor(i / 6)]! / 2 + 1e-7));
  });

  it('int8 weights along the last axis (Gemm B is [in, out]) and 7-bit limits', () => {
    const w = Float32Array.from([1, -5, 2, 8, -3, 1]);
    const { q, scales } = quantizeWeights(w, [3, 2], 1, 63);
    assert.deepEqual(Array.from(scales), [Math.fround(3 / 63), Math.fround(8 / 63)]);
    assert.deepEqual(Array.from(q), [21, -39, 42, 63, -63, 8]);
  });

  it('rounds half to even, as QuantizeLinear does', () => {
    assert.deepEqual([2.5, 3.5, -2.5, -31.5, 0.4, -0.6].map(roundEven), [2, 4, -2, -32, 0, -1]);
  });

  it('an all-zero channel gets scale 1 and zeros', () => {
    const { q, scales } = quantizeWeights(new Float32Array(4), [2, 2], 0, 127);
    assert.deepEqual(Array.from(scales), [1, 1]);
    assert.deepEqual(Array.from(q), [0, 0, 0, 0]);
  });
});
