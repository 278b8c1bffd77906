/**
 * convlab's wasm kernels against the CPU backend on random inputs: the gradient kernels wasm
 * lacks, and the replacements for its slow ones. Without dilation the reference is the CPU
 * backend's own kernel; the CPU kernels ignore dilation, so dilated cases are checked against
 * the CPU gradient of the same conv written with a zero-expanded filter.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/runtime/tfjs/backend.js';

type Pad = 'valid' | 'same';
interface Case {
  name: string;
  x: [number, number, number, number];
  k: [number, number];
  cout?: number;
  dm?: number;
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
}

/** Deterministic uniform values in [-1, 1). */
function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Output spatial shape of the forward conv, by tfjs' rule. */
function outShape(c: Case, filterShape: number[], depthwise: boolean): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, filterShape as [number, number, number, number], c.strides, c.dilations, c.pad, undefined, depthwise).outShape;
}

/** [fh, fw, ...] -> [(fh-1)d+1, (fw-1)d+1, ...] with zeros between taps: a dilated filter as a dense one. */
function expand(w: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [fh, fw, a, b] = w.shape;
  const six = w.reshape([fh, 1, fw, 1, a, b]).pad([[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
  return six.reshape([fh * dh, fw * dw, a, b]).slice([0, 0, 0, 0], [(fh - 1) * dh + 1, (fw - 1) * dw + 1, a, b]) as tf.Tensor4D;
}

/** Runs `f` on a backend and returns plain values, so nothing crosses backends by accident. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const t = tf.tidy(f);
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length, 'result sizes differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const dilated = (c: Case) => c.dilations[0] > 1 || c.dilations[1] > 1;

/** The reference gradient (dx or dW) on the CPU backend. */
function cpuReference(c: Case, kind: 'filter' | 'input', depthwise: boolean, xv: Float32Array, wv: Float32Array, dyv: Float32Array, wShape: number[], dyShape: number[]): tf.Tensor {
  const x = tf.tensor4d(xv, c.x);
  const w = tf.tensor4d(wv, wShape as [number, number, number, number]);
  const dy = tf.tensor4d(dyv, dyShape as [number, number, number, number]);
  if (!dilated(c)) {
    if (depthwise && kind === 'filter') return tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: c.strides, dilations: c.dilations, pad: c.pad, filterShape: wShape }) as tf.Tensor;
    if (depthwise) return tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { strides: c.strides, dilations: c.dilations, pad: c.pad, inputShape: c.x }) as tf.Tensor;
    if (kind === 'input') return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor;
    return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: wShape }) as tf.Tensor;
  }
  // sum(conv(x, w) · dy) has gradient dy-weighted: its grads are exactly the backprop kernels' outputs.
  const loss = (xx: tf.Tensor4D, ww: tf.Tensor4D) => {
    const big = expand(ww, c.dilations);
    const y = depthwise ? tf.depthwiseConv2d(xx, big, c.strides, c.pad) : tf.conv2d(xx, big, c.strides, c.pad);
    return y.mul(dy).sum();
  };
  const [gx, gw] = tf.grads((xx, ww) => loss(xx as tf.Tensor4D, ww as tf.Tensor4D))([x, w]);
  return kind === 'filter' ? gw! : gx!;
}

const CONV_CASES: Case[] = [
  { name: '3x3 stride 1 same', x: [4, 9, 9, 3], k: [3, 3], cout: 5, strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { name: '3x3 stride 2 same (odd size)', x: [3, 11, 11, 4], k: [3, 3], cout: 6, strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { name: '5x5 stride 1 valid (LeNet conv2)', x: [8, 14, 14, 6], k: [5, 5], cout: 16, strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  { name: '3x3 stride 2 valid (cropped tail)', x: [2, 10, 12, 3], k: [3, 3], cout: 4, strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { name: '7x7 stride 2 same, even size', x: [2, 16, 16, 3], k: [7, 7], cout: 8, strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { name: '1x3 asymmetric, strides [1, 2]', x: [2, 8, 9, 5], k: [1, 3], cout: 3, strides: [1, 2], dilations: [1, 1], pad: 'same' },
  { name: '1x1 stride 2', x: [2, 8, 8, 7], k: [1, 1], cout: 5, strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { name: '3x3 dilation 2 same', x: [2, 12, 12, 3], k: [3, 3], cout: 4, strides: [1, 1], dilations: [2, 2], pad: 'same' },
  { name: '3x3 dilation 2 valid', x: [2, 11, 13, 2], k: [3, 3], cout: 3, strides: [1, 1], dilations: [2, 2], pad: 'valid' },
  // First layers (few input channels, many filters) take the matrix-product path.
  { name: 'first layer: 1 channel, 3x3 same, 16 filters', x: [4, 12, 12, 1], k: [3, 3], cout: 16, strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { name: 'first layer: 3 channels, 3x3 valid, 20 filters', x: [3, 10, 9, 3], k: [3, 3], cout: 20, strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  { name: 'first layer: 1 channel, 3x3 dilation 2 same, 16 filters', x: [2, 11, 11, 1], k: [3, 3], cout: 16, strides: [1, 1], dilations: [2, 2], pad: 'same' },
];

const DEPTHWISE_CASES: Case[] = [
  { name: '3x3 stride 1 same', x: [4, 9, 9, 5], k: [3, 3], dm: 1, strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { name: '3x3 stride 2 same, odd size', x: [3, 11, 11, 4], k: [3, 3], dm: 1, strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { name: '3x3 stride 2 same, even size', x: [2, 12, 12, 3], k: [3, 3], dm: 1, strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { name: '5x5 stride 2 valid, cropped tail', x: [2, 14, 13, 3], k: [5, 5], dm: 1, strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { name: '3x3 depth multiplier 2, same', x: [3, 8, 8, 4], k: [3, 3], dm: 2, strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { name: '3x3 depth multiplier 2, stride 2 valid', x: [2, 9, 10, 3], k: [3, 3], dm: 2, strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { name: '3x3 dilation 2 same', x: [2, 12, 12, 4], k: [3, 3], dm: 1, strides: [1, 1], dilations: [2, 2], pad: 'same' },
  { name: '3x3 dilation 2 valid, depth multiplier 2', x: [2, 11, 10, 3], k: [3, 3], dm: 2, strides: [1, 1], dilations: [2, 2], pad: 'valid' },
];

/** Largest error allowed: float32 sums of a few thousand products, in either order. */
const TOLERANCE = 1e-4;

const worst: Record<string, number> = {};

async function check(c: Case, kind: 'filter' | 'input', depthwise: boolean): Promise<number> {
  const cin = c.x[3];
  const wShape = depthwise ? [c.k[0], c.k[1], cin, c.dm!] : [c.k[0], c.k[1], cin, c.cout!];
  const dyShape = outShape(c, wShape, depthwise);
  const xv = random(size(c.x), 1);
  const wv = random(size(wShape), 2);
  const dyv = random(size(dyShape), 3);
  const expected = await on('cpu', () => cpuReference(c, kind, depthwise, xv, wv, dyv, wShape, dyShape));
  const actual = await on('wasm', () => {
    const x = tf.tensor4d(xv, c.x);
    const w = tf.tensor4d(wv, wShape as [number, number, number, number]);
    const dy = tf.tensor4d(dyv, dyShape as [number, number, number, number]);
    if (depthwise && kind === 'filter') return tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: c.strides, dilations: c.dilations, pad: c.pad, filterShape: wShape }) as tf.Tensor;
    if (depthwise) return tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { strides: c.strides, dilations: c.dilations, pad: c.pad, inputShape: c.x }) as tf.Tensor;
    if (kind === 'input') return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: c.strides, dilations: c.dilations, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor;
    return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: c.strides, dilations: c.dilations, pad: c.pad, dataFormat: 'NHWC', filterShape: wShape }) as tf.Tensor;
  });
  const diff = maxAbsDiff(actual, expected);
  const key = `${depthwise ? 'DepthwiseConv2dNativeBackprop' : 'Conv2DBackprop'}${kind === 'filter' ? 'Filter' : 'Input'}`;
  worst[key] = Math.max(worst[key] ?? 0, diff);
  return diff;
}

/** Runs the same kernel on both backends and returns the largest difference. */
async function compare(key: string, kernel: string, inputs: Record<string, { values: Float32Array; shape: number[] }>, attrs: Record<string, unknown>): Promise<number> {
  const run = () => {
    const ts: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) ts[k] = tf.tensor(v.values, v.shape);
    return tf.engine().runKernel(kernel, ts, attrs as tf.NamedAttrMap) as tf.Tensor;
  };
  const diff = maxAbsDiff(await on('wasm', run), await on('cpu', run));
  worst[key] = Math.max(worst[key] ?? 0, diff);
  return diff;
}

const rand = (shape: number[], seed: number, scale = 1) => ({ values: random(size(shape), seed).map((v) => v * scale), shape });

describe('wasm kernels match the CPU backend', () => {
  before(async () => {
    const info = await initBackend({ backend: 'wasm', threads: 1 });
    assert.equal(info.name, 'wasm');
  });

  describe('Conv2DBackpropFilter (missing from wasm)', () => {
    for (const c of CONV_CASES) {
      test(c.name, async () => {
        const diff = await check(c, 'filter', false);
        assert.ok(diff <= TOLERANCE, `max abs diff ${diff} > ${TOLERANCE}`);
      });
    }
  });

  describe('DepthwiseConv2dNativeBackpropInput (missing from wasm)', () => {
    for (const c of DEPTHWISE_CASES) {
      test(c.name, async () => {
        const diff = await check(c, 'input', true);
        assert.ok(diff <= TOLERANCE, `max abs diff ${diff} > ${TOLERANCE}`);
      });
    }
  });

  describe('DepthwiseConv2dNativeBackpropFilter (missing from wasm)', () => {
    for (const c of DEPTHWISE_CASES) {
      test(c.name, async () => {
        const diff = await check(c, 'filter', true);
        assert.ok(diff <= TOLERANCE, `max abs diff ${diff} > ${TOLERANCE}`);
      });
    }
  });

  describe('Conv2DBackpropInput (replaced: XNNPACK instead of a scalar loop)', () => {
    for (const c of CONV_CASES) {
      test(c.name, async () => {
        const diff = await check(c, 'input', false);
        assert.ok(diff <= TOLERANCE, `max abs diff ${diff} > ${TOLERANCE}`);
      });
    }
  });

  describe('BatchMatMul (replaced: transposed products through XNNPACK)', () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      test(`transposeA ${ta}, transposeB ${tb}`, async () => {
        const a = rand(ta ? [37, 23] : [23, 37], 4);
        const b = rand(tb ? [19, 37] : [37, 19], 5);
        const diff = await compare('BatchMatMul', 'BatchMatMul', { a, b }, { transposeA: ta, transposeB: tb });
        assert.ok(diff <= TOLERANCE, `max abs diff ${diff}`);
      });
    }
    test('batched operands keep the native path', async () => {
      const diff = await compare('BatchMatMul', 'BatchMatMul', { a: rand([3, 5, 7], 6), b: rand([3, 4, 7], 7) }, { transposeA: false, transposeB: true });
      assert.ok(diff <= TOLERANCE, `max abs diff ${diff}`);
    });
  });

  describe('AvgPoolGrad (replaced when windows tile the input)', () => {
    const cases: Array<[string, number[], number, number, 'valid' | 'same']> = [
      ['2x2 stride 2, sizes divisible', [3, 8, 8, 4], 2, 2, 'valid'],
      ['2x2 stride 2, odd sizes leave a remainder', [2, 9, 7, 3], 2, 2, 'valid'],
      ['3x3 stride 3', [2, 9, 10, 2], 3, 3, 'valid'],
      ['3x3 stride 2 same (native path)', [2, 9, 9, 3], 3, 2, 'same'],
    ];
    for (const [name, shape, k, st, pad] of cases) {
      test(name, async () => {
        const out = tf.backend_util.computePool2DInfo(shape as [number, number, number, number], k, st, 1, pad).outShape;
        const diff = await compare('AvgPoolGrad', 'AvgPoolGrad', { dy: rand(out, 8), input: rand(shape, 9) }, { filterSize: k, strides: st, pad });
        assert.ok(diff <= 1e-6, `max abs diff ${diff}`);
      });
    }
  });

  describe('MaxPoolGrad (replaced: first maximum of each window, padding as −∞)', () => {
    const ties = (shape: number[], seed: number) => ({ values: random(size(shape), seed).map((v) => Math.floor(v * 1.5) + 1), shape });
    const cases: Array<[string, { values: Float32Array; shape: number[] }, number, number, 'valid' | 'same']> = [
      ['2x2 stride 2, random values', rand([3, 8, 8, 4], 14), 2, 2, 'valid'],
      ['2x2 stride 2, many tied maxima (values 0, 1, 2)', ties([2, 8, 6, 5], 15), 2, 2, 'valid'],
      ['2x2 stride 2, odd sizes leave a remainder', ties([2, 9, 7, 3], 16), 2, 2, 'valid'],
      ['3x3 stride 3, ties', ties([2, 9, 9, 2], 17), 3, 3, 'valid'],
      ['2x2 stride 2 same on even sizes', rand([2, 6, 6, 3], 18), 2, 2, 'same'],
      ['3x3 stride 2 same: overlapping windows, padding, ties', ties([2, 9, 9, 3], 19), 3, 2, 'same'],
      ['3x3 stride 2 same, all values negative: padding never wins', { values: rand([2, 7, 7, 2], 21).values.map((v) => -1 - Math.abs(v)), shape: [2, 7, 7, 2] }, 3, 2, 'same'],
      ['3x3 stride 1 valid', rand([2, 8, 8, 3], 22), 3, 1, 'valid'],
    ];
    for (const [name, x, k, st, pad] of cases) {
      test(name, async () => {
        const out = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], k, st, 1, pad).outShape;
        await tf.setBackend('cpu');
        const y = tf.maxPool(tf.tensor4d(x.values, x.shape as [number, number, number, number]), k, st, pad);
        const output = { values: (await y.data()) as Float32Array, shape: out };
        y.dispose();
        const diff = await compare('MaxPoolGrad', 'MaxPoolGrad', { dy: rand(out, 20), input: x, output }, { filterSize: k, strides: st, pad });
        // Overlapping windows add several dy into one element, in another order than the CPU's.
        assert.ok(k === st ? diff === 0 : diff <= 1e-6, `max abs diff ${diff}`);
      });
    }
  });

  describe('Sum (replaced for leading axes: average pooling over rows)', () => {
    const cases: Array<[string, number[], number[], boolean]> = [
      ['a bias gradient: axes 0, 1, 2 of NHWC', [8, 9, 7, 5], [0, 1, 2], false],
      ['leading axes, keepDims', [6, 4, 3], [0, 1], true],
      ['everything', [5, 4, 3], [0, 1, 2], false],
      ['a middle axis (native path)', [4, 5, 6], [1], false],
    ];
    for (const [name, shape, axis, keepDims] of cases) {
      test(name, async () => {
        const diff = await compare('Sum', 'Sum', { x: rand(shape, 11) }, { axis, keepDims });
        assert.ok(diff <= 1e-4, `max abs diff ${diff}`);
      });
    }
  });

  describe('Slice and SplitV (replaced: read in place)', () => {
    const cases: Array<[string, number[], number[], number[]]> = [
      ['a crop of H and W', [3, 9, 8, 4], [0, 2, 1, 0], [3, 5, 6, 4]],
      ['a block of every axis', [4, 5, 6, 7], [1, 2, 3, 4], [2, 3, 2, 3]],
      ['a 1-D range', [1000], [137], [500]],
      ['whole trailing rows', [5, 6, 7], [2, 0, 0], [2, 6, 7]],
    ];
    for (const [name, shape, begin, size] of cases) {
      test(`slice: ${name}`, async () => {
        const diff = await compare('Slice', 'Slice', { x: rand(shape, 12) }, { begin, size });
        assert.equal(diff, 0);
      });
    }
    test('split of a concat gradient along channels', async () => {
      const x = rand([2, 5, 5, 12], 13);
      const parts = async (backend: 'cpu' | 'wasm') => {
        await tf.setBackend(backend);
        const out = tf.engine().runKernel('SplitV', { x: tf.tensor(x.values, x.shape) }, { numOrSizeSplits: [3, 1, 8], axis: -1 }) as unknown as tf.Tensor[];
        return Promise.all(out.map(async (t) => Array.from((await t.data()) as Float32Array)));
      };
      assert.deepEqual(await parts('wasm'), await parts('cpu'));
    });
  });

  test('Tanh (replaced: 2·sigmoid(2x) − 1)', async () => {
    const diff = await compare('Tanh', 'Tanh', { x: rand([4096], 10, 8) }, {});
    assert.ok(diff <= 1e-6, `max abs diff ${diff}`);
  });

  test('worst differences', (t) => {
    for (const [k, v] of Object.entries(worst)) t.diagnostic(`${k}: max abs diff ${v.toExponential(2)}`);
    assert.equal(Object.keys(worst).length, 10);
  });
});
