/** MobileNet v1, v2 and v3 (Keras): exact Keras totals, and alpha / resolution as the papers' tables say. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { type Analysis } from '../../src/analysis/types.js';
import { UsageError } from '../../src/core/errors.js';
import '../../src/zoo/mobilenet.js';
import '../../src/zoo/mobilenet_v2.js';
import '../../src/zoo/mobilenet_v3.js';
import { makeDivisible } from '../../src/zoo/mobilenet_v2.js';
import { getModel, listModels, type ModelOptions } from '../../src/zoo/registry.js';
import { row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Keras totals with include_top, 1000 classes, alpha 1 (MobileNetV3: minimalistic false). */
const KERAS_TOTALS: Record<string, number> = {
  mobilenet: 4_253_864,
  mobilenet_v2: 3_538_984,
  mobilenet_v3_small: 2_554_968,
  mobilenet_v3_large: 5_507_432,
};

const members = ['mobilenet', 'mobilenet_v2', 'mobilenet_v3'].flatMap((family) => listModels({ family }));

const macsOf = (id: string, o: ModelOptions = {}) => analyze(resolveGraph(getModel(id, o)), { convention: 'macs' });

/** Params as the papers count them: conv and dense weights and biases, no batch norm. */
const convParams = (a: Analysis) => a.layers.filter((l) => ['Conv2D', 'DepthwiseConv2D', 'Dense'].includes(l.op)).reduce((s, l) => s + l.params, 0);

describe('mobilenet zoo', () => {
  test('every id of the families is registered', () => {
    assert.deepEqual(members.map((m) => m.id).sort(), Object.keys(KERAS_TOTALS).sort());
  });

  for (const meta of members) {
    test(`${meta.id} builds, outputs [1000] and has Keras' parameter count`, () => {
      const a = analyze(resolveGraph(getModel(meta.id)));
      assert.deepEqual(a.outputs.map((o) => o.shape), [[1000]]);
      assert.equal(a.totals.params, KERAS_TOTALS[meta.id]);
      assert.equal(a.totals.trainableParams + a.totals.nonTrainableParams, a.totals.params);
    });
  }

  test("Keras' headless totals and non-trainable BN statistics (model.summary() of include_top=False)", () => {
    const cases: Array<[string, number, number]> = [
      ['mobilenet', 3_228_864, 21_888],
      ['mobilenet_v2', 2_257_984, 34_112],
    ];
    for (const [id, params, frozen] of cases) {
      const a = analyze(resolveGraph(getModel(id, { includeTop: false })));
      assert.equal(a.totals.params, params, id);
      assert.equal(a.totals.nonTrainableParams, frozen, id);
    }
  });

  // MobileNets paper, Table 6 (width multiplier at 224) and Table 7 (resolution at alpha 1):
  // millions of mult-adds and of parameters, the latter without batch norm.
  const V1_TABLE: Array<{ alpha: number; size: number; macsM: number; paramsM?: number }> = [
    { alpha: 1, size: 224, macsM: 569, paramsM: 4.2 },
    { alpha: 0.75, size: 224, macsM: 325, paramsM: 2.6 },
    { alpha: 0.5, size: 224, macsM: 149, paramsM: 1.3 },
    { alpha: 0.25, size: 224, macsM: 41, paramsM: 0.5 },
    { alpha: 1, size: 192, macsM: 418 },
    { alpha: 1, size: 160, macsM: 290 },
    { alpha: 1, size: 128, macsM: 186 },
  ];
  for (const c of V1_TABLE) {
    test(`MobileNet ${c.alpha} at ${c.size}: ${c.macsM} M mult-adds as the paper's table`, () => {
      const a = macsOf('mobilenet', { alpha: c.alpha, input: [c.size, c.size, 3] });
      // The tables round to whole millions (and 0.1 M params), not always to the nearest.
      assert.ok(Math.abs(a.totals.macs / 1e6 - c.macsM) < 1, `${a.totals.macs}`);
      if (c.paramsM !== undefined) assert.ok(Math.abs(convParams(a) / 1e6 - c.paramsM) < 0.05, `${convParams(a)}`);
    });
  }

  test("MobileNet 0.50 at 160 is the paper's 76 M mult-adds and 1.32 M params (its comparison with SqueezeNet and AlexNet)", () => {
    const a = macsOf('mobilenet', { alpha: 0.5, input: [160, 160, 3] });
    assert.ok(Math.abs(a.totals.macs / 1e6 - 76) < 1, `${a.totals.macs}`);
    assert.equal((convParams(a) / 1e6).toFixed(2), '1.32');
    assert.deepEqual(row(a, 'conv_pw_13').outputShape, [5, 5, 512]);
  });

  test('MobileNet follows Keras names, pads strided blocks bottom-right and classifies with a 1×1 conv', () => {
    const spec = getModel('mobilenet');
    const names = spec.nodes.map((n) => n.name);
    assert.deepEqual(names.slice(0, 10), ['conv1', 'conv1_bn', 'conv1_relu', 'conv_dw_1', 'conv_dw_1_bn', 'conv_dw_1_relu', 'conv_pw_1', 'conv_pw_1_bn', 'conv_pw_1_relu', 'conv_pad_2']);
    assert.deepEqual(names.slice(-5), ['reshape_1', 'dropout', 'conv_preds', 'reshape_2', 'predictions']);
    const a = analyze(resolveGraph(spec));
    assert.deepEqual(row(a, 'conv_pad_2').attrs.padding, [0, 1, 0, 1]);
    assert.equal(row(a, 'conv_preds').params, 1024 * 1000 + 1000);
  });

  test('MobileNet depthMultiplier widens the depthwise convs and the pointwise inputs', () => {
    const a = analyze(resolveGraph(getModel('mobilenet', { depthMultiplier: 2 })));
    assert.deepEqual(row(a, 'conv_dw_1').outputShape, [112, 112, 64]);
    assert.equal(row(a, 'conv_pw_1').params, 64 * 64);
  });

  test('_make_divisible rounds to multiples of 8, never more than 10% down', () => {
    assert.equal(makeDivisible(32 * 0.35), 16);
    assert.equal(makeDivisible(16 * 0.35), 8);
    assert.equal(makeDivisible(1280 * 1.4), 1792);
    assert.equal(makeDivisible(72), 72);
    assert.equal(makeDivisible(20), 24);
  });

  // MobileNetV2's checkpoint table (TF-slim, quoted in the Keras mobilenet_v2 docstring):
  // whole millions of MACs and millions of params without batch norm.
  const V2_TABLE: Array<{ alpha: number; size: number; macsM: number; paramsM: number }> = [
    { alpha: 1.4, size: 224, macsM: 582, paramsM: 6.06 },
    { alpha: 1.3, size: 224, macsM: 509, paramsM: 5.34 },
    { alpha: 1, size: 224, macsM: 300, paramsM: 3.47 },
    { alpha: 1, size: 96, macsM: 56, paramsM: 3.47 },
    { alpha: 0.75, size: 160, macsM: 107, paramsM: 2.61 },
    { alpha: 0.5, size: 128, macsM: 32, paramsM: 1.95 },
    { alpha: 0.35, size: 96, macsM: 11, paramsM: 1.66 },
  ];
  for (const c of V2_TABLE) {
    test(`MobileNetV2 ${c.alpha} at ${c.size}: ${c.macsM} M MACs, ${c.paramsM} M params`, () => {
      const a = macsOf('mobilenet_v2', { alpha: c.alpha, input: [c.size, c.size, 3] });
      assert.ok(Math.abs(a.totals.macs / 1e6 - c.macsM) < 1, `${a.totals.macs}`);
      assert.ok(Math.abs(convParams(a) / 1e6 - c.paramsM) < 0.005, `${convParams(a)}`);
    });
  }

  test('MobileNetV2 follows Keras names: expanded_conv_ block 0, block_N_ after, correct_pad on strided blocks', () => {
    const a = analyze(resolveGraph(getModel('mobilenet_v2')));
    const names = a.layers.map((l) => l.name);
    assert.deepEqual(names.slice(1, 9), ['Conv1', 'bn_Conv1', 'Conv1_relu', 'expanded_conv_depthwise', 'expanded_conv_depthwise_BN', 'expanded_conv_depthwise_relu', 'expanded_conv_project', 'expanded_conv_project_BN']);
    assert.deepEqual(row(a, 'block_1_pad').attrs.padding, [0, 1, 0, 1]);
    assert.deepEqual(row(a, 'block_2_add').outputShape, [56, 56, 24]);
    assert.deepEqual(names.slice(-5), ['Conv_1', 'Conv_1_bn', 'out_relu', 'global_average_pooling2d', 'predictions']);
  });

  // Searching for MobileNetV3, Table 3 (for Large 1.0 the Keras docstring's 217 M; the paper's 219 M
  // counts more than conv and dense work). Params to within 0.1 M, the paper's precision.
  const V3_TABLE: Array<{ id: string; o: ModelOptions; macsM: number; paramsM: number }> = [
    { id: 'mobilenet_v3_small', o: {}, macsM: 56, paramsM: 2.5 },
    { id: 'mobilenet_v3_small', o: { alpha: 0.75 }, macsM: 44, paramsM: 2.0 },
    { id: 'mobilenet_v3_large', o: {}, macsM: 217, paramsM: 5.4 },
    { id: 'mobilenet_v3_large', o: { alpha: 0.75 }, macsM: 155, paramsM: 4.0 },
    { id: 'mobilenet_v3_large', o: { minimalistic: true }, macsM: 209, paramsM: 3.9 },
  ];
  for (const c of V3_TABLE) {
    test(`${c.id} ${JSON.stringify(c.o)}: ${c.macsM} M MACs, ${c.paramsM} M params`, () => {
      const a = macsOf(c.id, c.o);
      assert.ok(Math.abs(a.totals.macs / 1e6 - c.macsM) < 1, `${a.totals.macs}`);
      assert.ok(Math.abs(convParams(a) / 1e6 - c.paramsM) < 0.1, `${convParams(a)}`);
    });
  }

  test('MobileNetV3 rescales its input, gates SE with hard-sigmoid and ends with 1×1 convs', () => {
    const a = analyze(resolveGraph(getModel('mobilenet_v3_small')));
    assert.deepEqual(row(a, 'rescaling').attrs, { scale: 1 / 127.5, offset: -1, trainable: true });
    assert.equal(row(a, 'expanded_conv_squeeze_excite_hard_sigmoid').attrs.fn, 'hard_sigmoid');
    assert.equal(row(a, 'expanded_conv_squeeze_excite_conv').params, 16 * 8 + 8);
    assert.equal(row(a, 'expanded_conv_3_depthwise').attrs.kernelSize?.toString(), '5,5');
    assert.equal(row(a, 'conv_2').params, 576 * 1024 + 1024);
    assert.deepEqual(a.layers.slice(-3).map((l) => l.name), ['logits', 'flatten', 'predictions']);
    const bare = analyze(resolveGraph(getModel('mobilenet_v3_small', { includePreprocessing: false, minimalistic: true })));
    assert.equal(bare.layers.some((l) => l.op === 'Rescaling' || l.name.includes('squeeze_excite')), false);
  });

  test('bad alpha, depthMultiplier, dropout and unknown options are refused by name', () => {
    const refused = (id: string, o: ModelOptions, option: string) =>
      assert.throws(() => getModel(id, o), (e: unknown) => e instanceof UsageError && e.message.includes(`option "${option}"`));
    refused('mobilenet', { alpha: 0 }, 'alpha');
    refused('mobilenet', { depthMultiplier: 1.5 }, 'depthMultiplier');
    refused('mobilenet', { dropout: 1 }, 'dropout');
    refused('mobilenet_v2', { depthMultiplier: 2 }, 'depthMultiplier');
    refused('mobilenet_v3_large', { minimalistic: 'yes' }, 'minimalistic');
  });
});
