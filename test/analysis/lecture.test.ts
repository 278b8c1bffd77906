/** The lecture's worked examples, computed by the library. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel } from '../../src/zoo/index.js';
import { inceptionModule, spatiallySeparable } from '../../src/zoo/blocks.js';
import { analyzeWith, row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('lecture: single-layer FLOP examples', () => {
  test('conv (64,3,3,3) to (225,225,64) needs 87.5 M flops', () => {
    const a = analyzeWith([227, 227, 3], (b, x) => b.conv2d(x, { filters: 64, kernelSize: 3, name: 'conv' }));
    const r = row(a, 'conv');
    assert.deepEqual(r.outputShape, [225, 225, 64]);
    assert.equal(r.flops, 225 * 225 * 64 * 3 * 3 * 3);
    assert.equal(Math.round(r.flops / 1e5) / 10, 87.5);
    assert.equal(r.explain.flops.text, '225·225·64·3·3·3 = 87,480,000');
  });

  test('2×2 pooling to (114,114,64) needs 3.3 M flops', () => {
    const a = analyzeWith([228, 228, 64], (b, x) => b.maxPool(x, { poolSize: 2, strides: 2, name: 'pool' }));
    const r = row(a, 'pool');
    assert.deepEqual(r.outputShape, [114, 114, 64]);
    assert.equal(r.flops, 114 * 114 * 64 * 2 * 2);
    assert.equal(Math.round(r.flops / 1e5) / 10, 3.3);
  });

  test('FC 4096 → 4096 needs 16.8 M flops', () => {
    const a = analyzeWith([4096], (b, x) => b.dense(x, { units: 4096, name: 'fc' }));
    assert.equal(row(a, 'fc').flops, 4096 * 4096);
    assert.equal(Math.round(row(a, 'fc').flops / 1e5) / 10, 16.8);
    assert.equal(row(a, 'fc').params, 4096 * 4096 + 4096);
  });
});

describe('lecture: LeNet-5 table', () => {
  const a = analyze(resolveGraph(getModel('lenet5')));
  const table: Array<[string, number[], number, number]> = [
    ['conv1', [28, 28, 6], 156, 117_600],
    // The slide prints 4074; its own formula 14·14·6·2·2 gives 4704, and the formula wins.
    ['pool1', [14, 14, 6], 0, 4_704],
    ['conv2', [10, 10, 16], 2_416, 240_000],
    ['pool2', [5, 5, 16], 0, 1_600],
    ['flatten', [400], 0, 0],
    ['fc1', [120], 48_120, 48_000],
    ['fc2', [84], 10_164, 10_080],
    ['predictions', [10], 850, 840],
  ];
  for (const [name, shape, params, flops] of table) {
    test(`${name}: ${JSON.stringify(shape)}, ${params} params, ${flops} flops`, () => {
      const r = row(a, name);
      assert.deepEqual(r.outputShape, shape);
      assert.equal(r.params, params);
      assert.equal(r.flops, flops);
    });
  }
  test('totals: 61,706 params and 422,824 flops (~0.42 MFLOP, ~62 k params)', () => {
    assert.equal(a.totals.params, 61_706);
    assert.equal(a.totals.flops, 422_824);
  });
  test('explain shows the slide formula with values substituted', () => {
    assert.equal(row(a, 'conv1').explain.flops.text, '28·28·6·5·5·1 = 117,600');
    assert.equal(row(a, 'conv1').explain.flops.formula, 'hout·wout·K·fh·fw·cin');
    assert.equal(row(a, 'pool1').explain.flops.text, '14·14·6·2·2 = 4,704');
  });
});

describe('lecture: inception module and 1×1 reductions on (28,28,192)', () => {
  test('naive 3×3 branch: 173.4 M flops and 221,312 params', () => {
    const a = analyzeWith([28, 28, 192], (b, x) => b.conv2d(x, { filters: 128, kernelSize: 3, padding: 'same', name: 'c3' }));
    assert.equal(row(a, 'c3').flops, 28 * 28 * 128 * 3 * 3 * 192);
    assert.equal(Math.round(row(a, 'c3').flops / 1e5) / 10, 173.4);
    assert.equal(row(a, 'c3').params, 221_312);
  });

  test('1×1 → 3×3: 14.45 M + 86.7 M flops, 18,528 + 110,720 = 129,248 params', () => {
    const a = analyzeWith([28, 28, 192], (b, x) => {
      const r = b.conv2d(x, { filters: 96, kernelSize: 1, name: 'reduce' });
      return b.conv2d(r, { filters: 128, kernelSize: 3, padding: 'same', name: 'c3' });
    });
    assert.equal(Math.round(row(a, 'reduce').flops / 1e4) / 100, 14.45);
    assert.equal(Math.round(row(a, 'c3').flops / 1e5) / 10, 86.7);
    assert.equal(row(a, 'reduce').params, 18_528);
    assert.equal(row(a, 'c3').params, 110_720);
    assert.equal(a.totals.params, 129_248);
  });

  test('naive module concatenates to (28,28,416); with reductions GoogLeNet 3a gives (28,28,256)', () => {
    const naive = analyzeWith([28, 28, 192], (b, x) =>
      inceptionModule(b, x, { b1: 64, b3reduce: 0, b3: 128, b5reduce: 0, b5: 32, poolProj: 0 }, 'naive'));
    assert.deepEqual(row(naive, 'naive_output').outputShape, [28, 28, 416]);
    const reduced = analyzeWith([28, 28, 192], (b, x) =>
      inceptionModule(b, x, { b1: 64, b3reduce: 96, b3: 128, b5reduce: 16, b5: 32, poolProj: 32 }, 'inc3a'));
    assert.deepEqual(row(reduced, 'inc3a_output').outputShape, [28, 28, 256]);
    assert.ok(reduced.totals.macs < naive.totals.macs / 2, 'reductions cut the cost by more than half');
  });
});

describe('lecture: 5×5 versus two stacked 3×3', () => {
  test('flops and weights differ by 25/18', () => {
    const one = analyzeWith([56, 56, 64], (b, x) => b.conv2d(x, { filters: 64, kernelSize: 5, padding: 'same', name: 'c5' }));
    const two = analyzeWith([56, 56, 64], (b, x) => {
      const y = b.conv2d(x, { filters: 64, kernelSize: 3, padding: 'same', name: 'c3a' });
      return b.conv2d(y, { filters: 64, kernelSize: 3, padding: 'same', name: 'c3b' });
    });
    assert.equal(one.totals.macs / two.totals.macs, 25 / 18);
    const ratio = one.totals.params / two.totals.params;
    assert.ok(Math.abs(ratio - 25 / 18) < 0.01, `params ratio ${ratio} ≈ 1.4`);
    assert.deepEqual(row(two, 'c3b').receptiveField.size, [5, 5]);
    assert.deepEqual(row(one, 'c5').receptiveField.size, [5, 5]);
  });
});

describe('lecture: spatial factorization into asymmetric convolutions on (28,28,192)', () => {
  test('1×3 then 3×1 (valid)', () => {
    const a = analyzeWith([28, 28, 192], (b, x) => spatiallySeparable(b, x, { filters: 128, k: 3, padding: 'valid' }, 'asym'));
    const first = row(a, 'asym_1x3');
    const second = row(a, 'asym_3x1');
    assert.deepEqual(first.outputShape, [28, 26, 128]);
    assert.deepEqual(second.outputShape, [26, 26, 128]);
    // The slide shows 50,816 params for the first conv; its formula 128·(3·192+1) gives 73,856.
    assert.equal(first.params, 73_856);
    assert.equal(second.params, 49_280);
    assert.equal(first.macs, 28 * 26 * 128 * 3 * 192);
    assert.equal(Math.round(first.macs / 1e5) / 10, 53.7);
    assert.equal(Math.round(second.macs / 1e5) / 10, 33.2);
  });
});

describe('lecture: depthwise-separable saving', () => {
  test('separable / standard MACs = 1/K + 1/f²', () => {
    const std = analyzeWith([14, 14, 512], (b, x) => b.conv2d(x, { filters: 512, kernelSize: 3, padding: 'same', useBias: false }));
    const sep = analyzeWith([14, 14, 512], (b, x) => b.separableConv2d(x, { filters: 512, kernelSize: 3, padding: 'same', useBias: false }));
    assert.ok(Math.abs(sep.totals.macs / std.totals.macs - (1 / 512 + 1 / 9)) < 1e-12);
    const dwpw = analyzeWith([14, 14, 512], (b, x) => {
      const d = b.depthwiseConv2d(x, { kernelSize: 3, padding: 'same', useBias: false });
      return b.conv2d(d, { filters: 512, kernelSize: 1, useBias: false });
    });
    assert.equal(dwpw.totals.macs, sep.totals.macs);
    assert.equal(dwpw.totals.params, sep.totals.params);
    assert.equal(sep.totals.params, 3 * 3 * 512 + 512 * 512);
  });
});
