/** Xception against the Keras Applications definition. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { UsageError } from '../../src/core/errors.js';
import { messages } from '../../src/core/messages.js';
import { getModel } from '../../src/zoo/index.js';
import { row } from '../helpers/build.js';
import { weightTensors } from './keras_expect.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('zoo: xception', () => {
  const a = analyze(resolveGraph(getModel('xception')));

  test('builds on 299×299×3 and ends in 1000 softmax classes', () => {
    assert.deepEqual(a.input, [299, 299, 3]);
    assert.deepEqual(a.outputs, [{ name: 'predictions', shape: [1000] }]);
  });

  test('Keras totals: 22,910,480 params, 22,855,952 trainable + 54,528 non-trainable', () => {
    assert.equal(a.totals.params, 22_910_480);
    assert.equal(a.totals.trainableParams, 22_855_952);
    assert.equal(a.totals.nonTrainableParams, 54_528);
  });

  test('236 weight tensors, 156 trainable, as Keras lists them', () => {
    assert.deepEqual(weightTensors('xception'), { all: 236, trainable: 156 });
  });

  const spots: Array<[string, number[], number]> = [
    ['block1_conv1', [149, 149, 32], 864],
    ['block1_conv2', [147, 147, 64], 18_432],
    ['block2_sepconv1', [147, 147, 128], 8_768],
    ['block2_pool', [74, 74, 128], 0],
    // Keras leaves the projection shortcuts unnamed: conv2d, conv2d_1, ...
    ['conv2d', [74, 74, 128], 8_192],
    ['add', [74, 74, 128], 0],
    ['block4_pool', [19, 19, 728], 0],
    ['block12_sepconv3_bn', [19, 19, 728], 2_912],
    ['add_10', [19, 19, 728], 0],
    ['block13_sepconv2', [19, 19, 1024], 752_024],
    ['block13_pool', [10, 10, 1024], 0],
    ['block14_sepconv2_act', [10, 10, 2048], 0],
    ['avg_pool', [2048], 0],
    ['predictions', [1000], 2_049_000],
  ];
  for (const [name, shape, params] of spots) {
    test(`${name}: ${JSON.stringify(shape)}, ${params} params`, () => {
      assert.deepEqual(row(a, name).outputShape, shape);
      assert.equal(row(a, name).params, params);
    });
  }

  test('MACs are conv and dense multiply-accumulates, about 8.4 G at 299×299', () => {
    const fromLayers = a.layers.reduce((s, l) => s + l.macs, 0);
    assert.equal(a.totals.macs, fromLayers);
    assert.ok(a.totals.macs > 8.3e9 && a.totals.macs < 8.45e9, `macs ${a.totals.macs}`);
  });

  test('options: classes resize the classifier only', () => {
    const ten = analyze(resolveGraph(getModel('xception', { classes: 10 })));
    assert.deepEqual(ten.outputs[0]!.shape, [10]);
    assert.equal(ten.totals.params, 22_910_480 - 2_049_000 + 2048 * 10 + 10);
  });

  test('options: no top with avg or max pooling, at another input size', () => {
    const bare = analyze(resolveGraph(getModel('xception', { includeTop: false, input: [150, 150, 3] })));
    assert.deepEqual(bare.outputs[0]!.shape, [5, 5, 2048]);
    assert.equal(bare.totals.params, 22_910_480 - 2_049_000);
    const avg = analyze(resolveGraph(getModel('xception', { includeTop: false, pooling: 'avg' })));
    assert.deepEqual(avg.outputs[0], { name: 'global_average_pooling2d', shape: [2048] });
    const max = analyze(resolveGraph(getModel('xception', { includeTop: false, pooling: 'max' })));
    assert.deepEqual(max.outputs[0], { name: 'global_max_pooling2d', shape: [2048] });
  });

  test('inputs below Keras minimum of 71 are refused, naming the option', () => {
    assert.deepEqual(analyze(resolveGraph(getModel('xception', { input: [71, 71, 3] }))).outputs[0]!.shape, [1000]);
    assert.throws(() => getModel('xception', { input: [70, 71, 3] }), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, messages.modelOption('xception', 'input', '[H, W, C] of positive integers with H and W at least 71', [70, 71, 3]));
      return true;
    });
    assert.throws(() => getModel('xception', { pooling: 'mean' as 'avg' }), UsageError);
    assert.throws(() => getModel('xception', { classes: 0 }), UsageError);
  });

  test('options the family does not read, such as alpha, are refused', () => {
    assert.throws(() => getModel('xception', { alpha: 0.5 }), (e: unknown) => e instanceof UsageError && /"alpha"/.test(e.message));
    assert.throws(() => getModel('densenet121', { alpha: 0.5 }), UsageError);
    assert.throws(() => getModel('inception_resnet_v2', { depthMultiplier: 2 }), UsageError);
    assert.throws(() => getModel('nasnet_large', { alpha: 1 }), UsageError);
  });
});
