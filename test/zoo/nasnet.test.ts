/** NASNet-A Mobile and Large against the Keras Applications definitions. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { UsageError } from '../../src/core/errors.js';
import type { GraphSpec } from '../../src/graph/types.js';
import { getModel } from '../../src/zoo/index.js';
import { correctPad } from '../../src/zoo/keras_app.js';
import { NASNET_CONFIGS, nasnet } from '../../src/zoo/nasnet.js';
import { analyzeWith, row } from '../helpers/build.js';
import { weightTensors } from './keras_expect.js';
import { resolveGraph } from '../../src/graph/graph.js';

const inputsOf = (spec: GraphSpec, name: string): string[] => {
  const node = spec.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no node ${name}`);
  return node.inputs;
};

describe('zoo: nasnet_mobile', () => {
  const spec = getModel('nasnet_mobile');
  const a = analyze(resolveGraph(spec));

  test('builds on 224×224×3 and ends in 1000 softmax classes', () => {
    assert.deepEqual(a.input, [224, 224, 3]);
    assert.deepEqual(a.outputs, [{ name: 'predictions', shape: [1000] }]);
  });

  test('Keras totals: 5,326,716 params, 5,289,978 trainable + 36,738 non-trainable', () => {
    assert.equal(a.totals.params, 5_326_716);
    assert.equal(a.totals.trainableParams, 5_289_978);
    assert.equal(a.totals.nonTrainableParams, 36_738);
  });

  test('1126 weight tensors, 742 trainable, as Keras lists them', () => {
    assert.deepEqual(weightTensors('nasnet_mobile'), { all: 1126, trainable: 742 });
  });

  const spots: Array<[string, number[], number]> = [
    ['stem_conv1', [111, 111, 32], 864],
    ['stem_bn1', [111, 111, 32], 128],
    ['reduction_pad_1_stem_1', [113, 113, 11], 0],
    ['separable_conv_1_pad_reduction_left1_stem_1', [115, 115, 11], 0],
    ['separable_conv_1_reduction_left1_stem_1', [56, 56, 11], 25 * 11 + 11 * 11],
    ['separable_conv_1_reduction_right1_stem_1', [56, 56, 11], 49 * 32 + 32 * 11],
    ['reduction_add3_stem_1', [56, 56, 11], 0],
    ['separable_conv_1_reduction_left4_stem_1', [56, 56, 11], 9 * 11 + 11 * 11],
    ['reduction_concat_stem_1', [56, 56, 44], 0],
    ['adjust_avg_pool_2_stem_2', [56, 56, 32], 0],
    ['adjust_bn_stem_2', [56, 56, 22], 88],
    ['reduction_concat_stem_2', [28, 28, 88], 0],
    ['adjust_bn_0', [28, 28, 44], 4 * 44],
    ['adjust_conv_projection_1', [28, 28, 44], 88 * 44],
    ['normal_concat_0', [28, 28, 264], 0],
    ['reduction_concat_reduce_4', [14, 14, 352], 0],
    ['normal_concat_5', [14, 14, 528], 0],
    ['reduction_concat_reduce_8', [7, 7, 704], 0],
    ['normal_concat_12', [7, 7, 1056], 0],
    ['predictions', [1000], 1_057_000],
  ];
  for (const [name, shape, params] of spots) {
    test(`${name}: ${JSON.stringify(shape)}, ${params} params`, () => {
      assert.deepEqual(row(a, name).outputShape, shape);
      assert.equal(row(a, name).params, params);
    });
  }

  test('the first cell reads the stem twice (no adjust); cell ids skip 4 and 8', () => {
    assert.equal(spec.nodes.some((n) => n.name.endsWith('_stem_1') && n.name.startsWith('adjust_')), false);
    const relu = inputsOf(spec, 'separable_conv_1_pad_reduction_right1_stem_1')[0]!;
    assert.deepEqual(inputsOf(spec, relu), ['stem_bn1']);
    const cells = spec.nodes.filter((n) => n.name.startsWith('normal_concat_')).map((n) => n.name.slice('normal_concat_'.length));
    assert.deepEqual(cells, ['0', '1', '2', '3', '5', '6', '7', '8', '9', '10', '11', '12']);
  });

  test('without skip_reduction the cell after a reduction reads the reduction input as p', () => {
    assert.deepEqual(inputsOf(spec, 'adjust_relu_1_5'), ['normal_concat_3']);
    assert.deepEqual(inputsOf(spec, 'adjust_relu_1_9'), ['normal_concat_8']);
  });

  test('the shifted half of the adjust path: pad bottom/right by 1, crop top/left by 1', () => {
    assert.deepEqual(row(a, 'zero_padding2d').attrs.padding, [0, 1, 0, 1]);
    assert.deepEqual(row(a, 'cropping2d').attrs.cropping, [1, 0, 1, 0]);
    assert.deepEqual(row(a, 'cropping2d').outputShape, [111, 111, 32]);
  });

  test('about 564 M MACs, the paper\'s mult-adds', () => {
    assert.ok(Math.abs(a.totals.macs - 564e6) < 1e6, `macs ${a.totals.macs}`);
  });
});

describe('zoo: nasnet_large', () => {
  const spec = getModel('nasnet_large');
  const a = analyze(resolveGraph(spec));

  test('builds on 331×331×3 and ends in 1000 softmax classes', () => {
    assert.deepEqual(a.input, [331, 331, 3]);
    assert.deepEqual(a.outputs, [{ name: 'predictions', shape: [1000] }]);
  });

  test('Keras totals: 88,949,818 params, 88,753,150 trainable + 196,668 non-trainable', () => {
    assert.equal(a.totals.params, 88_949_818);
    assert.equal(a.totals.trainableParams, 88_753_150);
    assert.equal(a.totals.nonTrainableParams, 196_668);
  });

  test('1546 weight tensors, 1018 trainable, as Keras lists them', () => {
    assert.deepEqual(weightTensors('nasnet_large'), { all: 1546, trainable: 1018 });
  });

  const spots: Array<[string, number[]]> = [
    ['stem_conv1', [165, 165, 96]],
    ['reduction_concat_stem_1', [83, 83, 168]],
    ['reduction_concat_stem_2', [42, 42, 336]],
    ['normal_concat_5', [42, 42, 1008]],
    ['reduction_concat_reduce_6', [21, 21, 1344]],
    ['adjust_bn_7', [21, 21, 336]],
    ['normal_concat_12', [21, 21, 2016]],
    ['reduction_concat_reduce_12', [11, 11, 2688]],
    ['normal_concat_18', [11, 11, 4032]],
  ];
  for (const [name, shape] of spots) {
    test(`${name}: ${JSON.stringify(shape)}`, () => assert.deepEqual(row(a, name).outputShape, shape));
  }

  test('with skip_reduction the cell after a reduction still reads the pre-reduction p', () => {
    assert.deepEqual(inputsOf(spec, 'adjust_relu_1_7'), ['normal_concat_4']);
    assert.deepEqual(inputsOf(spec, 'adjust_relu_1_13'), ['normal_concat_11']);
  });

  test('about 23.8 G MACs, the paper\'s mult-adds', () => {
    assert.ok(Math.abs(a.totals.macs - 23.8e9) < 0.05e9, `macs ${a.totals.macs}`);
  });
});

describe('zoo: nasnet options and helpers', () => {
  test('no top, pooling, classes and input pass through', () => {
    const bare = analyze(resolveGraph(getModel('nasnet_mobile', { includeTop: false })));
    assert.deepEqual(bare.outputs[0]!.shape, [7, 7, 1056]);
    assert.equal(bare.totals.params, 5_326_716 - 1_057_000);
    assert.deepEqual(analyze(resolveGraph(getModel('nasnet_mobile', { includeTop: false, pooling: 'avg' }))).outputs[0]!.shape, [1056]);
    assert.deepEqual(analyze(resolveGraph(getModel('nasnet_large', { includeTop: false, pooling: 'max', input: [224, 224, 3] }))).outputs[0]!.shape, [4032]);
    assert.deepEqual(analyze(resolveGraph(getModel('nasnet_mobile', { classes: 2 }))).outputs[0]!.shape, [2]);
    assert.deepEqual(analyze(resolveGraph(getModel('nasnet_mobile', { input: [32, 32, 3] }))).outputs[0]!.shape, [1000]);
    assert.throws(() => getModel('nasnet_mobile', { input: [31, 31, 3] }), UsageError);
  });

  test('penultimate filters must be a multiple of 24·multiplier²', () => {
    assert.throws(() => nasnet('bad', { ...NASNET_CONFIGS.nasnet_mobile, penultimateFilters: 1000 }), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /penultimateFilters.*96.*received 1000/);
      return true;
    });
  });

  test('correct_pad: one row less on top for even sizes, symmetric for odd', () => {
    const even = analyzeWith([28, 28, 4], (b, x) => b.zeroPad(x, correctPad(x, 3), 'pad'));
    assert.deepEqual(row(even, 'pad').attrs.padding, [0, 1, 0, 1]);
    const odd = analyzeWith([27, 27, 4], (b, x) => b.zeroPad(x, correctPad(x, 5), 'pad'));
    assert.deepEqual(row(odd, 'pad').attrs.padding, [2, 2, 2, 2]);
  });
});
