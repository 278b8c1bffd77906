/**
 * Transfer learning on weights convlab trained itself: LeNet-5 trained on MNIST, its base frozen
 * and its head replaced, fine-tuned on Fashion-MNIST. The base keeps the MNIST weights exactly,
 * only the head learns, and it learns well above chance.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../../src/analysis/analyze.js';
import { RuntimeError } from '../../../src/core/errors.js';
import { resolveGraph } from '../../../src/graph/graph.js';
import { getModel } from '../../../src/zoo/index.js';
import { initBackend } from '../../../src/runtime/tfjs/backend.js';
import { compileGraph } from '../../../src/runtime/tfjs/compile.js';
import { loadTrainingData } from '../../../src/runtime/tfjs/data.js';
import { loadWeightsInto, readWeights } from '../../../src/runtime/tfjs/io.js';
import { train, type TrainOptions } from '../../../src/runtime/tfjs/train.js';
import { freezeBase, headNodes } from '../../../src/runtime/tfjs/transfer.js';
import { dataDir } from '../../helpers/paths.js';
import { messages } from '../../../src/core/messages.js';

let dir: string;
const opts: TrainOptions = { epochs: 2, batchSize: 32, optimizer: 'adam', lr: 0.003, schedule: 'constant', seed: 3 };

before(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'convlab-transfer-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the head of LeNet-5 is its classifier; freezing leaves only it trainable', () => {
  const spec = getModel('lenet5');
  assert.deepEqual(headNodes(resolveGraph(spec)), ['predictions']);
  const frozen = analyze(freezeBase(resolveGraph(spec))).totals;
  assert.equal(frozen.trainableParams, 84 * 10 + 10);
  assert.equal(frozen.params, analyze(resolveGraph(spec)).totals.params);
});

test('a frozen MNIST base with a new head fine-tunes on Fashion-MNIST', async (t) => {
  const source = join(dir, 'mnist');
  const mnist = await loadTrainingData('mnist', dataDir(), { input: [32, 32, 1], limit: 960, seed: 1 });
  await train(resolveGraph(getModel('lenet5')), mnist, { ...opts, epochs: 3, out: source });

  const fashion = await loadTrainingData('fashion-mnist', dataDir(), { input: [32, 32, 1], limit: 600, valSplit: 0.2, seed: 1 });
  const spec = freezeBase(resolveGraph(getModel('lenet5', { classes: fashion.classes.length })));
  const head = headNodes(resolveGraph(spec));
  const tuned = await train(spec, fashion, { ...opts, epochs: 4, lr: 0.01, initialWeights: { dir: source, exclude: head } });

  const stored = readWeights(source);
  try {
    for (const layer of ['conv1', 'conv2', 'fc1', 'fc2']) {
      const [k] = tuned.model.getLayer(layer).getWeights();
      assert.deepEqual(k!.dataSync(), stored[`${layer}/kernel`]!.dataSync(), `${layer} kernel moved`);
    }
    const [headKernel] = tuned.model.getLayer('predictions').getWeights();
    assert.notDeepEqual(headKernel!.dataSync(), stored['predictions/kernel']!.dataSync());
  } finally {
    for (const t of Object.values(stored)) t.dispose();
  }
  const last = tuned.history.at(-1)!;
  t.diagnostic(`fine-tuned head: validation accuracy ${last.valAccuracy}`);
  assert.ok(last.valAccuracy! > 0.5, `validation accuracy ${last.valAccuracy} (chance 0.1)`);
});

test('loading weights of another shape names the weight and both shapes', async () => {
  const { model } = compileGraph(resolveGraph(getModel('lenet5', { classes: 5 })));
  assert.throws(
    () => loadWeightsInto(model, join(dir, 'mnist')),
    (e: unknown) => e instanceof RuntimeError && e.message === messages.weightShape('predictions/kernel', [84, 5], [84, 10]),
  );
  tf.disposeVariables();
});
