/** VGG: the lecture's VGG16 table, Keras' VGG16/19 and torchvision's counts for every configuration. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { UsageError } from '../../src/core/errors.js';
import '../../src/zoo/vgg.js';
import { getModel } from '../../src/zoo/registry.js';
import { row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** True when `value` (in millions) matches a slide figure to within one unit of its last printed digit. */
function matchesSlide(value: number, slide: string): boolean {
  const decimals = slide.includes('.') ? slide.split('.')[1]!.length : 0;
  return Math.abs(value / 1e6 - Number(slide.replace(/,/g, ''))) <= 10 ** -decimals;
}

describe('vgg16: the lecture table (Conv1 … Conv13 are Keras block1_conv1 … block5_conv3)', () => {
  const a = analyze(resolveGraph(getModel('vgg16')));
  // [layer, output shape, params, flops by the slide's formula, MFLOPs as printed, or null where the slide slips]
  const table: Array<[string, number[], number, number, string | null]> = [
    ['block1_conv1', [224, 224, 64], 1_792, 224 * 224 * 64 * 9 * 3, '86.7'],
    ['block1_conv2', [224, 224, 64], 36_928, 224 * 224 * 64 * 9 * 64, '1,849'],
    ['block1_pool', [112, 112, 64], 0, 112 * 112 * 64 * 4, '3.2'],
    ['block2_conv1', [112, 112, 128], 73_856, 112 * 112 * 128 * 9 * 64, '924'],
    ['block2_conv2', [112, 112, 128], 147_584, 112 * 112 * 128 * 9 * 128, '1,849'],
    ['block2_pool', [56, 56, 128], 0, 56 * 56 * 128 * 4, '1.6'],
    ['block3_conv1', [56, 56, 256], 295_168, 56 * 56 * 256 * 9 * 128, '924'],
    ['block3_conv2', [56, 56, 256], 590_080, 56 * 56 * 256 * 9 * 256, '1,849'],
    ['block3_conv3', [56, 56, 256], 590_080, 56 * 56 * 256 * 9 * 256, '1,849'],
    ['block3_pool', [28, 28, 256], 0, 28 * 28 * 256 * 4, '0.8'],
    ['block4_conv1', [28, 28, 512], 1_180_160, 28 * 28 * 512 * 9 * 256, '924'],
    ['block4_conv2', [28, 28, 512], 2_359_808, 28 * 28 * 512 * 9 * 512, '1,849'],
    ['block4_conv3', [28, 28, 512], 2_359_808, 28 * 28 * 512 * 9 * 512, '1,849'],
    ['block4_pool', [14, 14, 512], 0, 14 * 14 * 512 * 4, '0.4'],
    ['block5_conv1', [14, 14, 512], 2_359_808, 14 * 14 * 512 * 9 * 512, '462'],
    ['block5_conv2', [14, 14, 512], 2_359_808, 14 * 14 * 512 * 9 * 512, '462'],
    ['block5_conv3', [14, 14, 512], 2_359_808, 14 * 14 * 512 * 9 * 512, '462'],
    ['block5_pool', [7, 7, 512], 0, 7 * 7 * 512 * 4, '0.1'],
    ['flatten', [25088], 0, 0, '0'],
    // The slide prints 29 MFLOPs for the first FC; its formula 25,088·4,096 gives 102.8 M, and the formula wins.
    ['fc1', [4096], 102_764_544, 25088 * 4096, null],
    ['fc2', [4096], 16_781_312, 4096 * 4096, '16.8'],
    ['predictions', [1000], 4_097_000, 4096 * 1000, '4.1'],
  ];
  for (const [name, shape, params, flops, slide] of table) {
    test(`${name}: ${JSON.stringify(shape)}, ${params.toLocaleString('en')} params`, () => {
      const r = row(a, name);
      assert.deepEqual(r.outputShape, shape);
      assert.equal(r.params, params);
      assert.equal(r.flops, flops);
      if (slide !== null) assert.ok(matchesSlide(r.flops, slide), `${r.flops} flops vs the slide's ${slide} M`);
    });
  }

  test("totals: Keras' 138,357,544 params (~138 M), all trainable", () => {
    assert.equal(a.totals.params, 138_357_544);
    assert.equal(a.totals.trainableParams, 138_357_544);
    assert.equal(a.totals.nonTrainableParams, 0);
    assert.equal(Math.round(a.totals.params / 1e6), 138);
  });

  test("MACs: 15.47 G, the sum of the slide's own table, not the comparison slide's 13.6 G", () => {
    const pools = table.filter(([n]) => n.endsWith('_pool')).reduce((s, r) => s + r[3], 0);
    assert.equal(a.totals.macs, table.reduce((s, r) => s + r[3], 0) - pools);
    assert.equal(Math.round(a.totals.macs / 1e7) / 100, 15.47);
    // The lecture convention adds the pooling work to the MACs.
    assert.equal(a.totals.flops, a.totals.macs + pools);
  });
});

describe('vgg: every configuration against the published counts', () => {
  // torchvision's num_params and _ops (GMACs) per id; VGG16 and VGG19 are also Keras' totals.
  const published: Array<[string, number, number]> = [
    ['vgg11', 132_863_336, 7.609],
    ['vgg13', 133_047_848, 11.308],
    ['vgg16', 138_357_544, 15.47],
    ['vgg19', 143_667_240, 19.632],
    ['vgg11_bn', 132_868_840, 7.609],
    ['vgg13_bn', 133_053_736, 11.308],
    ['vgg16_bn', 138_365_992, 15.47],
    ['vgg19_bn', 143_678_248, 19.632],
  ];
  for (const [id, params, gmacs] of published) {
    test(`${id}: ${params.toLocaleString('en')} params (torch convention), ${gmacs} G MACs`, () => {
      const a = analyze(resolveGraph(getModel(id)), { params: 'torch' });
      assert.deepEqual(a.outputs[0]!.shape, [1000]);
      assert.equal(a.totals.params, params);
      assert.equal(Math.round(a.totals.macs / 1e6) / 1e3, gmacs);
    });
  }

  test("VGG19 is Keras' 143,667,240 with four convs in stages 3-5", () => {
    const a = analyze(resolveGraph(getModel('vgg19')));
    assert.equal(a.totals.params, 143_667_240);
    assert.deepEqual(row(a, 'block5_conv4').outputShape, [14, 14, 512]);
    assert.equal(a.layers.filter((l) => l.op === 'Conv2D').length, 16);
  });

  test('batch norm adds γ, β (trainable) and moving mean, variance (non-trainable) per channel', () => {
    const channels = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512].reduce((s, c) => s + c, 0);
    const keras = analyze(resolveGraph(getModel('vgg16_bn')));
    assert.equal(keras.totals.trainableParams, 138_357_544 + 2 * channels);
    assert.equal(keras.totals.nonTrainableParams, 2 * channels);
    assert.deepEqual(row(keras, 'block1_conv1_bn').inputs, ['block1_conv1']);
    assert.deepEqual(row(keras, 'block1_conv1_relu').inputs, ['block1_conv1_bn']);
  });

  test("the _bn variants carry torchvision's top: 7×7 adaptive pool, dropout, logits", () => {
    const a = analyze(resolveGraph(getModel('vgg16_bn')));
    assert.deepEqual(row(a, 'avgpool').outputShape, [7, 7, 512]);
    assert.equal(row(a, 'fc1_dropout').op, 'Dropout');
    assert.equal(row(a, 'predictions').attrs.activation, 'linear');
    assert.equal(row(analyze(resolveGraph(getModel('vgg16'))), 'predictions').attrs.activation, 'softmax');
  });

  test('the _bn variants take any input size: the adaptive pool keeps 7×7 and the parameters exact', () => {
    // 160 gives a 5×5 map (bins repeat units), 250 a 7×7 one, 97 a 3×3 one: torchvision's count, 132,868,840, at each.
    for (const size of [160, 250, 97]) {
      const a = analyze(resolveGraph(getModel('vgg11_bn', { input: [size, size, 3] })), { params: 'torch' });
      assert.deepEqual(row(a, 'avgpool').outputShape, [7, 7, 512]);
      assert.equal(a.totals.params, 132_868_840);
    }
  });
});

describe('vgg: options', () => {
  test("includeTop false with average pooling is Keras' 14,714,688-parameter feature extractor", () => {
    const a = analyze(resolveGraph(getModel('vgg16', { includeTop: false, pooling: 'avg' })));
    assert.deepEqual(a.outputs[0]!.shape, [512]);
    assert.equal(a.totals.params, 14_714_688);
  });

  test('input and classes pass through', () => {
    const a = analyze(resolveGraph(getModel('vgg11', { input: [64, 64, 3], classes: 10 })));
    assert.deepEqual(row(a, 'block5_pool').outputShape, [2, 2, 512]);
    assert.deepEqual(a.outputs[0]!.shape, [10]);
  });

  test("Keras' minimum input of 32 is checked before building", () => {
    assert.throws(() => getModel('vgg16', { input: [20, 20, 3] }), (e: unknown) => e instanceof UsageError && /input/.test(e.message));
    assert.throws(() => getModel('vgg16', { includeTop: false, pooling: 'mean' as never }), UsageError);
  });
});
