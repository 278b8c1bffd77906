/**
 * A model trained with TensorFlow.js, exported to ONNX with its trained weights, predicts the same
 * classes under ONNX Runtime as under tfjs, on every test image used.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createSession, closeSession, run } from '../../../src/runtime/onnx/node.js';
import { initBackend } from '../../../src/runtime/tfjs/backend.js';
import { loadEvalData } from '../../../src/runtime/tfjs/data.js';
import { predictScores } from '../../../src/runtime/tfjs/metrics.js';
import { loadTrainedModel } from '../../../src/runtime/tfjs/trained.js';
import { runCli } from '../../cli/cli_helpers.js';
import { dataDir } from '../../helpers/paths.js';

const argmax = (scores: Float32Array, row: number, k: number) => {
  let best = 0;
  for (let j = 1; j < k; j++) if (scores[row * k + j]! > scores[row * k + best]!) best = j;
  return best;
};

describe('trained weights flow from tfjs into ONNX', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-trained-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('LeNet-5 trained on MNIST predicts the same classes in ONNX Runtime as in tfjs', async () => {
    const out = join(dir, 'lenet');
    const trained = runCli(['train', 'lenet5', '--dataset', 'mnist', '--data', dataDir(), '--limit', '640', '--batch-size', '32',
      '--test-limit', '100', '--threads', '1', '--seed', '3', '--epochs', '1', '--out', out]);
    assert.equal(trained.code, 0, trained.stderr);
    const onnxPath = join(dir, 'lenet.onnx');
    const exported = runCli(['export', out, '--to', 'onnx', '-o', onnxPath]);
    assert.equal(exported.code, 0, exported.stderr);

    await initBackend({ backend: 'wasm', threads: 1 });
    const model = await loadTrainedModel(out);
    assert.ok(model.meta.preprocessing, 'the trainer records its preprocessing');
    const test = await loadEvalData('mnist', dataDir(), 'test', model.input, model.meta.preprocessing, 1000);
    const tfjsScores = predictScores(model.model, test, 250);

    const session = await createSession(onnxPath, { threads: 1 });
    const outputs = await run(session, { data: test.images, shape: [test.count, ...test.shape] });
    await closeSession(session);
    const ortScores = Object.values(outputs)[0]!.data;

    assert.equal(ortScores.length, tfjsScores.length);
    let maxDiff = 0;
    for (let i = 0; i < ortScores.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ortScores[i]! - tfjsScores[i]!));
    assert.ok(maxDiff <= 1e-4, `max abs diff ${maxDiff}`);
    let same = 0;
    let correct = 0;
    for (let i = 0; i < test.count; i++) {
      const a = argmax(tfjsScores, i, 10);
      if (a === argmax(ortScores, i, 10)) same++;
      if (a === test.labels[i]) correct++;
    }
    assert.equal(same, test.count, 'every test image gets the same class');
    assert.ok(correct / test.count > 0.5, `the trained model learned something (${correct} / ${test.count} correct)`);
  });
});
