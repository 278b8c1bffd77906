/** Sweep plans (labels, options, title, axis) and the points their builds give. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { commonPrefix, familySweep, optionSweep, resolutionSizes, resolutionSweep, sweepPoint, WIDTH_MULTIPLIERS } from '../../src/report/sweeps.js';
import { getEntry, getModel } from '../../src/zoo/index.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('sweeps', () => {
  test('resolution: square inputs keeping the channels and the other options', () => {
    const plan = resolutionSweep('mobilenet', [128, 224], 3, { alpha: 0.5 });
    assert.equal(plan.title, 'mobilenet: input resolution (ρ) sweep');
    assert.equal(plan.axis, 'Input resolution (ρ)');
    assert.deepEqual(plan.steps, [
      { label: '128×128', model: 'mobilenet', options: { alpha: 0.5, input: [128, 128, 3] } },
      { label: '224×224', model: 'mobilenet', options: { alpha: 0.5, input: [224, 224, 3] } },
    ]);
    assert.equal(plan.published, false);
    assert.deepEqual(resolutionSizes(224, [0.5, 0.625, 1]), [112, 140, 224]);
  });

  test('an option: α has its symbol, other options their name', () => {
    const alpha = optionSweep('mobilenet', 'alpha', WIDTH_MULTIPLIERS.slice(0, 2).map((a) => ({ text: String(a), options: { alpha: a } })));
    assert.deepEqual(alpha.steps.map((s) => s.label), ['α=0.25', 'α=0.5']);
    assert.deepEqual(alpha.steps[1]!.options, { alpha: 0.5 });
    assert.equal(alpha.axis, 'Width multiplier α');
    const depth = optionSweep('mobilenet', 'depth-multiplier', [{ text: '2', options: { depthMultiplier: 2 } }], { classes: 10 });
    assert.deepEqual(depth.steps[0], { label: 'depth-multiplier=2', model: 'mobilenet', options: { classes: 10, depthMultiplier: 2 } });
    assert.equal(depth.title, 'mobilenet: depth-multiplier sweep');
  });

  test('a family: the shared prefix named once on the axis, the rest on the points', () => {
    const plan = familySweep(['efficientnet_b0', 'efficientnet_b1', 'efficientnet_b2']);
    assert.deepEqual(plan.steps.map((s) => s.label), ['b0', 'b1', 'b2']);
    assert.equal(plan.axis, 'Model (efficientnet_…)');
    assert.equal(plan.title, 'efficientnet_b0 … efficientnet_b2: one point per model');
    assert.equal(familySweep(['vgg16', 'resnet50']).axis, 'Model');
    assert.equal(commonPrefix(['resnet50', 'resnet50_v2']), '', 'an id would be left empty');
    assert.equal(commonPrefix(['resnet50_v2', 'resnet101_v2']), '');
  });

  test('points: totals of each build; published top-1 only where the build is the published model', () => {
    const family = familySweep(['efficientnet_b0', 'efficientnet_b1']);
    const a = analyze(resolveGraph(getModel('efficientnet_b0')));
    const meta = getEntry('efficientnet_b0').meta;
    assert.deepEqual(sweepPoint(family, family.steps[0]!, a, meta), { label: 'b0', macs: a.totals.macs, params: a.totals.params, top1: meta.accuracy!.top1 });
    const rho = resolutionSweep('efficientnet_b0', [192, 224], 3);
    const small = analyze(resolveGraph(getModel('efficientnet_b0', rho.steps[0]!.options)));
    assert.deepEqual(sweepPoint(rho, rho.steps[0]!, small, meta), { label: '192×192', macs: small.totals.macs, params: small.totals.params });
    assert.ok(small.totals.macs < a.totals.macs);
  });
});
