/** Sessions: sources (graph, bytes, path), options, and clear errors for bad models and bad batches. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataError, RuntimeError, UsageError } from '../../../src/core/errors.js';
import { exportOnnx, exportModel } from '../../../src/runtime/onnx/export.js';
import { closeSession, createSession, run, type Session } from '../../../src/runtime/onnx/node.js';
import { encodeModel } from '../../../src/onnx/proto.js';
import { getModel } from '../../../src/zoo/index.js';
import { messages } from '../../../src/core/messages.js';
import { resolveGraph } from '../../../src/graph/graph.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-session-'));
const lenet = getModel('lenet5');
const bytes = exportOnnx(resolveGraph(lenet));
const sample = (n: number, c = 1) => ({ data: new Float32Array(n * 32 * 32 * c).fill(0.5), shape: [n, 32, 32, c] });

describe('sources', () => {
  it('a graph, its bytes and its file give the same outputs', async () => {
    const file = join(dir, 'lenet.onnx');
    writeFileSync(file, bytes);
    const outs = [];
    for (const source of [resolveGraph(lenet), bytes, file]) {
      const s = await createSession(source, { threads: 1, optimizationLevel: 'basic' });
      outs.push(Array.from((await run(s, sample(2))).predictions!.data));
      assert.deepEqual(s.inputs, [{ name: 'input', shape: [32, 32, 1] }]);
      await closeSession(s);
    }
    assert.deepEqual(outs[0], outs[1]);
    assert.deepEqual(outs[1], outs[2]);
  });

  it('reads convlab metadata back from an exported file', async () => {
    const s = await createSession(bytes);
    assert.deepEqual(s.meta.preprocessing, lenet.meta!.preprocessing);
    await closeSession(s);
  });
});

describe('bad models', () => {
  it('a missing file', async () => {
    const file = join(dir, 'absent.onnx');
    await assert.rejects(createSession(file), (e) => e instanceof UsageError && e.message === messages.cannotRead(file, 'ENOENT'));
  });

  it('a truncated file', async () => {
    await assert.rejects(createSession(bytes.subarray(0, bytes.length - 100), { label: 'cut.onnx' }), (e) => e instanceof DataError && e.message.startsWith('cut.onnx: not a valid ONNX model'));
  });

  it('a file that is not protobuf', async () => {
    await assert.rejects(createSession(new TextEncoder().encode('GIF89a not a model'), { label: 'x.onnx' }), DataError);
  });

  it('a well-formed model ORT refuses (unknown operator)', async () => {
    const { model } = exportModel(resolveGraph(lenet));
    model.graph.node[1]!.opType = 'NoSuchOp';
    await assert.rejects(createSession(encodeModel(model), { label: 'odd.onnx' }), (e) => e instanceof RuntimeError && e.message.startsWith('odd.onnx: ONNX Runtime could not load the model: '));
  });

  it('bad options', async () => {
    await assert.rejects(createSession(bytes, { threads: 0 }), (e) => e instanceof UsageError && e.message === messages.badThreads(0));
    await assert.rejects(createSession(bytes, { optimizationLevel: 'max' as never }), UsageError);
  });
});

describe('bad batches', () => {
  let s: Session;
  before(async () => {
    s = await createSession(resolveGraph(lenet), { threads: 1 });
  });
  after(() => closeSession(s));

  it('a wrong channel count', async () => {
    await assert.rejects(run(s, sample(1, 3)), (e) => e instanceof DataError && e.message === messages.batchShape('input', [32, 32, 1], [1, 32, 32, 3]));
  });

  it('data that does not fill the shape', async () => {
    await assert.rejects(run(s, { data: new Float32Array(100), shape: [1, 32, 32, 1] }), (e) => e instanceof DataError && e.message === messages.batchLength('input', 1024, 100));
  });

  it('an unknown input name', async () => {
    await assert.rejects(run(s, { image: sample(1) }), (e) => e instanceof UsageError && e.message === messages.unknownInput('image', ['input']));
  });

  it('a batch too large for the memory budget is refused before it runs', async () => {
    const small = await createSession(resolveGraph(lenet), { threads: 1, memoryBudget: 1 << 20 });
    try {
      await assert.rejects(run(small, sample(64)), (e) => e instanceof RuntimeError && /^a batch of 64 needs about .* more than the 1 MiB of memory allowed; the largest batch that fits is \d+$/.test(e.message));
      assert.equal((await run(small, sample(2))).predictions!.shape[0], 2);
    } finally {
      await closeSession(small);
    }
  });
});
