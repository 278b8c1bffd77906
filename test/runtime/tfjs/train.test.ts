/**
 * Training, briefly: a LeNet run on a few hundred MNIST samples learns; an interrupted run
 * resumed from its checkpoint ends exactly where an uninterrupted one does; a NaN loss and a
 * damaged checkpoint stop with clear messages; a saved model loads back and predicts the same.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError, UsageError } from '../../../src/core/errors.js';
import { getModel } from '../../../src/zoo/index.js';
import { initBackend } from '../../../src/runtime/tfjs/backend.js';
import { loadEvalData, loadTrainingData, type TrainingData } from '../../../src/runtime/tfjs/data.js';
import { evaluation, predictScores } from '../../../src/runtime/tfjs/metrics.js';
import { CHECKPOINT_FILE, LOG_FILE, train, type TrainOptions } from '../../../src/runtime/tfjs/train.js';
import { loadTrainedModel } from '../../../src/runtime/tfjs/trained.js';
import { readTrainedDirectory } from '../../../src/import/trained.js';
import { checkWeights } from '../../../src/weights/map.js';
import { dataDir } from '../../helpers/paths.js';
import { smallNet, withNaNPixels } from './training_fixtures.js';
import { messages } from '../../../src/core/messages.js';
import { resolveGraph } from '../../../src/graph/graph.js';

const lenet = getModel('lenet5');
const base: TrainOptions = { epochs: 2, batchSize: 32, optimizer: 'adam', lr: 0.003, schedule: 'constant', seed: 7 };
let dir: string;
let data: TrainingData;

async function weightsOf(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
}

describe('training', () => {
  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'convlab-train-'));
    data = await loadTrainingData('mnist', dataDir(), { input: [32, 32, 1], limit: 480, valSplit: 0.2, seed: 1 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('LeNet-5 on 384 MNIST samples: the loss falls and test accuracy beats chance by far', async () => {
    const out = join(dir, 'learn');
    const r = await train(resolveGraph(lenet), data, { ...base, epochs: 3, out });
    const [first, , last] = r.history;
    assert.ok(last!.loss < first!.loss * 0.7, `loss ${first!.loss} -> ${last!.loss}`);
    const testSet = await loadEvalData('mnist', dataDir(), 'test', [32, 32, 1], data.preprocessing, 300);
    const ev = evaluation(predictScores(r.model, testSet, 100), testSet.labels, 10);
    assert.ok(ev.top1 > 0.6, `test top-1 ${ev.top1} (chance is 0.1)`);
    assert.ok(r.history.every((h) => h.valAccuracy !== undefined && h.samplesPerSecond > 0));
    const log = readFileSync(join(out, LOG_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(log.map((l) => l.epoch), [1, 2, 3]);
    assert.equal(log[2].loss, last!.loss);
  });

  test('the saved model directory loads back and predicts exactly the same scores', async () => {
    const out = join(dir, 'learn');
    const loaded = await loadTrainedModel(out);
    const testSet = await loadEvalData('mnist', dataDir(), 'test', loaded.input, loaded.meta.preprocessing, 64);
    const ref = await train(resolveGraph(lenet), data, { ...base, epochs: 3 });
    assert.deepEqual(predictScores(loaded.model, testSet, 64), predictScores(ref.model, testSet, 64));
    assert.deepEqual(loaded.meta.classes, data.classes);
    // Read without tfjs, as exporters take trained weights: every graph weight, keyed node/weight.
    const plainRead = readTrainedDirectory(out);
    checkWeights(plainRead.graph, plainRead.weights);
    assert.deepEqual(plainRead.weights.get('conv2/kernel'), ref.model.getLayer('conv2').getWeights()[0]!.dataSync());
    // Without spec.json the folder is a plain Keras/tfjs layers model, rebuilt from model.json.
    unlinkSync(join(out, 'spec.json'));
    const plain = await loadTrainedModel(out);
    assert.equal(plain.spec, null);
    // tfjs' own Conv2D adds the bias inside the conv, convlab's first conv after it: rounding differs.
    const a = predictScores(plain.model, testSet, 64);
    const b = predictScores(ref.model, testSet, 64);
    assert.ok(a.every((v, i) => Math.abs(v - b[i]!) < 1e-5), 'predictions of the plain layers model differ');
  });

  test('interrupted in epoch 2 and resumed, a run ends with the same weights and log as an uninterrupted one', async () => {
    const whole = await train(resolveGraph(lenet), data, { ...base, out: join(dir, 'whole') });
    const out = join(dir, 'stopped');
    const controller = new AbortController();
    const first = await train(resolveGraph(lenet), data, {
      ...base, out, signal: controller.signal,
      onProgress: (p) => { if (p.epoch === 2 && p.batch === 4) controller.abort(); },
    });
    assert.equal(first.interrupted, true);
    assert.equal(first.history.length, 1);
    const resumed = await train(resolveGraph(lenet), data, { ...base, out, resume: true });
    assert.equal(resumed.interrupted, false);
    assert.deepEqual(resumed.history.map((h) => [h.loss, h.accuracy, h.valLoss]), whole.history.map((h) => [h.loss, h.accuracy, h.valLoss]));
    assert.deepEqual(await weightsOf(resumed.model), await weightsOf(whole.model));
  });

  test('with BatchNorm, dropout, max pooling and augmentation, an interrupted run resumes exactly', async () => {
    const spec = smallNet();
    const shifted = { ...data, augment: { padding: 2, flip: true } };
    const options: TrainOptions = { ...base, optimizer: 'momentum', lr: 0.05, weightDecay: 1e-3, schedule: 'cosine' };
    const whole = await train(resolveGraph(spec), shifted, options);
    const out = join(dir, 'small');
    const controller = new AbortController();
    await train(resolveGraph(spec), shifted, { ...options, out, signal: controller.signal, onProgress: (p) => { if (p.epoch === 2 && p.batch === 3) controller.abort(); } });
    const resumed = await train(resolveGraph(spec), shifted, { ...options, out, resume: true });
    assert.deepEqual(await weightsOf(resumed.model), await weightsOf(whole.model));
    assert.ok(whole.history[1]!.loss < whole.history[0]!.loss, 'the loss falls');
  });

  test('resuming from an epoch-boundary checkpoint (a kill between epochs) also matches', async () => {
    const out = join(dir, 'boundary');
    await train(resolveGraph(lenet), data, { ...base, epochs: 1, out });
    // A run of 2 epochs has another fingerprint; restart the 2-epoch run from its own first epoch instead.
    const two = join(dir, 'boundary2');
    const controller = new AbortController();
    await train(resolveGraph(lenet), data, { ...base, out: two, signal: controller.signal, onEpoch: () => controller.abort() });
    const resumed = await train(resolveGraph(lenet), data, { ...base, out: two, resume: true });
    const whole = await train(resolveGraph(lenet), data, base);
    assert.deepEqual(await weightsOf(resumed.model), await weightsOf(whole.model));
    assert.ok(existsSync(join(out, CHECKPOINT_FILE)));
  });

  test('a checkpoint made with other settings is refused, naming the setting', async () => {
    await assert.rejects(
      train(resolveGraph(lenet), data, { ...base, lr: 0.01, out: join(dir, 'stopped'), resume: true }),
      (e: unknown) => e instanceof UsageError && e.message === messages.checkpointMismatch(join(dir, 'stopped', CHECKPOINT_FILE), 'lr', 0.003, 0.01),
    );
  });

  test('a NaN loss stops training with a clear message', async () => {
    await assert.rejects(
      train(resolveGraph(lenet), withNaNPixels(data), { ...base, epochs: 1 }),
      (e: unknown) => e instanceof RuntimeError && e.message === messages.nanLoss(1, 1, 0.003),
    );
  });

  describe('a damaged checkpoint is refused with the reason', () => {
    const cases: Array<[string, (b: Buffer) => Buffer, RegExp]> = [
      ['truncated', (b) => b.subarray(0, b.length - 100), /truncated/],
      ['a flipped byte in the tensors', (b) => { const c = Buffer.from(b); c[c.length - 10] = c[c.length - 10]! ^ 0xff; return c; }, /checksum/],
      ['wrong magic', (b) => { const c = Buffer.from(b); c.write('XXXXXXXX', 0, 'latin1'); return c; }, /bytes 0-7 are "XXXXXXXX", expected "CLCKPT01"/],
      ['empty file', () => Buffer.alloc(0), /shorter than/],
    ];
    for (const [name, damage, reason] of cases) {
      test(name, async () => {
        const out = join(dir, `damaged-${name.replace(/\W+/g, '-')}`);
        const controller = new AbortController();
        await train(resolveGraph(lenet), data, { ...base, out, signal: controller.signal, onProgress: (p) => { if (p.batch === 2) controller.abort(); } });
        const file = join(out, CHECKPOINT_FILE);
        writeFileSync(file, damage(readFileSync(file)));
        await assert.rejects(train(resolveGraph(lenet), data, { ...base, out, resume: true }), (e: unknown) => {
          assert.ok(e instanceof RuntimeError, String(e));
          assert.match(e.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: corrupt or unreadable checkpoint`));
          assert.match(e.message, reason);
          return true;
        });
      });
    }
  });

  test('resume without a checkpoint says where it looked', async () => {
    const out = join(dir, 'nothing');
    await assert.rejects(train(resolveGraph(lenet), data, { ...base, out, resume: true }), (e: unknown) => e instanceof UsageError && e.message === messages.noCheckpoint(out, CHECKPOINT_FILE));
  });
});

test('the library refuses a colour data set for a grayscale model before reading it, with the message the CLI spells', async () => {
  const expected = (e: unknown) => e instanceof UsageError && e.message === messages.datasetChannels('cifar10', [32, 32, 3], [32, 32, 1])
    && e.spelled((k) => `--${k}`) === messages.datasetChannels('cifar10', [32, 32, 3], [32, 32, 1], (k) => `--${k}`);
  // A folder that holds no data: the refusal must come before any read.
  await assert.rejects(loadTrainingData('cifar10', mkdtempSync(join(tmpdir(), 'convlab-nodata-')), { input: [32, 32, 1], seed: 1 }), expected);
  // Grayscale data on a colour model is replicated, so that direction loads.
  assert.equal((await loadTrainingData('mnist', dataDir(), { input: [28, 28, 3], limit: 8, seed: 1 })).train.shape[2], 3);
});
