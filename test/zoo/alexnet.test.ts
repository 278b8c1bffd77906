/** AlexNet: the lecture's single-tower table, and torchvision's 64-filter variant. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { ShapeError, UsageError } from '../../src/core/errors.js';
import '../../src/zoo/alexnet.js';
import { getModel } from '../../src/zoo/registry.js';
import { row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** True when `value` (in millions) matches a slide figure to within one unit of its last printed digit. */
function matchesSlide(value: number, slide: string): boolean {
  const decimals = slide.includes('.') ? slide.split('.')[1]!.length : 0;
  return Math.abs(value / 1e6 - Number(slide.replace(/,/g, ''))) <= 10 ** -decimals;
}

describe('alexnet: the lecture table on 227×227×3', () => {
  const a = analyze(resolveGraph(getModel('alexnet')));
  // [layer, output shape, params, flops by the slide's formula, MFLOPs as printed on the slide]
  const table: Array<[string, number[], number, number, string]> = [
    // The slide prints 34,857 params; its own formula 96·(11·11·3+1) gives 34,944, and the formula wins.
    ['conv1', [55, 55, 96], 34_944, 55 * 55 * 96 * 11 * 11 * 3, '105'],
    ['pool1', [27, 27, 96], 0, 27 * 27 * 96 * 3 * 3, '0.6'],
    ['conv2', [27, 27, 256], 614_656, 27 * 27 * 256 * 5 * 5 * 96, '448'],
    ['pool2', [13, 13, 256], 0, 13 * 13 * 256 * 3 * 3, '0.4'],
    ['conv3', [13, 13, 384], 885_120, 13 * 13 * 384 * 3 * 3 * 256, '150'],
    ['conv4', [13, 13, 384], 1_327_488, 13 * 13 * 384 * 3 * 3 * 384, '224'],
    ['conv5', [13, 13, 256], 884_992, 13 * 13 * 256 * 3 * 3 * 384, '150'],
    ['pool5', [6, 6, 256], 0, 6 * 6 * 256 * 3 * 3, '0.08'],
    ['flatten', [9216], 0, 0, '0'],
    ['fc6', [4096], 37_752_832, 9216 * 4096, '38'],
    ['fc7', [4096], 16_781_312, 4096 * 4096, '17'],
    ['fc8', [1000], 4_097_000, 4096 * 1000, '4'],
  ];
  for (const [name, shape, params, flops, slide] of table) {
    test(`${name}: ${JSON.stringify(shape)}, ${params.toLocaleString('en')} params, ${slide} MFLOPs`, () => {
      const r = row(a, name);
      assert.deepEqual(r.outputShape, shape);
      assert.equal(r.params, params);
      assert.equal(r.flops, flops);
      assert.ok(matchesSlide(r.flops, slide), `${r.flops} flops vs the slide's ${slide} M`);
    });
  }

  test('totals: 62,378,344 params (~62 M) and ~1 GFLOP, the sum of the table', () => {
    assert.equal(a.totals.params, 62_378_344);
    assert.equal(a.totals.trainableParams, 62_378_344);
    assert.equal(Math.round(a.totals.params / 1e6), 62);
    assert.equal(a.totals.flops, table.reduce((s, r) => s + r[3], 0));
    assert.equal(Math.round(a.totals.flops / 1e9), 1);
  });

  test('MACs are the conv and FC rows only: the pools are the difference', () => {
    const pools = table.filter(([n]) => n.startsWith('pool')).reduce((s, r) => s + r[3], 0);
    assert.equal(a.totals.macs, a.totals.flops - pools);
  });

  test("the paper's response normalization follows conv1 and conv2, free in the lecture's convention", () => {
    for (const name of ['norm1', 'norm2']) {
      const r = row(a, name);
      assert.equal(r.op, 'LRN');
      assert.equal(r.params, 0);
      assert.equal(r.flops, 0);
    }
    assert.deepEqual(row(a, 'norm1').inputs, ['conv1']);
    assert.deepEqual(row(a, 'pool1').inputs, ['norm1']);
  });

  test('options pass through: classes, includeTop with pooling', () => {
    const ten = analyze(resolveGraph(getModel('alexnet', { classes: 10 })));
    assert.deepEqual(ten.outputs[0]!.shape, [10]);
    assert.equal(ten.totals.params, 62_378_344 - 4_097_000 + (4096 * 10 + 10));
    const headless = analyze(resolveGraph(getModel('alexnet', { includeTop: false, pooling: 'max' })));
    assert.deepEqual(headless.outputs[0]!.shape, [256]);
    assert.equal(headless.layers.some((l) => l.name === 'fc6'), false);
  });

  test('too small an input fails at the layer it empties, by name', () => {
    assert.throws(() => getModel('alexnet', { input: [60, 60, 3] }), (e: unknown) => e instanceof ShapeError && e.node === 'pool5');
  });

  test('an option the family does not read is refused', () => {
    assert.throws(() => getModel('alexnet', { alpha: 0.5 }), UsageError);
  });
});

describe('alexnet_tv: torchvision AlexNet', () => {
  const a = analyze(resolveGraph(getModel('alexnet_tv')));

  test("61,100,840 params and 0.714 G MACs, torchvision's published figures", () => {
    assert.deepEqual(a.outputs[0]!.shape, [1000]);
    assert.equal(a.totals.params, 61_100_840);
    assert.equal(Math.round(a.totals.macs / 1e6) / 1e3, 0.714);
  });

  test('node names are the state-dict paths of torchvision', () => {
    const weighted = a.layers.filter((l) => l.params > 0).map((l) => l.name);
    assert.deepEqual(weighted, ['features_0', 'features_3', 'features_6', 'features_8', 'features_10', 'classifier_1', 'classifier_4', 'classifier_6']);
    assert.equal(row(a, 'classifier_6').attrs.activation, 'linear');
  });

  test('at 224 the 6×6 adaptive pool is the identity (a 1×1 average pool)', () => {
    assert.deepEqual(row(a, 'features_12').outputShape, [6, 6, 256]);
    const pool = row(a, 'avgpool');
    assert.deepEqual(pool.outputShape, [6, 6, 256]);
    assert.equal(pool.op, 'AdaptiveAvgPool');
    assert.deepEqual(pool.attrs.outputSize, [6, 6]);
  });

  test('the adaptive pool takes any input size; the parameter count stays exact', () => {
    // 415 gives a 12×12 map (bins of 2), 256 a 7×7 map (overlapping bins), 100 a 2×2 map (bins repeat units).
    for (const [size, map] of [[415, 12], [256, 7], [100, 2]] as const) {
      const a = analyze(resolveGraph(getModel('alexnet_tv', { input: [size, size, 3] })));
      assert.deepEqual(row(a, 'features_12').outputShape, [map, map, 256]);
      assert.deepEqual(row(a, 'avgpool').outputShape, [6, 6, 256]);
      assert.equal(a.totals.params, 61_100_840);
    }
  });

  test('includeTop false returns the features', () => {
    assert.deepEqual(analyze(resolveGraph(getModel('alexnet_tv', { includeTop: false }))).outputs[0]!.shape, [6, 6, 256]);
  });
});
