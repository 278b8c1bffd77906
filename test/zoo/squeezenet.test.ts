/** SqueezeNet 1.1: torchvision's definition, fire modules and totals. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { fireModule } from '../../src/zoo/blocks.js';
import '../../src/zoo/squeezenet.js';
import { getModel } from '../../src/zoo/registry.js';
import { analyzeWith, row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('fire module', () => {
  test('squeeze 1×1, then 1×1 and 3×3 expands concatenated', () => {
    const a = analyzeWith([55, 55, 64], (b, x) => fireModule(b, x, { squeeze: 16, expand1x1: 64, expand3x3: 64 }, 'fire'));
    assert.equal(row(a, 'fire_squeeze').params, 64 * 16 + 16);
    assert.equal(row(a, 'fire_expand1x1').params, 16 * 64 + 64);
    assert.equal(row(a, 'fire_expand3x3').params, 3 * 3 * 16 * 64 + 64);
    assert.deepEqual(row(a, 'fire_concat').outputShape, [55, 55, 128]);
    assert.deepEqual(row(a, 'fire_expand3x3').inputs, ['fire_squeeze']);
  });
});

describe('squeezenet1_1: torchvision SqueezeNet 1.1', () => {
  const a = analyze(resolveGraph(getModel('squeezenet1_1')));

  test("1,235,496 params and 0.349 G MACs, torchvision's published figures", () => {
    assert.deepEqual(a.outputs[0]!.shape, [1000]);
    assert.equal(a.totals.params, 1_235_496);
    assert.equal(Math.round(a.totals.macs / 1e6) / 1e3, 0.349);
  });

  const shapes: Array<[string, number[]]> = [
    ['features_0', [111, 111, 64]],
    ['features_2', [55, 55, 64]],
    ['features_4_concat', [55, 55, 128]],
    ['features_5', [27, 27, 128]],
    ['features_7_concat', [27, 27, 256]],
    ['features_8', [13, 13, 256]],
    ['features_12_concat', [13, 13, 512]],
    ['classifier_1', [13, 13, 1000]],
    ['classifier_3', [1000]],
  ];
  for (const [name, shape] of shapes) {
    test(`${name}: ${JSON.stringify(shape)}`, () => assert.deepEqual(row(a, name).outputShape, shape));
  }

  test('names follow torchvision indices (the first conv’s ReLU takes index 1) and pools round up', () => {
    assert.equal(a.layers.some((l) => l.name === 'features_1'), false);
    assert.equal(row(a, 'features_2').attrs.ceilMode, true);
    assert.equal(row(a, 'features_9_squeeze').params, 256 * 48 + 48);
  });

  test('the classifier is a 1×1 conv with ReLU, averaged over the map', () => {
    assert.equal(row(a, 'classifier_1').params, 512 * 1000 + 1000);
    assert.equal(row(a, 'classifier_1').attrs.activation, 'relu');
    assert.equal(row(a, 'classifier_3').op, 'GlobalAvgPool');
  });

  test('options pass through', () => {
    const small = analyze(resolveGraph(getModel('squeezenet1_1', { classes: 10, input: [64, 64, 3] })));
    assert.deepEqual(small.outputs[0]!.shape, [10]);
    assert.equal(small.totals.params, 1_235_496 - (512 * 1000 + 1000) + (512 * 10 + 10));
    assert.deepEqual(analyze(resolveGraph(getModel('squeezenet1_1', { includeTop: false, pooling: 'avg' }))).outputs[0]!.shape, [512]);
  });
});
