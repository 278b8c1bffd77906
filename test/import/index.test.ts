/** importModel dispatches on the file, and packWeights / unpackWeights round-trip weights. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DataError, UsageError } from '../../src/core/errors.js';
import { importModel, modelFileKind, packWeights, unpackWeights, WEIGHTS_META_KEY } from '../../src/import/index.js';
import { initWeights } from '../../src/weights/init.js';
import { getModel } from '../../src/zoo/index.js';
import { fixture, fixturesDir } from './onnx/helpers.js';
import { resolveGraph } from '../../src/graph/graph.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-import-index-'));

const kerasJson = {
  modelTopology: {
    class_name: 'Sequential',
    config: { name: 'seq', layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 6, 6, 2], name: 'in' } },
      { class_name: 'Conv2D', config: { name: 'c', filters: 3, kernel_size: 3 } },
      { class_name: 'Flatten', config: { name: 'f' } },
    ] },
  },
};

describe('importModel', () => {
  test('dispatches on the file name', () => {
    assert.equal(modelFileKind('a/b.ONNX'), 'onnx');
    assert.equal(modelFileKind('run/model.json'), 'keras');
    assert.equal(modelFileKind('spec.json'), undefined);
    const onnx = importModel(join(fixturesDir(), 'squeezenet1_1.onnx'));
    assert.equal(onnx.spec.name, 'squeezenet1_1');
    const keras = join(dir, 'model.json');
    writeFileSync(keras, JSON.stringify(kerasJson));
    assert.deepEqual(importModel(keras).spec.nodes.map((n) => n.name), ['c', 'f']);
  });

  test('sniffs bytes: JSON is a model.json, anything else ONNX', () => {
    assert.equal(importModel(new TextEncoder().encode(`  ${JSON.stringify(kerasJson)}`)).spec.nodes.length, 2);
    assert.equal(importModel(fixture('alexnet.onnx'), { source: 'alexnet.onnx' }).spec.nodes.length, 20);
    assert.throws(() => importModel(new TextEncoder().encode('{}'), { weights: true }), UsageError);
  });

  test('--input replaces the single input of either format', () => {
    const keras = join(dir, 'model.json');
    writeFileSync(keras, JSON.stringify(kerasJson));
    assert.deepEqual(importModel(keras, { input: [9, 9, 2] }).spec.inputs[0]!.shape, [9, 9, 2]);
    assert.deepEqual(importModel(join(fixturesDir(), 'resnet18.onnx'), { input: [64, 64, 3] }).spec.inputs[0]!.shape, [64, 64, 3]);
  });
});

describe('packWeights / unpackWeights', () => {
  test('weights survive the trip through a float32 file and its manifest', () => {
    const spec = getModel('lenet5', {});
    const weights = initWeights(resolveGraph(spec), { seed: 4, randomizeConstants: true });
    const packed = packWeights(resolveGraph(spec), weights, 'lenet.bin');
    writeFileSync(join(dir, 'lenet.bin'), packed.bytes);
    const stored = { ...spec, meta: { ...spec.meta, [WEIGHTS_META_KEY]: packed.manifest } };
    const back = unpackWeights(resolveGraph(stored), join(dir, 'lenet.json'));
    for (const [k, v] of weights) assert.deepEqual(Array.from(back.get(k)!), Array.from(v), k);
  });

  test('a weights file of the wrong size is refused before reading it', () => {
    const spec = getModel('lenet5', {});
    const packed = packWeights(resolveGraph(spec), initWeights(resolveGraph(spec)), 'short.bin');
    writeFileSync(join(dir, 'short.bin'), packed.bytes.subarray(0, 100));
    const stored = { ...spec, meta: { [WEIGHTS_META_KEY]: packed.manifest } };
    assert.throws(() => unpackWeights(resolveGraph(stored), join(dir, 'x.json')), (e: Error) => e instanceof DataError && /hold 100 bytes but the manifest declares/.test(e.message));
    assert.throws(() => unpackWeights(resolveGraph({ ...stored, meta: { [WEIGHTS_META_KEY]: [{ paths: ['../x.bin'], weights: [] }] } }), join(dir, 'x.json')), /outside/);
  });
});
