/** ZFNet: the lecture's table on 224×224×3, where the slide's own numbers fix the geometry. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import '../../src/zoo/zfnet.js';
import { getModel } from '../../src/zoo/registry.js';
import { row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** True when `value` (in millions) matches a slide figure to within one unit of its last printed digit. */
function matchesSlide(value: number, slide: string): boolean {
  const decimals = slide.includes('.') ? slide.split('.')[1]!.length : 0;
  return Math.abs(value / 1e6 - Number(slide.replace(/,/g, ''))) <= 10 ** -decimals;
}

describe('zfnet: the lecture table', () => {
  const a = analyze(resolveGraph(getModel('zfnet')));
  // [layer, output shape, params, flops by the slide's formula, MFLOPs as printed, or null where the slide slips]
  const table: Array<[string, number[], number, number, string | null]> = [
    // (110,110,96) from 224 with a 7×7/2 kernel needs one pixel of padding: (224 + 2 - 7) / 2 + 1 = 110.
    ['conv1', [110, 110, 96], 14_208, 110 * 110 * 96 * 7 * 7 * 3, '170.8'],
    // 110 → 55 needs ceil mode: floor((110 - 3) / 2) + 1 would be 54.
    ['pool1', [55, 55, 96], 0, 55 * 55 * 96 * 3 * 3, '2.6'],
    // The slide's hyperparameters say s=(1,1), same; its output (26,26,256) and 415.3 MFLOPs need stride 2, no padding.
    ['conv2', [26, 26, 256], 614_656, 26 * 26 * 256 * 5 * 5 * 96, '415.3'],
    // 26 → 13 needs ceil mode. The slide prints 0.09 MFLOPs; its formula 13·13·256·3·3 gives 0.39 M, and the formula wins.
    ['pool2', [13, 13, 256], 0, 13 * 13 * 256 * 3 * 3, null],
    ['conv3', [13, 13, 512], 1_180_160, 13 * 13 * 512 * 3 * 3 * 256, '199.4'],
    ['conv4', [13, 13, 1024], 4_719_616, 13 * 13 * 1024 * 3 * 3 * 512, '797.4'],
    // The slide repeats conv4's 4,719,616 params; conv5's own formula 512·(3·3·1024+1) gives 4,719,104.
    ['conv5', [13, 13, 512], 4_719_104, 13 * 13 * 512 * 3 * 3 * 1024, '797.4'],
    ['pool5', [6, 6, 512], 0, 6 * 6 * 512 * 3 * 3, '0.17'],
    ['flatten', [18432], 0, 0, '0'],
    // The slide prints 75,515,904 = 18,432·4,097; the FC formula 4,096·(18,432+1) gives 75,501,568.
    ['fc6', [4096], 75_501_568, 18432 * 4096, '75.5'],
    ['fc7', [4096], 16_781_312, 4096 * 4096, '16.8'],
    ['fc8', [1000], 4_097_000, 4096 * 1000, '4.1'],
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

  test('pool 2 costs 0.39 MFLOPs, not the slide’s 0.09', () => {
    assert.equal(Math.round(row(a, 'pool2').flops / 1e4) / 100, 0.39);
  });

  test('the pools round up (ceil mode) and conv2 strides by 2', () => {
    assert.equal(row(a, 'pool1').attrs.ceilMode, true);
    assert.deepEqual(row(a, 'conv2').attrs.strides, [2, 2]);
    assert.deepEqual(row(a, 'conv1').attrs.padding, [1, 1, 1, 1]);
  });

  test('totals: ≈ 107.6 M params (~108 M) and ≈ 2.48 GFLOPs', () => {
    assert.equal(a.totals.params, 107_627_624);
    assert.equal(Math.round(a.totals.params / 1e5) / 10, 107.6);
    assert.equal(Math.round(a.totals.params / 1e6), 108);
    assert.equal(a.totals.flops, table.reduce((s, r) => s + r[3], 0));
    assert.equal(Math.round(a.totals.flops / 1e7) / 100, 2.48);
    // The slide's 2.47 G is its own rows' sum (2,479.6 M) cut to two decimals.
    assert.ok(Math.abs(a.totals.flops / 1e9 - 2.47) <= 0.01);
  });

  test('classes pass through to fc8', () => {
    const ten = analyze(resolveGraph(getModel('zfnet', { classes: 10 })));
    assert.deepEqual(ten.outputs[0]!.shape, [10]);
    assert.equal(row(ten, 'fc8').params, 4096 * 10 + 10);
  });
});
