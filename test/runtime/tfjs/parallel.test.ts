/**
 * Data-parallel training over worker threads: two workers reach the weights one reaches with the
 * same seed and global batch (float rounding apart); a worker count is deterministic; an
 * interrupted run with BatchNorm, dropout and augmentation resumes exactly; a frozen base stays
 * put; a NaN loss stops the run; slices are as even as the batch allows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../../../src/core/errors.js';
import { resolveGraph } from '../../../src/graph/graph.js';
import { getModel } from '../../../src/zoo/index.js';
import { initBackend } from '../../../src/runtime/tfjs/backend.js';
import { loadTrainingData, type TrainingData } from '../../../src/runtime/tfjs/data.js';
import { readWeights } from '../../../src/runtime/tfjs/io.js';
import { train, type TrainOptions } from '../../../src/runtime/tfjs/train.js';
import { freezeBase, headNodes } from '../../../src/runtime/tfjs/transfer.js';
import { sliceBounds } from '../../../src/runtime/tfjs/workers.js';
import { dataDir } from '../../helpers/paths.js';
import { smallNet, withNaNPixels } from './training_fixtures.js';
import { messages } from '../../../src/core/messages.js';

const lenet = resolveGraph(getModel('lenet5'));
const base: TrainOptions = { epochs: 1, batchSize: 32, optimizer: 'adam', lr: 0.003, schedule: 'constant', seed: 11 };
let dir: string;
let data: TrainingData;

const weightsOf = (model: tf.LayersModel): Float32Array[] => model.getWeights().map((w) => w.dataSync() as Float32Array);

/** Largest absolute difference between two weight lists of the same shapes. */
function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  assert.equal(a.length, b.length);
  let d = 0;
  a.forEach((w, i) => w.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i]![j]!)))));
  return d;
}

describe('data-parallel training', () => {
  before(async () => {
    await initBackend({ threads: 1 });
    dir = mkdtempSync(join(tmpdir(), 'convlab-parallel-'));
    // 240 samples at batch 32: seven full batches and a last one of 16.
    data = await loadTrainingData('mnist', dataDir(), { input: [32, 32, 1], limit: 300, valSplit: 0.2, seed: 1 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('slices are as even as the batch allows, earlier ones taking the remainder', () => {
    assert.deepEqual(sliceBounds(64, 2), [0, 32, 64]);
    assert.deepEqual(sliceBounds(16, 3), [0, 6, 11, 16]);
    assert.deepEqual(sliceBounds(1, 3), [0, 1, 1, 1]);
  });

  test('2 workers and 1 reach the same weights after an epoch, within float rounding', async (t) => {
    const one = await train(lenet, data, base);
    const two = await train(lenet, data, { ...base, workers: 2 });
    const d = maxDiff(weightsOf(one.model), weightsOf(two.model));
    t.diagnostic(`max abs weight difference after ${Math.ceil(data.train.count / 32)} steps: ${d}`);
    assert.ok(d < 1e-4, `weights differ by ${d}`);
    assert.ok(d > 0 || one.history[0]!.loss === two.history[0]!.loss, 'a difference of 0 with different losses would mean one run did not happen');
    assert.ok(Math.abs(one.history[0]!.loss - two.history[0]!.loss) < 1e-5);
    assert.equal(one.history[0]!.accuracy, two.history[0]!.accuracy);
    assert.equal(one.history[0]!.valAccuracy, two.history[0]!.valAccuracy);
  });

  test('a worker count is deterministic: two runs with 3 workers give identical weights', async () => {
    const a = await train(lenet, data, { ...base, workers: 3 });
    const b = await train(lenet, data, { ...base, workers: 3 });
    assert.equal(maxDiff(weightsOf(a.model), weightsOf(b.model)), 0);
    assert.deepEqual(a.history.map((h) => h.loss), b.history.map((h) => h.loss));
  });

  test('with BatchNorm, dropout and augmentation, an interrupted 2-worker run resumes exactly', async () => {
    const spec = resolveGraph(smallNet());
    const shifted = { ...data, augment: { padding: 2, flip: true } };
    const options: TrainOptions = { ...base, epochs: 2, workers: 2, optimizer: 'momentum', lr: 0.05, weightDecay: 1e-3, schedule: 'cosine' };
    const whole = await train(spec, shifted, options);
    const out = join(dir, 'small');
    const controller = new AbortController();
    const first = await train(spec, shifted, { ...options, out, signal: controller.signal, onProgress: (p) => { if (p.epoch === 2 && p.batch === 3) controller.abort(); } });
    assert.equal(first.interrupted, true);
    const resumed = await train(spec, shifted, { ...options, out, resume: true });
    assert.equal(maxDiff(weightsOf(resumed.model), weightsOf(whole.model)), 0);
    // The moving statistics moved from their initial 0 and 1: the workers' updates reached the master.
    const [, , movingMean, movingVariance] = whole.model.getLayer('bn').getWeights();
    assert.ok(movingMean!.dataSync().some((v) => v !== 0) && movingVariance!.dataSync().some((v) => v !== 1));
    assert.ok(whole.history[1]!.loss < whole.history[0]!.loss, 'the loss falls');
  });

  test('a frozen base keeps its loaded weights when 2 workers train the head', async () => {
    const source = join(dir, 'source');
    await train(lenet, data, { ...base, out: source });
    const spec = freezeBase(lenet);
    const tuned = await train(spec, data, { ...base, workers: 2, seed: 12, initialWeights: { dir: source, exclude: headNodes(spec) } });
    const stored = readWeights(source);
    try {
      for (const layer of ['conv1', 'conv2', 'fc1', 'fc2']) {
        assert.deepEqual(tuned.model.getLayer(layer).getWeights()[0]!.dataSync(), stored[`${layer}/kernel`]!.dataSync(), `${layer} moved`);
      }
      assert.notDeepEqual(tuned.model.getLayer('predictions').getWeights()[0]!.dataSync(), stored['predictions/kernel']!.dataSync());
    } finally {
      for (const w of Object.values(stored)) w.dispose();
    }
  });

  test('a NaN loss in a worker stops training with the usual message', async () => {
    await assert.rejects(
      train(lenet, withNaNPixels(data), { ...base, workers: 2 }),
      (e: unknown) => e instanceof RuntimeError && e.message === messages.nanLoss(1, 1, 0.003),
    );
  });
});
