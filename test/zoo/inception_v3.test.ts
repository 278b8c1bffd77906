/** InceptionV3: Keras' definition, totals and automatic layer names. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { UsageError } from '../../src/core/errors.js';
import '../../src/zoo/inception_v3.js';
import { getModel } from '../../src/zoo/registry.js';
import { row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('inception_v3: Keras InceptionV3', () => {
  const spec = getModel('inception_v3');
  const a = analyze(resolveGraph(spec));

  test("Keras' totals: 23,851,784 params, 23,817,352 trainable, 34,432 non-trainable", () => {
    assert.deepEqual(a.outputs[0]!.shape, [1000]);
    assert.equal(a.totals.params, 23_851_784);
    assert.equal(a.totals.trainableParams, 23_817_352);
    assert.equal(a.totals.nonTrainableParams, 34_432);
  });

  test('5.713 G MACs at 299×299 (torchvision lists the same layers at 5.713 GFLOPS)', () => {
    assert.equal(Math.round(a.totals.macs / 1e6) / 1e3, 5.713);
  });

  const mixed: Array<[string, number[]]> = [
    ['mixed0', [35, 35, 256]],
    ['mixed1', [35, 35, 288]],
    ['mixed2', [35, 35, 288]],
    ['mixed3', [17, 17, 768]],
    ['mixed4', [17, 17, 768]],
    ['mixed5', [17, 17, 768]],
    ['mixed6', [17, 17, 768]],
    ['mixed7', [17, 17, 768]],
    ['mixed8', [8, 8, 1280]],
    ['mixed9', [8, 8, 2048]],
    ['mixed10', [8, 8, 2048]],
  ];
  for (const [name, shape] of mixed) {
    test(`${name}: ${JSON.stringify(shape)}`, () => assert.deepEqual(row(a, name).outputShape, shape));
  }

  test('convs are numbered conv2d … conv2d_93 in creation order, as Keras numbers them', () => {
    const convs = spec.nodes.filter((n) => n.op === 'Conv2D').map((n) => n.name);
    assert.equal(convs.length, 94);
    assert.deepEqual(convs.slice(0, 3), ['conv2d', 'conv2d_1', 'conv2d_2']);
    assert.equal(convs[93], 'conv2d_93');
    assert.deepEqual(row(a, 'mixed0').inputs, ['activation_5', 'activation_7', 'activation_10', 'activation_11']);
    assert.deepEqual(row(a, 'mixed10').inputs, ['activation_85', 'mixed9_1', 'concatenate_1', 'activation_93']);
    assert.deepEqual(row(a, 'conv2d_93').inputs, ['average_pooling2d_8']);
  });

  test("conv2d_bn: bias-free conv, batch norm without γ (3·C weights), then ReLU", () => {
    assert.equal(row(a, 'conv2d').params, 3 * 3 * 3 * 32);
    assert.equal(row(a, 'batch_normalization').params, 3 * 32);
    assert.equal(row(a, 'batch_normalization').nonTrainableParams, 2 * 32);
    assert.deepEqual(row(a, 'activation').inputs, ['batch_normalization']);
  });

  test('the top is avg_pool and a softmax predictions layer', () => {
    assert.deepEqual(row(a, 'avg_pool').outputShape, [2048]);
    assert.equal(row(a, 'predictions').params, 2048 * 1000 + 1000);
    assert.equal(row(a, 'predictions').attrs.activation, 'softmax');
  });

  test("includeTop false is Keras' 21,802,784-parameter feature extractor", () => {
    const headless = analyze(resolveGraph(getModel('inception_v3', { includeTop: false })));
    assert.deepEqual(headless.outputs[0]!.shape, [8, 8, 2048]);
    assert.equal(headless.totals.params, 21_802_784);
    assert.deepEqual(analyze(resolveGraph(getModel('inception_v3', { includeTop: false, pooling: 'max' }))).outputs[0]!.shape, [2048]);
  });

  test("Keras' minimum input is 75×75", () => {
    assert.deepEqual(row(analyze(resolveGraph(getModel('inception_v3', { input: [75, 75, 3], includeTop: false }))), 'mixed10').outputShape, [1, 1, 2048]);
    assert.throws(() => getModel('inception_v3', { input: [74, 74, 3] }), UsageError);
  });
});
