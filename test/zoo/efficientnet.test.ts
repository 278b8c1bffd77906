/** EfficientNet B0–B7 (Keras): exact Keras totals from one stage table and compound coefficients. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { UsageError } from '../../src/core/errors.js';
import { EFFICIENTNET_B0_STAGES, EFFICIENTNET_SCALES, roundFilters, roundRepeats } from '../../src/zoo/efficientnet.js';
import { getModel, listModels } from '../../src/zoo/registry.js';
import { row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Keras Applications' totals with include_top and 1000 classes. */
const KERAS_TOTALS: Record<string, number> = {
  efficientnet_b0: 5_330_571,
  efficientnet_b1: 7_856_239,
  efficientnet_b2: 9_177_569,
  efficientnet_b3: 12_320_535,
  efficientnet_b4: 19_466_823,
  efficientnet_b5: 30_562_527,
  efficientnet_b6: 43_265_143,
  efficientnet_b7: 66_658_687,
};

const members = listModels({ family: 'efficientnet' });

describe('efficientnet zoo', () => {
  test('B0 to B7 are registered', () => {
    assert.deepEqual(members.map((m) => m.id).sort(), Object.keys(KERAS_TOTALS).sort());
  });

  for (const meta of members) {
    test(`${meta.id} builds at its ${meta.input[0]}×${meta.input[1]} default, outputs [1000], and has Keras' parameter count`, () => {
      const a = analyze(resolveGraph(getModel(meta.id)));
      assert.deepEqual(a.input, meta.input);
      assert.deepEqual(a.outputs.map((o) => o.shape), [[1000]]);
      assert.equal(a.totals.params, KERAS_TOTALS[meta.id]);
    });
  }

  test('B0: Normalization holds mean, variance and a count (7 non-trainable), Keras headless total 4,049,571', () => {
    const a = analyze(resolveGraph(getModel('efficientnet_b0')));
    assert.equal(row(a, 'normalization').nonTrainableParams, 3 + 3 + 1);
    assert.equal(row(a, 'rescaling').params, 0);
    assert.equal(a.totals.nonTrainableParams, 42_023);
    assert.equal(analyze(resolveGraph(getModel('efficientnet_b0', { includeTop: false }))).totals.params, 4_049_571);
  });

  test("B0 is the paper's 0.39 B FLOPs (multiply-adds)", () => {
    const a = analyze(resolveGraph(getModel('efficientnet_b0')), { convention: 'macs' });
    assert.equal((a.totals.macs / 1e9).toFixed(2), '0.39');
  });

  test('round_filters and round_repeats scale the table as Keras does', () => {
    assert.equal(roundFilters(32, 1.1), 32);
    assert.equal(roundFilters(1280, 1.1), 1408);
    assert.equal(roundFilters(16, 1.8), 32);
    assert.equal(roundFilters(40, 2.0), 80);
    assert.equal(roundRepeats(4, 3.1), 13);
    assert.equal(roundRepeats(1, 1.1), 2);
  });

  test('the depth coefficient adds lettered blocks; drop-connect grows with block index', () => {
    const b7 = getModel('efficientnet_b7');
    const stage6 = b7.nodes.filter((n) => /^block6[a-z]_project_conv$/.test(n.name)).length;
    assert.equal(stage6, roundRepeats(EFFICIENTNET_B0_STAGES[5]!.repeats, EFFICIENTNET_SCALES.efficientnet_b7.depth));
    const b0 = analyze(resolveGraph(getModel('efficientnet_b0')));
    const drops = b0.layers.filter((l) => l.name.endsWith('_drop')).map((l) => l.attrs.rate as number);
    assert.ok(drops.length > 0 && drops.every((r, i) => i === 0 || r > drops[i - 1]!));
    assert.equal(row(b0, 'block2b_drop').attrs.rate, (0.2 * 2) / 16);
  });

  test('Keras names and MBConv structure: expand, padded strided dwconv, SE on filters_in / 4, project', () => {
    const a = analyze(resolveGraph(getModel('efficientnet_b0')));
    assert.deepEqual(a.layers.slice(1, 7).map((l) => l.name), ['rescaling', 'normalization', 'stem_conv_pad', 'stem_conv', 'stem_bn', 'stem_activation']);
    assert.deepEqual(row(a, 'block2a_dwconv_pad').attrs.padding, [0, 1, 0, 1]);
    assert.deepEqual(row(a, 'block2a_dwconv').outputShape, [56, 56, 96]);
    assert.equal(row(a, 'block2a_se_reduce').params, 96 * 4 + 4);
    assert.deepEqual(row(a, 'block2a_se_reshape').outputShape, [1, 1, 96]);
    assert.deepEqual(a.layers.slice(-6).map((l) => l.name), ['top_conv', 'top_bn', 'top_activation', 'avg_pool', 'top_dropout', 'predictions']);
    assert.equal(row(a, 'top_dropout').attrs.rate, 0.2);
  });

  test('options pass through: input, classes, pooling, dropout; others are refused', () => {
    const a = analyze(resolveGraph(getModel('efficientnet_b3', { input: [224, 224, 3], includeTop: false, pooling: 'avg' })));
    assert.deepEqual(a.outputs[0]!.shape, [1536]);
    const ten = analyze(resolveGraph(getModel('efficientnet_b0', { classes: 10, dropout: 0 })));
    assert.deepEqual(ten.outputs[0]!.shape, [10]);
    assert.equal(ten.layers.some((l) => l.name === 'top_dropout'), false);
    assert.throws(() => getModel('efficientnet_b0', { alpha: 2 }), (e: unknown) => e instanceof UsageError && /option "alpha"/.test(e.message));
  });
});
