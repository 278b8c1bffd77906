/** Seeded Keras-style initial weights and checks of supplied weights. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { DataError } from '../../src/core/errors.js';
import { GraphBuilder } from '../../src/graph/builder.js';
import type { WeightSpec } from '../../src/ops/types.js';
import { fans, initTensor, initWeights } from '../../src/weights/init.js';
import { checkWeights, listWeights, toWeightMap, type WeightEntry } from '../../src/weights/map.js';
import { getModel } from '../../src/zoo/index.js';
import { resolveGraph } from '../../src/graph/graph.js';

const entry = (shape: number[], init: WeightSpec['init'], key = 'n/w'): WeightEntry => ({
  key, node: 'n', shape, size: shape.reduce((a, b) => a * b, 1),
  spec: { name: 'w', dims: shape.map((d, i) => [`d${i}`, d] as [string, number]), trainable: true, init },
});

const stats = (x: Float32Array) => {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  return { mean, variance, maxAbs: x.reduce((a, b) => Math.max(a, Math.abs(b)), 0) };
};

describe('Keras fans', () => {
  const cases: Array<[number[], number, number]> = [
    [[3, 3, 64, 128], 576, 1152], // conv kernel (fh, fw, cin, K)
    [[3, 3, 32, 1], 288, 9], // depthwise kernel (fh, fw, cin, dm)
    [[400, 120], 400, 120], // dense kernel
    [[10], 10, 10],
  ];
  for (const [shape, fanIn, fanOut] of cases) {
    it(`${JSON.stringify(shape)} → fan_in ${fanIn}, fan_out ${fanOut}`, () => assert.deepEqual(fans(shape), { fanIn, fanOut }));
  }
});

describe('initializers', () => {
  it('glorot_uniform stays within ±sqrt(6 / (fan_in + fan_out)) with the uniform variance', () => {
    const w = initTensor(entry([3, 3, 64, 128], 'glorot_uniform'), 1);
    const limit = Math.sqrt(6 / (576 + 1152));
    const s = stats(w);
    assert.ok(s.maxAbs <= limit);
    assert.ok(s.maxAbs > 0.99 * limit);
    assert.ok(Math.abs(s.variance / (limit ** 2 / 3) - 1) < 0.02, `variance ${s.variance}`);
    assert.ok(Math.abs(s.mean) < 0.01 * limit);
  });

  it('he_normal is a normal truncated at two standard deviations with variance 2 / fan_in', () => {
    const w = initTensor(entry([3, 3, 64, 128], 'he_normal'), 2);
    const target = 2 / 576;
    const s = stats(w);
    assert.ok(Math.abs(s.variance / target - 1) < 0.03, `variance ${s.variance} vs ${target}`);
    assert.ok(s.maxAbs <= (2 * Math.sqrt(target)) / 0.87962566103423978 + 1e-9);
  });

  it('he_uniform uses ±sqrt(6 / fan_in)', () => {
    const s = stats(initTensor(entry([256, 64], 'he_uniform'), 3));
    assert.ok(s.maxAbs <= Math.sqrt(6 / 256) && s.maxAbs > 0.99 * Math.sqrt(6 / 256));
  });

  it('zeros and ones, and randomized constants for numerical tests', () => {
    assert.ok(initTensor(entry([5], 'zeros'), 0).every((v) => v === 0));
    assert.ok(initTensor(entry([5], 'ones'), 0).every((v) => v === 1));
    const ones = initTensor(entry([1000], 'ones'), 0, true);
    assert.ok(ones.every((v) => v >= 0.5 && v < 1.5) && new Set(ones).size > 900);
    const zeros = initTensor(entry([1000], 'zeros'), 0, true);
    assert.ok(zeros.every((v) => v >= -0.5 && v < 0.5) && new Set(zeros).size > 900);
  });
});

describe('initWeights', () => {
  it('covers every tensor: sizes sum to the Keras parameter count', () => {
    for (const id of ['lenet5', 'resnet50', 'efficientnet_b0']) {
      const spec = getModel(id);
      assert.equal(listWeights(resolveGraph(spec)).reduce((s, w) => s + w.size, 0), analyze(resolveGraph(spec), { params: 'keras' }).totals.params, id);
    }
  });

  it('is deterministic per seed, and each tensor has its own stream', () => {
    const a = initWeights(resolveGraph(getModel('lenet5')), { seed: 7 });
    const b = initWeights(resolveGraph(getModel('lenet5')), { seed: 7 });
    const c = initWeights(resolveGraph(getModel('lenet5')), { seed: 8 });
    assert.deepEqual(a.get('conv2/kernel'), b.get('conv2/kernel'));
    assert.notDeepEqual(a.get('conv2/kernel'), c.get('conv2/kernel'));
    // A graph with another layer in front keeps conv2's weights: streams follow names, not order.
    const g = new GraphBuilder('other');
    let x = g.input([32, 32, 1], 'input');
    x = g.conv2d(x, { filters: 6, kernelSize: 5, name: 'conv1' });
    x = g.conv2d(x, { filters: 6, kernelSize: 1, name: 'extra' });
    x = g.avgPool(x, { poolSize: 2, name: 'pool1' });
    x = g.conv2d(x, { filters: 16, kernelSize: 5, activation: 'tanh', name: 'conv2' });
    assert.deepEqual(initWeights(resolveGraph(g.build(x)), { seed: 7 }).get('conv2/kernel'), a.get('conv2/kernel'));
  });

  it('Normalization takes its mean and variance from attributes', () => {
    const g = new GraphBuilder('norm');
    const x = g.input([4, 4, 3], 'input');
    const spec = g.build(g.node('Normalization', x, { mean: [1, 2, 3], variance: [4] }, 'norm'));
    const w = initWeights(resolveGraph(spec));
    assert.deepEqual(Array.from(w.get('norm/mean')!), [1, 2, 3]);
    assert.deepEqual(Array.from(w.get('norm/variance')!), [4, 4, 4]);
  });

  it('supplied weights are checked by key and size', () => {
    const spec = getModel('lenet5');
    const record = Object.fromEntries(initWeights(resolveGraph(spec)));
    assert.equal(toWeightMap(resolveGraph(spec), record).size, listWeights(resolveGraph(spec)).length);
    delete record['fc2/kernel'];
    assert.throws(() => toWeightMap(resolveGraph(spec), record), (e) => e instanceof DataError && /1 tensor missing, e\.g\. fc2\/kernel/.test(e.message));
    const bad = initWeights(resolveGraph(spec));
    bad.set('conv1/kernel', new Float32Array(10));
    assert.throws(() => checkWeights(resolveGraph(spec), bad), (e) => e instanceof DataError && e.message.includes('weight conv1/kernel: expected 150 values for Keras shape [5, 5, 1, 6]; received 10'));
  });
});
