/** The lecture's building blocks as builder functions. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bottleneckBlock, basicBlock, depthwiseSeparable, gapHead, seBlock } from '../../src/zoo/blocks.js';
import { analyzeWith, row } from '../helpers/build.js';

describe('blocks', () => {
  test('basic block with identity shortcut adds no parameters of its own', () => {
    const a = analyzeWith([8, 8, 16], (b, x) => basicBlock(b, x, { filters: 16, useBias: false }, 'b'));
    assert.equal(a.layers.some((l) => l.name === 'b_0_conv'), false);
    assert.equal(a.totals.params, 2 * (9 * 16 * 16) + 2 * 4 * 16);
    assert.deepEqual(row(a, 'b_out').outputShape, [8, 8, 16]);
  });

  test('bottleneck with a strided projection shortcut (ResNet-50 conv3_block1 shape)', () => {
    const a = analyzeWith([56, 56, 256], (b, x) => bottleneckBlock(b, x, { filters: 512, stride: 2 }, 'conv3_block1'));
    assert.deepEqual(row(a, 'conv3_block1_out').outputShape, [28, 28, 512]);
    assert.equal(row(a, 'conv3_block1_0_conv').params, 256 * 512 + 512);
    assert.equal(row(a, 'conv3_block1_1_conv').params, 256 * 128 + 128);
    assert.equal(row(a, 'conv3_block1_2_conv').params, 9 * 128 * 128 + 128);
    assert.equal(row(a, 'conv3_block1_3_conv').params, 128 * 512 + 512);
  });

  test('depthwise-separable block: depthwise 3×3 + pointwise 1×1, BN and ReLU after each', () => {
    const a = analyzeWith([16, 16, 32], (b, x) => depthwiseSeparable(b, x, { filters: 64, stride: 2 }, 'ds'));
    assert.deepEqual(row(a, 'ds_pw_relu').outputShape, [8, 8, 64]);
    assert.equal(row(a, 'ds_dw').params, 9 * 32);
    assert.equal(row(a, 'ds_pw').params, 32 * 64);
  });

  test('SE block gates every channel with a [1,1,C] vector', () => {
    const a = analyzeWith([7, 7, 64], (b, x) => seBlock(b, x, { ratio: 16 }, 'se'));
    assert.deepEqual(row(a, 'se_squeeze').outputShape, [1, 1, 64]);
    assert.deepEqual(row(a, 'se_excite').outputShape, [7, 7, 64]);
    assert.equal(a.totals.params, 64 * 4 + 4 + 4 * 64 + 64);
  });

  test('global-average-pooling head replaces flatten + FC parameters', () => {
    const gap = analyzeWith([7, 7, 512], (b, x) => gapHead(b, x, { classes: 1000 }));
    const flat = analyzeWith([7, 7, 512], (b, x) => b.dense(b.flatten(x), { units: 1000 }));
    assert.equal(gap.totals.params, 512 * 1000 + 1000);
    assert.equal(flat.totals.params, 7 * 7 * 512 * 1000 + 1000);
  });
});
