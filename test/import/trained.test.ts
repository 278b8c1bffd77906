/** Trained model directories go through the one manifest reader: paths stay inside the folder (links too), sizes are checked first. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DataError, SpecError } from '../../src/core/errors.js';
import { messages } from '../../src/core/messages.js';
import { runCli } from '../cli/cli_helpers.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { MODEL_JSON, readTrainedDirectory, SPEC_JSON } from '../../src/import/trained.js';
import { packWeights } from '../../src/weights/manifest.js';
import { initWeights } from '../../src/weights/init.js';
import { getModel } from '../../src/zoo/index.js';

const lenet = resolveGraph(getModel('lenet5'));

/** A model directory: spec.json, and a model.json whose manifest is `manifest`, with `files` beside it. */
function modelDir(manifest: unknown, files: Record<string, Uint8Array> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'convlab-trained-'));
  const dir = join(root, 'run');
  mkdirSync(dir);
  writeFileSync(join(dir, SPEC_JSON), JSON.stringify(lenet.spec));
  writeFileSync(join(dir, MODEL_JSON), JSON.stringify({ modelTopology: { class_name: 'Model' }, weightsManifest: manifest }));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  writeFileSync(join(root, 'secret.bin'), new Uint8Array(16));
  return dir;
}

describe('trained model directories', () => {
  test('weights read back keyed node/weight, with the training metadata in the graph\'s spec.meta', () => {
    const weights = initWeights(lenet, { seed: 3, randomizeConstants: true });
    const packed = packWeights(lenet, weights, 'weights.bin');
    const dir = modelDir(packed.manifest, { 'weights.bin': packed.bytes });
    const read = readTrainedDirectory(dir);
    assert.deepEqual([...read.weights.keys()].sort(), [...weights.keys()].sort());
    for (const [k, v] of weights) assert.deepEqual(read.weights.get(k), v, k);
    assert.equal(read.graph.nodes.length, lenet.nodes.length);
  });

  for (const [what, path] of [['a parent folder', '../secret.bin'], ['an absolute path', '/etc/passwd'], ['an encoded parent', '%2E%2E/secret.bin']] as const) {
    test(`a manifest path into ${what} is refused, naming the file`, () => {
      const dir = modelDir([{ paths: [path], weights: [{ name: 'conv1/kernel', shape: [4], dtype: 'float32' }] }]);
      assert.throws(() => readTrainedDirectory(dir), (e: unknown) => e instanceof SpecError && e.message.startsWith(`${join(dir, MODEL_JSON)}: weightsManifest[0].paths names ${JSON.stringify(path)}, which points outside`));
    });
  }

  test('a weights file that is a symbolic link out of the folder is refused, naming the path', () => {
    const packed = packWeights(lenet, initWeights(lenet, { seed: 1 }), 'weights.bin');
    const dir = modelDir(packed.manifest);
    writeFileSync(join(dir, '..', 'outside.bin'), packed.bytes);
    symlinkSync('../outside.bin', join(dir, 'weights.bin'));
    const file = join(dir, MODEL_JSON);
    assert.throws(() => readTrainedDirectory(dir), (e: unknown) => e instanceof DataError && e.message === messages.pathEscapes(file, 'weights.bin', dir));
    const r = runCli(['export', dir, '--to', 'onnx', '-o', join(dir, '..', 'out.onnx')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `convlab: ${messages.pathEscapes(file, 'weights.bin', dir)}\n`);
  });

  test('a symbolic link that stays inside the folder is followed', () => {
    const packed = packWeights(lenet, initWeights(lenet, { seed: 1 }), 'weights.bin');
    const dir = modelDir(packed.manifest, { 'real.bin': packed.bytes });
    symlinkSync('real.bin', join(dir, 'weights.bin'));
    assert.equal(readTrainedDirectory(dir).weights.size, packed.manifest[0]!.weights.length);
  });

  test('a weights path that is a FIFO is refused instead of blocking on it', () => {
    const dir = modelDir([{ paths: ['pipe'], weights: [{ name: 'conv1/kernel', shape: [0], dtype: 'float32' }] }]);
    assert.equal(spawnSync('mkfifo', [join(dir, 'pipe')]).status, 0);
    assert.throws(() => readTrainedDirectory(dir), (e: unknown) => e instanceof DataError && e.message === messages.notRegularFile(join(dir, MODEL_JSON), join(dir, 'pipe')));
  });

  test('a weights file shorter than the manifest declares is refused before it is read', () => {
    const dir = modelDir([{ paths: ['w.bin'], weights: [{ name: 'conv1/kernel', shape: [1 << 28], dtype: 'float32' }] }], { 'w.bin': new Uint8Array(8) });
    assert.throws(() => readTrainedDirectory(dir), (e: unknown) => e instanceof DataError && /w\.bin hold 8 bytes but the manifest declares 1073741824/.test((e as Error).message));
  });
});
