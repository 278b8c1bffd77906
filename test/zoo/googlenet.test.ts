/** GoogLeNet: the paper's network (the lecture's 6.8 M and 1.5 G) and torchvision's port. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { type Analysis } from '../../src/analysis/types.js';
import '../../src/zoo/googlenet.js';
import { getModel } from '../../src/zoo/registry.js';
import { row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Weights (no biases) and MACs of the layers whose names start with one of `prefixes`. */
function rows(a: Analysis, prefixes: string[]): { weights: number; macs: number } {
  const picked = a.layers.filter((l) => prefixes.some((p) => l.name.startsWith(p)));
  const bias = (l: Analysis['layers'][number]) => (l.op === 'Conv2D' || l.op === 'Dense' ? l.outputShape[l.outputShape.length - 1]! : 0);
  return { weights: picked.reduce((s, l) => s + l.params - bias(l), 0), macs: picked.reduce((s, l) => s + l.macs, 0) };
}

describe("googlenet: the paper's Table 1", () => {
  const a = analyze(resolveGraph(getModel('googlenet')));

  const shapes: Array<[string, number[]]> = [
    ['conv1_7x7_s2', [112, 112, 64]],
    ['pool1_3x3_s2', [56, 56, 64]],
    ['conv2_3x3', [56, 56, 192]],
    ['pool2_3x3_s2', [28, 28, 192]],
    ['inception_3a_output', [28, 28, 256]],
    ['inception_3b_output', [28, 28, 480]],
    ['pool3_3x3_s2', [14, 14, 480]],
    ['inception_4a_output', [14, 14, 512]],
    ['inception_4b_output', [14, 14, 512]],
    ['inception_4c_output', [14, 14, 512]],
    ['inception_4d_output', [14, 14, 528]],
    ['inception_4e_output', [14, 14, 832]],
    ['pool4_3x3_s2', [7, 7, 832]],
    ['inception_5a_output', [7, 7, 832]],
    ['inception_5b_output', [7, 7, 1024]],
    ['pool5_7x7_s1', [1, 1, 1024]],
    ['loss3_classifier', [1000]],
  ];
  for (const [name, shape] of shapes) {
    test(`${name}: ${JSON.stringify(shape)}`, () => assert.deepEqual(row(a, name).outputShape, shape));
  }

  test('inception 3a: 1×1 reductions before the 3×3 and 5×5, a 1×1 projection after the pool', () => {
    assert.equal(row(a, 'inception_3a_3x3').params, 3 * 3 * 96 * 128 + 128);
    assert.equal(row(a, 'inception_3a_5x5').params, 5 * 5 * 16 * 32 + 32);
    assert.deepEqual(row(a, 'inception_3a_pool_proj').inputs, ['inception_3a_pool']);
  });

  test('exact totals: 6,998,552 params and 1.58 G multiply-adds', () => {
    assert.equal(a.totals.params, 6_998_552);
    assert.equal(a.totals.macs, 1_582_671_872);
  });

  test("the lecture's 6.8 M is Table 1's count: weights without biases, in units of 1024", () => {
    // Rows of Table 1 reproduced in those units: conv2 (with its 1×1 reduce) 112K, 3a 159K, the linear layer 1000K.
    assert.equal(Math.floor(rows(a, ['conv2_3x3']).weights / 1024), 112);
    assert.equal(Math.floor(rows(a, ['inception_3a']).weights / 1024), 159);
    assert.equal(Math.floor(rows(a, ['loss3_classifier']).weights / 1024), 1000);
    const all = rows(a, ['']).weights;
    assert.equal(Math.round(all / 1024 / 100) / 10, 6.8);
    // Counted exactly, with biases, the same network has 7.0 M.
    assert.equal(Math.round(a.totals.params / 1e5) / 10, 7.0);
  });

  test("the lecture's 1.5 G multiply-adds is Table 1's sum, whose conv1 row prints 34M for 118 M", () => {
    assert.equal(Math.round(rows(a, ['conv2_3x3']).macs / 1e6), 360);
    assert.equal(Math.round(rows(a, ['inception_3a']).macs / 1e6), 128);
    const conv1 = row(a, 'conv1_7x7_s2').macs;
    assert.equal(conv1, 112 * 112 * 64 * 7 * 7 * 3);
    assert.equal(Math.round((a.totals.macs - conv1 + 34e6) / 1e8) / 10, 1.5);
    assert.equal(Math.round(a.totals.macs / 1e8) / 10, 1.6);
  });

  test('LRN after conv1 (with its pool) and conv2, as in the paper', () => {
    assert.equal(row(a, 'pool1_norm1').op, 'LRN');
    assert.equal(row(a, 'conv2_norm2').op, 'LRN');
  });

  test('includeTop false returns the 7×7×1024 map, or its global pool', () => {
    assert.deepEqual(analyze(resolveGraph(getModel('googlenet', { includeTop: false }))).outputs[0]!.shape, [7, 7, 1024]);
    assert.deepEqual(analyze(resolveGraph(getModel('googlenet', { includeTop: false, pooling: 'avg' }))).outputs[0]!.shape, [1024]);
  });
});

describe('googlenet_tv: torchvision GoogLeNet without auxiliary heads', () => {
  const a = analyze(resolveGraph(getModel('googlenet_tv')), { params: 'torch' });

  test("6,624,904 params and 1.498 G MACs, torchvision's published figures", () => {
    assert.deepEqual(a.outputs[0]!.shape, [1000]);
    assert.equal(a.totals.params, 6_624_904);
    assert.equal(Math.round(a.totals.macs / 1e6) / 1e3, 1.498);
  });

  test("under Keras' convention the moving statistics are non-trainable extras", () => {
    const k = analyze(resolveGraph(getModel('googlenet_tv')));
    assert.equal(k.totals.trainableParams, 6_624_904);
    const bnChannels = k.layers.filter((l) => l.op === 'BatchNorm').reduce((s, l) => s + l.outputShape[2]!, 0);
    assert.equal(k.totals.nonTrainableParams, 2 * bnChannels);
  });

  test("torchvision's quirks: a 3×3 kernel in the '5×5' branch, a 2×2 pool before stage 5", () => {
    assert.deepEqual(row(a, 'inception3a_branch3_1_conv').attrs.kernelSize, [3, 3]);
    assert.deepEqual(row(a, 'maxpool4').attrs.poolSize, [2, 2]);
    assert.deepEqual(row(a, 'maxpool4').outputShape, [7, 7, 832]);
  });

  test('node names are the state-dict paths, with no conv bias', () => {
    const conv = row(a, 'inception5b_branch2_1_conv');
    assert.equal(conv.params, 3 * 3 * 192 * 384);
    assert.equal(row(a, 'inception5b_branch2_1_bn').params, 2 * 384);
    assert.deepEqual(row(a, 'inception5b').outputShape, [7, 7, 1024]);
    assert.equal(row(a, 'fc').params, 1024 * 1000 + 1000);
  });
});
