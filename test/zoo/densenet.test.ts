/** DenseNet-121/169/201 against the Keras Applications definitions. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { UsageError } from '../../src/core/errors.js';
import { denseBlock, transitionBlock } from '../../src/zoo/blocks.js';
import { DENSENET_STAGES } from '../../src/zoo/densenet.js';
import { getModel, listModels } from '../../src/zoo/index.js';
import { analyzeWith, row } from '../helpers/build.js';
import { weightTensors } from './keras_expect.js';
import { resolveGraph } from '../../src/graph/graph.js';

// Keras model.summary() and len(model.weights) / len(model.trainable_weights), include_top, 1000 classes.
const KERAS: Array<{ id: string; params: number; trainable: number; nonTrainable: number; weights: number; trainableWeights: number }> = [
  { id: 'densenet121', params: 8_062_504, trainable: 7_978_856, nonTrainable: 83_648, weights: 606, trainableWeights: 364 },
  { id: 'densenet169', params: 14_307_880, trainable: 14_149_480, nonTrainable: 158_400, weights: 846, trainableWeights: 508 },
  { id: 'densenet201', params: 20_242_984, trainable: 20_013_928, nonTrainable: 229_056, weights: 1006, trainableWeights: 604 },
];

describe('zoo: densenet family', () => {
  test('the registry holds exactly the three Keras members, all from one stage table', () => {
    assert.deepEqual(listModels({ family: 'densenet' }).map((m) => m.id), ['densenet121', 'densenet169', 'densenet201']);
    assert.deepEqual(DENSENET_STAGES.densenet121, [6, 12, 24, 16]);
  });

  for (const k of KERAS) {
    describe(k.id, () => {
      const a = analyze(resolveGraph(getModel(k.id)));
      test('builds on 224×224×3 and ends in 1000 softmax classes', () => {
        assert.deepEqual(a.input, [224, 224, 3]);
        assert.deepEqual(a.outputs, [{ name: 'predictions', shape: [1000] }]);
      });
      test(`Keras totals: ${k.params} params (${k.trainable} trainable + ${k.nonTrainable} non-trainable)`, () => {
        assert.equal(a.totals.params, k.params);
        assert.equal(a.totals.trainableParams, k.trainable);
        assert.equal(a.totals.nonTrainableParams, k.nonTrainable);
      });
      test(`${k.weights} weight tensors, ${k.trainableWeights} trainable`, () => {
        assert.deepEqual(weightTensors(k.id), { all: k.weights, trainable: k.trainableWeights });
      });
      test('final features are 7×7×1024 (121), 1664 (169), 1920 (201) channels', () => {
        const channels = { densenet121: 1024, densenet169: 1664, densenet201: 1920 }[k.id]!;
        assert.deepEqual(row(a, 'relu').outputShape, [7, 7, channels]);
      });
    });
  }

  describe('densenet121 layer by layer', () => {
    const a = analyze(resolveGraph(getModel('densenet121')));
    const spots: Array<[string, number[], number]> = [
      ['zero_padding2d', [230, 230, 3], 0],
      ['conv1_conv', [112, 112, 64], 9_408],
      ['conv1_bn', [112, 112, 64], 256],
      ['zero_padding2d_1', [114, 114, 64], 0],
      ['pool1', [56, 56, 64], 0],
      ['conv2_block1_0_bn', [56, 56, 64], 256],
      ['conv2_block1_1_conv', [56, 56, 128], 8_192],
      ['conv2_block1_2_conv', [56, 56, 32], 36_864],
      ['conv2_block1_concat', [56, 56, 96], 0],
      ['conv2_block6_concat', [56, 56, 256], 0],
      ['pool2_conv', [56, 56, 128], 32_768],
      ['pool2_pool', [28, 28, 128], 0],
      ['conv3_block12_concat', [28, 28, 512], 0],
      ['pool3_pool', [14, 14, 256], 0],
      ['conv4_block24_concat', [14, 14, 1024], 0],
      ['pool4_pool', [7, 7, 512], 0],
      ['conv5_block16_concat', [7, 7, 1024], 0],
      ['bn', [7, 7, 1024], 4_096],
      ['avg_pool', [1024], 0],
      ['predictions', [1000], 1_025_000],
    ];
    for (const [name, shape, params] of spots) {
      test(`${name}: ${JSON.stringify(shape)}, ${params} params`, () => {
        assert.deepEqual(row(a, name).outputShape, shape);
        assert.equal(row(a, name).params, params);
      });
    }
    test('batch norms use Keras epsilon 1.001e-5', () => {
      assert.equal(row(a, 'conv3_block5_1_bn').attrs.epsilon, 1.001e-5);
    });
    test('about 2.83 G MACs at 224×224', () => {
      assert.ok(a.totals.macs > 2.8e9 && a.totals.macs < 2.9e9, `macs ${a.totals.macs}`);
    });
  });

  test('dense block adds blocks·growth channels; transition halves channels and resolution', () => {
    const a = analyzeWith([16, 16, 64], (b, x) => transitionBlock(b, denseBlock(b, x, { blocks: 3, growthRate: 12 }, 's'), { reduction: 0.5 }, 't'));
    assert.deepEqual(row(a, 's_block3_concat').outputShape, [16, 16, 64 + 3 * 12]);
    assert.deepEqual(row(a, 't_pool').outputShape, [8, 8, 50]);
    assert.equal(row(a, 's_block2_1_conv').params, (64 + 12) * 4 * 12);
  });

  test('options: no top, pooling named avg_pool / max_pool, classes and input pass through', () => {
    const bare = analyze(resolveGraph(getModel('densenet121', { includeTop: false, input: [160, 160, 3] })));
    assert.deepEqual(bare.outputs[0], { name: 'relu', shape: [5, 5, 1024] });
    assert.equal(bare.totals.params, 8_062_504 - 1_025_000);
    assert.deepEqual(analyze(resolveGraph(getModel('densenet169', { includeTop: false, pooling: 'avg' }))).outputs[0], { name: 'avg_pool', shape: [1664] });
    assert.deepEqual(analyze(resolveGraph(getModel('densenet201', { includeTop: false, pooling: 'max' }))).outputs[0], { name: 'max_pool', shape: [1920] });
    assert.deepEqual(analyze(resolveGraph(getModel('densenet121', { classes: 5 }))).outputs[0]!.shape, [5]);
  });

  test('the smallest input Keras accepts (32×32) builds; 31 is refused', () => {
    assert.deepEqual(analyze(resolveGraph(getModel('densenet121', { input: [32, 32, 3] }))).outputs[0]!.shape, [1000]);
    assert.throws(() => getModel('densenet121', { input: [31, 32, 3] }), UsageError);
  });
});
