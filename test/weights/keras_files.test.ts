/**
 * Keras weight files in every layout (Keras 2 save_weights, Keras 2 full model, Keras 3
 * .weights.h5, .keras) read with h5wasm and bound to convlab graphs: the small model's output in
 * ONNX Runtime equals a NumPy forward pass, and full-size ResNet50 and MobileNetV2 files written
 * like the published ones (older classifier names) bind by Keras' layer order.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { resolveGraph, type Graph } from '../../src/graph/graph.js';
import { importKerasFile } from '../../src/import/files.js';
import { importKerasSaved } from '../../src/import/keras_saved.js';
import { closeSession, createSession, run } from '../../src/runtime/onnx/node.js';
import type { WeightMap } from '../../src/weights/map.js';
import { bindKerasWeights } from '../../src/weights/keras_bind.js';
import { readKerasFile, loadKerasWeights } from '../../src/weights/keras_files.js';
import { kerasLayerOrder } from '../../src/weights/keras_order.js';
import { h5TimeLimitMs, readKerasH5 } from '../../src/weights/keras_h5_watchdog.js';
import { messages } from '../../src/core/messages.js';
import { getModel } from '../../src/zoo/index.js';
import { kerasFixtures, smallReference } from '../../scripts/keras_fixtures.js';

let dir = '';
before(() => {
  dir = kerasFixtures();
});

async function runSmall(graph: Graph, weights: WeightMap): Promise<number[]> {
  const ref = smallReference(dir);
  const session = await createSession(graph, { threads: 1, export: { weights } });
  try {
    const out = await run(session, { data: Float32Array.from(ref.input), shape: ref.inputShape });
    return Array.from(out[session.outputNames[0]!]!.data);
  } finally {
    await closeSession(session);
  }
}

function assertClose(got: number[], want: number[], tol: number): void {
  assert.equal(got.length, want.length);
  const worst = Math.max(...got.map((g, i) => Math.abs(g - want[i]!)));
  assert.ok(worst <= tol, `max abs difference ${worst} > ${tol}`);
}

describe('the small model in every Keras layout equals its NumPy forward pass', () => {
  const graphOf = () => resolveGraph(importKerasFile(join(dir, 'small.model.json')).spec);
  for (const [file, layout, rule] of [
    ['small.h5', 'keras2-weights', 'name'],
    ['small.model.h5', 'keras2-model', 'name'],
    ['small.weights.h5', 'keras3-weights', 'class'],
  ] as const) {
    it(`${file}: ${layout}, matched by ${rule}`, async () => {
      const stored = await readKerasFile(join(dir, file));
      assert.equal(stored.layout, layout);
      const graph = graphOf();
      const r = await loadKerasWeights(graph, join(dir, file));
      assert.equal(r.rule, rule);
      assertClose(await runSmall(graph, r.weights), smallReference(dir).output, 1e-4);
    });
  }
  it('small.h5 matched by order gives the same output', async () => {
    const graph = graphOf();
    const r = bindKerasWeights(graph, await readKerasFile(join(dir, 'small.h5')), { match: 'order' });
    assert.equal(r.rule, 'order');
    assertClose(await runSmall(graph, r.weights), smallReference(dir).output, 1e-4);
  });
  for (const file of ['small.keras', 'small.model.h5']) {
    it(`${file} carries its architecture: imported like a model.json, weights bound by name`, async () => {
      const m = await importKerasSaved(join(dir, file));
      assert.deepEqual(m.graph.nodes.map((n) => n.name), graphOf().nodes.map((n) => n.name));
      assertClose(await runSmall(m.graph, m.weights), smallReference(dir).output, 1e-4);
    });
  }
  it('a weights-only file is no model', async () => {
    await assert.rejects(importKerasSaved(join(dir, 'small.h5')), { message: messages.noArchitecture(join(dir, 'small.h5')) });
  });
});

describe('full-size files written like the published ones', () => {
  for (const [id, stem, top, head] of [
    ['resnet50', 'resnet50', true, 'probs'],
    ['resnet50', 'resnet50_notop', false, undefined],
    ['mobilenet_v2', 'mobilenet_v2', true, 'Logits'],
    ['mobilenet_v2', 'mobilenet_v2_notop', false, undefined],
  ] as const) {
    it(`${stem}: Keras' layer order as Keras computes it, every stored layer on its node`, async () => {
      const graph = resolveGraph(getModel(id, top ? {} : { includeTop: false }));
      const keras = JSON.parse(readFileSync(join(dir, `${stem}.layers.json`), 'utf8')) as { order: string[] };
      const rename = (n: string) => (n === head ? 'predictions' : n === 'input_1' ? 'input' : n === 'global_average_pooling2d_1' ? 'global_average_pooling2d' : n);
      assert.deepEqual(kerasLayerOrder(graph), keras.order.map(rename));
      const stored = await readKerasFile(join(dir, `${stem}.h5`));
      const r = bindKerasWeights(graph, stored);
      assert.equal(r.rule, head ? 'order' : 'name');
      for (const layer of stored.layers) {
        const node = rename(layer.name);
        for (const w of layer.weights) {
          const key = `${node}/${w.name.replace(/:0$/, '').split('/').pop()!}`;
          assert.equal(r.weights.get(key), w.data, key);
        }
      }
    });
  }
  it('a file of another variant is refused, naming the first layer that differs', async () => {
    const graph = resolveGraph(getModel('resnet50', { includeTop: false }));
    const stored = await readKerasFile(join(dir, 'resnet50.h5'));
    assert.throws(() => bindKerasWeights(graph, stored, { match: 'order' }), { message: messages.storedLayersCount(stored.file, 107, 106, 'probs', undefined) });
    assert.equal(bindKerasWeights(graph, stored, { match: 'order', skipExtra: true }).skipped.join(), 'probs');
  });
  it('a mis-shaped weight names layer, weight, node and both shapes', async () => {
    const graph = resolveGraph(getModel('mobilenet_v2', { alpha: 0.5, includeTop: false }));
    const stored = await readKerasFile(join(dir, 'mobilenet_v2_notop.h5'));
    assert.throws(() => bindKerasWeights(graph, stored), { message: messages.storedLayerShape(stored.file, 'Conv1', 'Conv1/kernel:0', 'Conv1', 'Conv2D', [3, 3, 3, 32], [3, 3, 3, 16]) });
  });
});

describe('the HDF5 reader runs in a worker it can stop', () => {
  const dir = kerasFixtures();
  it('a read that outlasts its limit is stopped with one line naming the file and the limit', async () => {
    const file = join(dir, 'resnet50.h5');
    await assert.rejects(readKerasH5(file, file, { timeoutMs: 1 }), { name: 'DataError', message: messages.hdf5Hang(file, 0.001) });
  });
  it('the default limit grows with the file: 5 s, plus 1 s for every started 10 MB', () => {
    assert.equal(h5TimeLimitMs(0), 5000);
    assert.equal(h5TimeLimitMs(10_000_000), 6000);
    assert.equal(h5TimeLimitMs(102_000_000), 16_000);
  });
  it('errors raised in the worker arrive as the same one-line ConvlabError', async () => {
    const file = join(dir, 'small.h5');
    const text = join(mkdtempSync(join(tmpdir(), 'convlab-h5-')), 'not-hdf5.txt');
    writeFileSync(text, 'plain text, not HDF5');
    await assert.rejects(readKerasH5(text), (e: Error) => e.name === 'DataError' && e.message.startsWith(`${text}: not an HDF5 file`));
    assert.ok((await readKerasH5(file)).layers.length > 0);
  });
});
