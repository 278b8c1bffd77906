/**
 * Registry-driven checks: every registered model builds, validates, has the declared input and
 * output, and its metadata is complete. Published totals are expectations recomputed here.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { UsageError } from '../../src/core/errors.js';
import { getModel, listModels, registerModel } from '../../src/zoo/index.js';

/** Every id the zoo promises (DESIGN.md and the zoo's scope). */
const PROMISED = [
  'lenet5', 'alexnet', 'alexnet_tv', 'zfnet', 'vgg11', 'vgg13', 'vgg16', 'vgg19', 'vgg11_bn', 'vgg13_bn', 'vgg16_bn', 'vgg19_bn',
  'googlenet', 'googlenet_tv', 'inception_v3', 'squeezenet1_1',
  'resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'resnet50_tv', 'resnet101_tv', 'resnet152_tv',
  'resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110',
  'resnet50_v2', 'resnet101_v2', 'resnet152_v2', 'mobilenet', 'mobilenet_v2', 'mobilenet_v3_small', 'mobilenet_v3_large',
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `efficientnet_b${i}`),
  'xception', 'inception_resnet_v2', 'densenet121', 'densenet169', 'densenet201', 'nasnet_mobile', 'nasnet_large',
];

/** Keras Applications totals (include_top, 1000 classes), from the Keras documentation. */
const KERAS_TOTALS: Record<string, number> = {
  vgg16: 138_357_544,
  vgg19: 143_667_240,
  resnet50: 25_636_712,
  resnet101: 44_707_176,
  resnet152: 60_419_944,
  resnet50_v2: 25_613_800,
  inception_v3: 23_851_784,
  mobilenet: 4_253_864,
  mobilenet_v2: 3_538_984,
  densenet121: 8_062_504,
  xception: 22_910_480,
  efficientnet_b0: 5_330_571,
  inception_resnet_v2: 55_873_736,
  nasnet_mobile: 5_326_716,
};

describe('zoo registry', () => {
  const models = listModels();

  test('every promised id is registered', () => {
    const ids = new Set(models.map((m) => m.id));
    assert.deepEqual(PROMISED.filter((id) => !ids.has(id)), []);
  });

  test('ids are lowercase with underscores', () => {
    for (const m of models) assert.match(m.id, /^[a-z][a-z0-9_]*$/);
  });

  test('a duplicate registration is refused', () => {
    assert.throws(() => registerModel({ ...models[0]! }, () => getModel(models[0]!.id)), /already registered/);
  });

  test('an unknown id suggests near ids', () => {
    assert.throws(() => getModel('resnet05'), (e: Error) => e instanceof UsageError && /did you mean .*resnet50/.test(e.message));
  });

  for (const meta of models) {
    test(`${meta.id}: builds, validates and matches its metadata`, () => {
      const spec = getModel(meta.id);
      const g = resolveGraph(spec);
      assert.deepEqual(g.inputs[0]!.shape, meta.input, 'declared input');
      assert.deepEqual(g.shapes.get(g.outputs[0]!), [meta.classes], 'classifier output');
      assert.ok(meta.year >= 1989 && meta.year <= 2026, 'year');
      assert.match(meta.paper.url, /^https?:\/\//, 'paper link');
      assert.ok(meta.paper.title.length > 5, 'paper title');
      assert.ok(meta.licence.length > 0 && meta.reference.length > 0, 'licence and reference');
      if (meta.accuracy) {
        // Fractions, as reports and charts read them (a percent such as 76.1 would pass `<= 100` and print as 7610%).
        for (const v of [meta.accuracy.top1, meta.accuracy.top5]) if (v !== undefined) assert.ok(v > 0.3 && v < 1, `accuracy as a fraction in (0.3, 1); received ${v}`);
        const { top1, top5 } = meta.accuracy;
        if (top1 !== undefined && top5 !== undefined) assert.ok(top5 > top1, `top-5 (${top5}) above top-1 (${top1})`);
        assert.ok(meta.accuracy.source.length > 0, 'accuracy source');
      }
      const a = analyze(resolveGraph(spec), { convention: 'macs' });
      assert.ok(a.totals.params > 0 && a.totals.macs > 0);
      assert.equal(a.totals.flops, a.totals.macs, 'macs convention');
      if (KERAS_TOTALS[meta.id] !== undefined) assert.equal(a.totals.params, KERAS_TOTALS[meta.id], 'Keras total');
    });
  }

  test('options pass through: classes and includeTop', () => {
    const spec = getModel('resnet50', { classes: 10 });
    assert.deepEqual(resolveGraph(spec).shapes.get(spec.outputs[0]!), [10]);
    const base = getModel('resnet50', { includeTop: false, pooling: 'avg' });
    assert.deepEqual(resolveGraph(base).shapes.get(base.outputs[0]!), [2048]);
    assert.equal(analyze(resolveGraph(base)).totals.params, 25_636_712 - (2048 * 1000 + 1000));
  });
});
