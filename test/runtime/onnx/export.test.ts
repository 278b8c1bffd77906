/** The exported ONNX graph: layout, names, weights, metadata and option checks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataError, UsageError } from '../../../src/core/errors.js';
import { resolveGraph } from '../../../src/graph/graph.js';
import { OP_TYPES } from '../../../src/ops/index.js';
import { exportModel, exportOnnx, META_KEYS } from '../../../src/runtime/onnx/export.js';
import { LOWERINGS } from '../../../src/runtime/onnx/lower.js';
import { closeSession, createSession, run } from '../../../src/runtime/onnx/node.js';
import { DataType, decodeModel, infoDims, metadataOf, tensorToFloat32 } from '../../../src/onnx/proto.js';
import { initWeights } from '../../../src/weights/init.js';
import { listWeights } from '../../../src/weights/map.js';
import { basicBlock, getModel } from '../../../src/zoo/index.js';
import { specOf } from './harness.js';

const opsOf = (m: ReturnType<typeof exportModel>['model'], type: string) => m.graph.node.filter((n) => n.opType === type);

describe('ONNX export', () => {
  it('has a lowering for every op type', () => {
    assert.deepEqual(OP_TYPES.filter((op) => typeof LOWERINGS[op] !== 'function'), []);
  });

  it('LeNet-5: opset 17, NHWC boundary, convlab names', () => {
    const { model, graph } = exportModel(resolveGraph(getModel('lenet5')));
    assert.deepEqual(model.opsetImport, [{ domain: '', version: 17 }]);
    assert.equal(model.irVersion, 8);
    assert.equal(model.producerName, 'convlab');
    assert.deepEqual(infoDims(model.graph.input[0]!), ['N', 32, 32, 1]);
    assert.deepEqual(model.graph.output.map((o) => [o.name, infoDims(o)]), [['predictions', ['N', 10]]]);
    const names = new Set(model.graph.node.map((n) => n.name));
    for (const n of graph.nodes) assert.ok(names.has(n.name), `an ONNX node is named ${n.name}`);
    const init = new Map(model.graph.initializer.map((t) => [t.name, t.dims]));
    assert.deepEqual(init.get('conv1/kernel'), [6, 1, 5, 5]);
    assert.deepEqual(init.get('conv1/bias'), [6]);
    assert.deepEqual(init.get('fc1/kernel'), [400, 120]);
  });

  it('transposes once where a feature map enters and once before Flatten, never around ops', () => {
    const { model } = exportModel(resolveGraph(getModel('resnet50')));
    const transposes = opsOf(model, 'Transpose').map((n) => n.name);
    assert.deepEqual(transposes, ['input/to_nchw']);
    // One channel: NHWC and NCHW hold the same order, so the input needs only a Reshape.
    const { model: lenet } = exportModel(resolveGraph(getModel('lenet5')));
    assert.deepEqual(opsOf(lenet, 'Transpose').map((n) => n.name), ['flatten/to_nhwc']);
    assert.deepEqual(opsOf(lenet, 'Reshape').map((n) => n.name), ['input/to_nchw']);
  });

  it('a feature-map output is transposed back to NHWC once', () => {
    const { model } = exportModel(resolveGraph(specOf([8, 8, 3], (b, x) => basicBlock(b, x, { filters: 16 }, 'block'))));
    assert.deepEqual(opsOf(model, 'Transpose').map((n) => n.name), ['input/to_nchw', 'block_out/output_to_nhwc']);
    assert.deepEqual(infoDims(model.graph.output[0]!), ['N', 8, 8, 16]);
  });

  it('is deterministic given the seed, and the seed matters', () => {
    const spec = getModel('lenet5');
    assert.deepEqual(exportOnnx(resolveGraph(spec), { seed: 4 }), exportOnnx(resolveGraph(spec), { seed: 4 }));
    assert.notDeepEqual(exportOnnx(resolveGraph(spec), { seed: 4 }), exportOnnx(resolveGraph(spec), { seed: 5 }));
    const seeded = decodeModel(exportOnnx(resolveGraph(spec), { seed: 4 })).graph.initializer;
    const supplied = decodeModel(exportOnnx(resolveGraph(spec), { weights: initWeights(resolveGraph(spec), { seed: 4 }) })).graph.initializer;
    assert.deepEqual(supplied.map((t) => [t.name, Array.from(t.rawData!)]), seeded.map((t) => [t.name, Array.from(t.rawData!)]));
  });

  it('supplied Keras-layout weights land transposed to OIHW', () => {
    const spec = getModel('lenet5');
    const weights = initWeights(resolveGraph(spec), { seed: 9, randomizeConstants: true });
    const model = decodeModel(exportOnnx(resolveGraph(spec), { weights }));
    const w = tensorToFloat32(model.graph.initializer.find((t) => t.name === 'conv2/kernel')!);
    const k = weights.get('conv2/kernel')!;
    // Keras (fh, fw, cin, K) = (5, 5, 6, 16) at [i, j, c, o] equals ONNX (K, cin, fh, fw) at [o, c, i, j].
    for (const [i, j, c, o] of [[0, 0, 0, 0], [4, 3, 5, 15], [2, 1, 3, 7]] as const) {
      assert.equal(w[((o * 6 + c) * 5 + i) * 5 + j], k[((i * 5 + j) * 6 + c) * 16 + o]);
    }
    assert.deepEqual(Array.from(tensorToFloat32(model.graph.initializer.find((t) => t.name === 'fc1/bias')!)), Array.from(weights.get('fc1/bias')!));
    assert.equal(metadataOf(model)[META_KEYS.weights], 'supplied');
  });

  it('carries spec metadata (preprocessing) and the layout', () => {
    const meta = metadataOf(decodeModel(exportOnnx(resolveGraph(getModel('lenet5')))));
    assert.equal(meta[META_KEYS.layout], 'NHWC');
    assert.deepEqual(JSON.parse(meta[META_KEYS.meta]!).preprocessing, getModel('lenet5').meta!.preprocessing);
    assert.equal(meta[META_KEYS.weights], 'seed:0');
  });

  it('refuses missing or mis-sized weights and opsets outside 17–21', () => {
    const spec = getModel('lenet5');
    const weights = initWeights(resolveGraph(spec));
    weights.delete('conv1/kernel');
    assert.throws(() => exportOnnx(resolveGraph(spec), { weights }), (e) => e instanceof DataError && /conv1\/kernel/.test(e.message));
    const short = initWeights(resolveGraph(spec));
    short.set('fc2/bias', new Float32Array(3));
    assert.throws(() => exportOnnx(resolveGraph(spec), { weights: short }), (e) => e instanceof DataError && /weight fc2\/bias: expected 84 values/.test(e.message));
    assert.throws(() => exportOnnx(resolveGraph(spec), { opset: 16 }), UsageError);
    assert.throws(() => exportOnnx(resolveGraph(spec), { opset: 22 }), UsageError);
  });

  it('opset 21 runs in ORT too', async () => {
    const s = await createSession(exportOnnx(resolveGraph(getModel('lenet5')), { opset: 21 }), { threads: 1 });
    try {
      const out = await run(s, { data: new Float32Array(32 * 32), shape: [1, 32, 32, 1] });
      assert.deepEqual(out.predictions!.shape, [1, 10]);
    } finally {
      await closeSession(s);
    }
  });

  it('float initializers are the WeightSpec tensors, named node/weight, plus shared constants', () => {
    for (const id of ['mobilenet_v2', 'efficientnet_b0']) {
      const graph = resolveGraph(getModel(id));
      const { model } = exportModel(graph);
      const floats = model.graph.initializer.filter((t) => t.dataType === DataType.FLOAT && !t.name!.startsWith('const/')).map((t) => t.name!).sort();
      // Keras' Normalization keeps a sample count inference never reads; it is not exported.
      const expected = listWeights(graph).map((w) => w.key).filter((k) => !k.endsWith('/count')).sort();
      assert.deepEqual(floats, expected, id);
    }
  });
});
