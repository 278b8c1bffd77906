/** Model points: what a comparison chart plots for each model, from its analysis and metadata. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { compareEntry } from '../../src/report/compare.js';
import { accuracyOf, bestMetric, modelPoint, NO_FAMILY, unplaced } from '../../src/report/points.js';
import { getEntry, getModel } from '../../src/zoo/index.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('model points', () => {
  test('a zoo model: totals from its analysis, family and published accuracy from the registry', () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    const meta = getEntry('resnet50').meta;
    const p = modelPoint(compareEntry('resnet50', a, meta));
    assert.deepEqual(p, { model: 'resnet50', family: meta.family, macs: a.totals.macs, params: a.totals.params, top1: meta.accuracy!.top1, top5: meta.accuracy!.top5 });
  });

  test('a model without metadata: no accuracy keys at all, and the spec family', () => {
    const a = analyze(resolveGraph(getModel('lenet5')));
    const p = modelPoint(compareEntry('my.json', a));
    assert.deepEqual(Object.keys(p).sort(), ['family', 'macs', 'model', 'params']);
    assert.equal(p.family, NO_FAMILY);
  });

  test('the models an accuracy chart leaves out, per metric', () => {
    const points = [
      { model: 'a', family: 'x', macs: 1, params: 1, top1: 0.7, top5: 0.9 },
      { model: 'b', family: 'x', macs: 1, params: 1, top1: 0.6 },
      { model: 'c', family: 'x', macs: 1, params: 1 },
    ];
    assert.deepEqual(unplaced(points), ['c']);
    assert.deepEqual(unplaced(points, 'top5'), ['b', 'c']);
    assert.equal(bestMetric(points), 'top1');
  });

  test('a top-5 chart places a model known only by its ILSVRC entry, marked as such; the metric that places most is chosen', () => {
    const points = [
      { model: 'zf', family: 'z', macs: 1, params: 1, ilsvrcTop5: 0.883 },
      { model: 'g', family: 'g', macs: 1, params: 1, top5: 0.899, ilsvrcTop5: 0.933 },
    ];
    assert.deepEqual(accuracyOf(points[0]!, 'top5'), { value: 0.883, source: 'ilsvrc' });
    assert.deepEqual(accuracyOf(points[1]!, 'top5'), { value: 0.899, source: 'validation' }, 'the validation figure first');
    assert.equal(accuracyOf(points[0]!, 'top1'), undefined);
    assert.equal(bestMetric(points), 'top5');
  });
});
