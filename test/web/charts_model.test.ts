/** The charts view as data: the batch slider, training memory and budget fit, sweeps and timing text. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { maxBatch, trainingMemory } from '../../src/analysis/memory.js';
import { bytes } from '../../src/report/units.js';
import { getEntry, getModel, listModels } from '../../src/zoo/index.js';
import { BATCHES, batchIndex, sweepKinds, sweepPlan, sweepPoints, timingText, trainingView } from '../../web/src/charts_model.js';
import { resolveGraph } from '../../src/graph/graph.js';

const models = listModels();
const ids = models.map((m) => m.id);
const lenet = analyze(resolveGraph(getModel('lenet5')));

describe('batch slider', () => {
  test('powers of two from 1 to 1024; a batch sits at the first at or above it', () => {
    assert.equal(BATCHES[0], 1);
    assert.equal(BATCHES.at(-1), 1024);
    assert.equal(batchIndex(1), 0);
    assert.equal(batchIndex(32), 5);
    assert.equal(batchIndex(33), 6);
    assert.equal(batchIndex(5000), 0, 'beyond the slider, its start');
  });
});

describe('trainingView', () => {
  test("the memory model's figures and the largest batch in the budget", () => {
    const t = trainingView(lenet, { batch: 8, optimizer: 'adam' }, '1MiB');
    const m = trainingMemory(lenet, { batch: 8, optimizer: 'adam' });
    assert.equal(t.total, `${bytes(m.total)} `);
    assert.equal(t.caption, 'at batch 8, adam, fp32');
    assert.deepEqual(t.parts.map((p) => [p.cls, p.bytes]), [['w', m.weights], ['g', m.gradients], ['o', m.optimizerState], ['a', m.activations], ['ag', m.activationGradients], ['i', m.input]]);
    assert.ok(t.footnote.endsWith(`largest batch in 1MiB: ${maxBatch(lenet, 2 ** 20, { optimizer: 'adam' })}`));
  });
  test("a budget that does not read says why, and the rest still shows", () => {
    const t = trainingView(lenet, { batch: 8, optimizer: 'sgd' }, 'lots');
    assert.match(t.footnote, /lots/);
    assert.equal(t.parts.find((p) => p.key === 'optimizerState')!.bytes, 0);
  });
});

describe('sweeps', () => {
  test('ρ for any zoo model, α where the builder reads it, φ for a family', () => {
    assert.deepEqual(sweepKinds({ kind: 'zoo', choice: { id: 'resnet50' } }, ids).map(([k]) => k), ['rho']);
    assert.deepEqual(sweepKinds({ kind: 'zoo', choice: { id: 'mobilenet' } }, ids).map(([k]) => k), ['rho', 'alpha']);
    assert.deepEqual(sweepKinds({ kind: 'zoo', choice: { id: 'efficientnet_b0' } }, ids).map(([k]) => k), ['rho', 'phi']);
    assert.deepEqual(sweepKinds({ kind: 'text', name: 'x', text: '' }, ids).map(([k]) => k), ['rho']);
  });

  test('resolution: shares of the default size, keeping the chosen options; each point a rebuild', () => {
    const plan = sweepPlan('rho', { id: 'mobilenet', extra: { alpha: 0.5 } }, models)!;
    assert.deepEqual(plan.steps.map((s) => s.label), ['112×112', '140×140', '168×168', '196×196', '224×224', '280×280', '336×336']);
    const points = sweepPoints(plan, {}, models);
    const at224 = analyze(resolveGraph(getModel('mobilenet', { alpha: 0.5, input: [224, 224, 3] })));
    assert.deepEqual(points[4], { label: '224×224', macs: at224.totals.macs, params: at224.totals.params });
  });

  test('φ walks the family in order with published accuracy; the options that apply carry over', () => {
    const plan = sweepPlan('phi', { id: 'efficientnet_b2', classes: 10 }, models)!;
    assert.deepEqual(plan.steps.map((s) => s.model), ids.filter((id) => /^efficientnet_b\d$/.test(id)).sort());
    assert.deepEqual(plan.steps[0]!.options, { classes: 10 });
    const [b0] = sweepPoints({ ...plan, steps: plan.steps.slice(0, 1) }, {}, models);
    assert.equal(b0!.top1, getEntry('efficientnet_b0').meta.accuracy!.top1);
    assert.equal(b0!.params, analyze(resolveGraph(getModel('efficientnet_b0', { classes: 10 }))).totals.params);
    assert.equal(sweepPlan('phi', { id: 'resnet50' }, models), null);
  });

  test('builds the builder refuses are left out', () => {
    const plan = sweepPlan('rho', { id: 'lenet5' }, models)!;
    const points = sweepPoints({ ...plan, steps: [...plan.steps, { label: 'bad', model: 'lenet5', options: { input: [2, 2, 1] } }] }, {}, models);
    assert.ok(!points.some((p) => p.label === 'bad'));
  });
});

describe('timingText', () => {
  test('latency, throughput against the FLOPs, and what ran it', () => {
    const t = timingText({ batch: 1, runs: 10, latencyMs: { p50: 2.345, p90: 3.01, mean: 2.5, min: 2.2, max: 3.2 }, imagesPerSecond: 426.4, gflops: 0.36 }, 1, 250_000, 422_824);
    assert.equal(t.latency, '2.3 ms ');
    assert.equal(t.caption, 'median of 10 runs at batch 1 (p90 3.0 ms)');
    assert.equal(t.throughput, '426.4 images/s · 0.36 GFLOP/s achieved against 845.65k FLOPs (2 × MACs) per image');
    assert.match(t.engine, /^onnxruntime-web, WebAssembly, 1 thread, 244\.1 KiB ONNX model/);
    assert.match(timingText({ batch: 1, runs: 10, latencyMs: { p50: 1, p90: 1, mean: 1, min: 1, max: 1 }, imagesPerSecond: 1, gflops: null }, 4, 1, 1).throughput, /· — GFLOP\/s/);
  });
});
