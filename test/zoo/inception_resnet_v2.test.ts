/** Inception-ResNet-v2 against the Keras Applications definition. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { UsageError } from '../../src/core/errors.js';
import { getModel } from '../../src/zoo/index.js';
import { inceptionResnetBlock } from '../../src/zoo/inception_resnet_v2.js';
import { analyzeWith, row } from '../helpers/build.js';
import { weightTensors } from './keras_expect.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('zoo: inception_resnet_v2', () => {
  const spec = getModel('inception_resnet_v2');
  const a = analyze(resolveGraph(spec));

  test('builds on 299×299×3 and ends in 1000 softmax classes', () => {
    assert.deepEqual(a.input, [299, 299, 3]);
    assert.deepEqual(a.outputs, [{ name: 'predictions', shape: [1000] }]);
  });

  test('Keras totals: 55,873,736 params, 55,813,192 trainable + 60,544 non-trainable', () => {
    assert.equal(a.totals.params, 55_873_736);
    assert.equal(a.totals.trainableParams, 55_813_192);
    assert.equal(a.totals.nonTrainableParams, 60_544);
  });

  test('898 weight tensors, 490 trainable, as Keras lists them', () => {
    assert.deepEqual(weightTensors('inception_resnet_v2'), { all: 898, trainable: 490 });
  });

  const spots: Array<[string, number[], number]> = [
    // conv2d_bn: bias-free conv, then BN with β only (scale=False): 3·C weights, one of them trainable.
    ['conv2d', [149, 149, 32], 864],
    ['batch_normalization', [149, 149, 32], 96],
    ['max_pooling2d', [73, 73, 64], 0],
    ['max_pooling2d_1', [35, 35, 192], 0],
    ['mixed_5b', [35, 35, 320], 0],
    ['block35_1_mixed', [35, 35, 128], 0],
    ['block35_1_conv', [35, 35, 320], 41_280],
    ['block35_1', [35, 35, 320], 0],
    ['block35_10_ac', [35, 35, 320], 0],
    ['mixed_6a', [17, 17, 1088], 0],
    ['block17_20_conv', [17, 17, 1088], 418_880],
    ['mixed_7a', [8, 8, 2080], 0],
    ['block8_10', [8, 8, 2080], 0],
    ['conv_7b', [8, 8, 1536], 3_194_880],
    ['conv_7b_bn', [8, 8, 1536], 4_608],
    ['conv_7b_ac', [8, 8, 1536], 0],
    ['avg_pool', [1536], 0],
    ['predictions', [1000], 1_537_000],
  ];
  for (const [name, shape, params] of spots) {
    test(`${name}: ${JSON.stringify(shape)}, ${params} params`, () => {
      assert.deepEqual(row(a, name).outputShape, shape);
      assert.equal(row(a, name).params, params);
    });
  }

  test('residual blocks add the scaled branch (ScaledAdd) with 0.17, 0.1, 0.2 and a final 1.0', () => {
    const scaleOf = (name: string) => spec.nodes.find((n) => n.name === name)!;
    assert.equal(scaleOf('block35_4').op, 'ScaledAdd');
    assert.deepEqual(scaleOf('block35_4').inputs, ['block35_3_ac', 'block35_4_conv']);
    assert.equal(scaleOf('block35_4').attrs!.scale, 0.17);
    assert.equal(scaleOf('block17_20').attrs!.scale, 0.1);
    assert.equal(scaleOf('block8_9').attrs!.scale, 0.2);
    assert.equal(scaleOf('block8_10').attrs!.scale, 1);
    // The last block has no ReLU: conv_7b reads the sum directly.
    assert.equal(spec.nodes.some((n) => n.name === 'block8_10_ac'), false);
    assert.deepEqual(scaleOf('conv_7b').inputs, ['block8_10']);
  });

  test('BN after conv2d_bn has no γ: β trainable, moving statistics not', () => {
    const bn = row(a, 'conv_7b_bn');
    assert.equal(bn.trainableParams, 1536);
    assert.equal(bn.nonTrainableParams, 2 * 1536);
  });

  test('one block17 on its own: 1×7 then 7×1 branch, projection back to the input width', () => {
    const blk = analyzeWith([17, 17, 1088], (b, x) => inceptionResnetBlock(b, x, { type: 'block17', index: 1, scale: 0.1 }));
    assert.deepEqual(row(blk, 'block17_1_mixed').outputShape, [17, 17, 384]);
    assert.deepEqual(row(blk, 'block17_1_ac').outputShape, [17, 17, 1088]);
    assert.equal(row(blk, 'conv2d_2').params, 7 * 128 * 160);
    assert.equal(row(blk, 'conv2d_3').params, 7 * 160 * 192);
  });

  test('about 13.2 G MACs at 299×299', () => {
    assert.ok(a.totals.macs > 13.1e9 && a.totals.macs < 13.3e9, `macs ${a.totals.macs}`);
  });

  test('options: no top with pooling, classes, and the Keras minimum input of 75', () => {
    const bare = analyze(resolveGraph(getModel('inception_resnet_v2', { includeTop: false })));
    assert.deepEqual(bare.outputs[0], { name: 'conv_7b_ac', shape: [8, 8, 1536] });
    assert.equal(bare.totals.params, 55_873_736 - 1_537_000);
    assert.deepEqual(analyze(resolveGraph(getModel('inception_resnet_v2', { includeTop: false, pooling: 'max' }))).outputs[0]!.shape, [1536]);
    assert.deepEqual(analyze(resolveGraph(getModel('inception_resnet_v2', { classes: 3 }))).outputs[0]!.shape, [3]);
    assert.deepEqual(analyze(resolveGraph(getModel('inception_resnet_v2', { input: [75, 75, 3] }))).outputs[0]!.shape, [1000]);
    assert.throws(() => getModel('inception_resnet_v2', { input: [74, 75, 3] }), UsageError);
  });
});
