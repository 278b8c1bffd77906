/** Memory model: inference peak from liveness, training memory, largest batch for a budget. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maxBatch, parseBytes, trainingMemory } from '../../src/analysis/memory.js';
import { UsageError } from '../../src/core/errors.js';
import { analyzeWith } from '../helpers/build.js';

// input [2,2,1] (16 B) -> conv 1×1 to 2 channels (32 B) -> flatten (view) -> dense 3 (12 B)
const small = (dtype: 'fp32' | 'fp16' = 'fp32') =>
  analyzeWith([2, 2, 1], (b, x) => {
    const c = b.conv2d(x, { filters: 2, kernelSize: 1, name: 'c' });
    return b.dense(b.flatten(c, 'f'), { units: 3, name: 'd' });
  }, { dtype });

describe('memory', () => {
  test('activation bytes per layer and in total', () => {
    const a = small();
    assert.deepEqual(a.layers.map((r) => r.activationBytes), [16, 32, 32, 12]);
    assert.equal(a.totals.activationBytes, 92);
  });

  test('inference peak: input and conv output live together; the view shares its buffer', () => {
    // step 1: input 16 + conv 32 = 48; step 3: conv buffer 32 (read through the view) + dense 12 = 44.
    assert.equal(small().totals.inferencePeakBytes, 48);
    assert.equal(small('fp16').totals.inferencePeakBytes, 24);
  });

  test('training memory: weights, gradients, optimizer state, saved activations and their gradients, input batch', () => {
    const a = small();
    const params = (1 * 2 + 2) + (8 * 3 + 3); // conv 4, dense 27
    assert.equal(a.totals.params, params);
    const adam = trainingMemory(a, { batch: 10, optimizer: 'adam' });
    assert.equal(adam.weights, params * 4);
    assert.equal(adam.gradients, params * 4);
    assert.equal(adam.optimizerState, 2 * params * 4);
    assert.equal(adam.activations, (32 + 12) * 10, 'the flatten view saves nothing');
    assert.equal(adam.activationGradients, adam.activations, 'one gradient per saved activation, as the lecture counts');
    assert.equal(adam.input, 16 * 10);
    assert.equal(adam.total, 4 * params * 4 + (2 * 44 + 16) * 10);
    assert.equal(trainingMemory(a, { batch: 10, optimizer: 'sgd' }).optimizerState, 0);
    assert.equal(trainingMemory(a, { batch: 10, optimizer: 'momentum' }).optimizerState, params * 4);
  });

  test('largest batch that fits a budget', () => {
    const a = small();
    const fixed = 4 * 31 * 4;
    assert.equal(maxBatch(a, fixed + 104 * 7 + 103, { optimizer: 'adam' }), 7);
    assert.equal(maxBatch(a, fixed - 1, { optimizer: 'adam' }), 0);
    assert.throws(() => maxBatch(a, -5), UsageError);
  });

  test('parseBytes reads binary and decimal units', () => {
    assert.equal(parseBytes('8GiB'), 8 * 1024 ** 3);
    assert.equal(parseBytes('512MB'), 512e6);
    assert.equal(parseBytes('1.5 KiB'), 1536);
    assert.equal(parseBytes('1000'), 1000);
    assert.throws(() => parseBytes('lots'), UsageError);
  });
});
