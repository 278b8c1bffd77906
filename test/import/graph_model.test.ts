/**
 * TensorFlow.js graph models, written in the converter's format in the test (NodeDefs, constants
 * in a weights manifest): convlab reads a small conv net with every op family the reader maps,
 * and ONNX Runtime on the imported graph equals tfjs' own loadGraphModel + execute within 1e-4.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { SpecError } from '../../src/core/errors.js';
import { importModel } from '../../src/import/index.js';
import { closeSession, createSession, run } from '../../src/runtime/onnx/node.js';
import { randomInput } from '../runtime/onnx/harness.js';

type Attr = Record<string, unknown>;
interface Def { name: string; op: string; input?: string[]; attr?: Attr }
interface Weight { name: string; shape: number[]; dtype: 'float32' | 'int32'; data: number[] }

const b64 = (s: string) => Buffer.from(s).toString('base64');
const ints = (xs: number[]) => ({ list: { i: xs.map(String) } });
const str = (s: string) => ({ s: b64(s) });
const strs = (xs: string[]) => ({ list: { s: xs.map(b64) } });
const FLOAT = { type: 'DT_FLOAT' };

/** A seeded vector in [lo, hi). */
function values(n: number, seed: number, lo = -0.5, hi = 0.5): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (hi - lo) * (s / 2 ** 32);
  });
}

/** Builds NodeDefs and the manifest's constants, as tensorflowjs_converter lays them out. */
class GraphWriter {
  readonly nodes: Def[] = [];
  readonly weights: Weight[] = [];
  private seed = 1;
  node(name: string, op: string, input: string[] = [], attr: Attr = {}): string {
    this.nodes.push({ name, op, input, attr: { T: FLOAT, ...attr } });
    return name;
  }
  const(name: string, shape: number[], data?: number[], dtype: 'float32' | 'int32' = 'float32'): string {
    const n = shape.reduce((a, b) => a * b, 1);
    this.weights.push({ name, shape, dtype, data: data ?? values(n, this.seed++) });
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' }, value: { tensor: { dtype: dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT', tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } } } });
    return name;
  }
  json(outputs: string[]): { topology: unknown; specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer; signature: unknown } {
    const bytes = new Uint8Array(this.weights.reduce((s, w) => s + w.data.length * 4, 0));
    let at = 0;
    for (const w of this.weights) {
      const arr = w.dtype === 'int32' ? Int32Array.from(w.data) : Float32Array.from(w.data);
      bytes.set(new Uint8Array(arr.buffer), at);
      at += arr.byteLength;
    }
    return {
      topology: { node: this.nodes, library: {}, versions: { producer: 1286 } },
      specs: this.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype })),
      data: bytes.buffer,
      signature: { outputs: Object.fromEntries(outputs.map((o) => [o, { name: `${o}:0` }])) },
    };
  }
}

const conv = { strides: ints([1, 1, 1, 1]), padding: str('SAME'), data_format: str('NHWC'), dilations: ints([1, 1, 1, 1]) };

/** A small conv net over every op family: fused and plain convs, depthwise, batch norm, pooling, arithmetic, padding, concat, mean, matmul. */
function smallNet(): GraphWriter {
  const g = new GraphWriter();
  const x = g.node('input_1', 'Placeholder', [], { dtype: FLOAT, shape: { shape: { dim: [{ size: '-1' }, { size: '12' }, { size: '12' }, { size: '3' }] } } });
  const c1 = g.node('model/conv1/Relu', '_FusedConv2D', [x, g.const('model/conv1/kernel', [3, 3, 3, 8]), g.const('model/conv1/bias', [8])], { ...conv, fused_ops: strs(['BiasAdd', 'Relu']), num_args: { i: '1' }, epsilon: { f: 0 } });
  const dw = g.node('model/dw/Relu6', 'FusedDepthwiseConv2dNative', [c1, g.const('model/dw/kernel', [3, 3, 8, 1]), g.const('model/dw/bias', [8])], { ...conv, strides: ints([1, 2, 2, 1]), fused_ops: strs(['BiasAdd', 'Relu6']), num_args: { i: '1' } });
  const c2 = g.node('model/conv2/Conv2D', 'Conv2D', [dw, g.const('model/conv2/kernel', [1, 1, 8, 6])], { ...conv, padding: str('VALID') });
  const bn = g.node('model/bn/FusedBatchNormV3', 'FusedBatchNormV3', [c2, g.const('model/bn/gamma', [6], values(6, 91, 0.5, 1.5)), g.const('model/bn/beta', [6]), g.const('model/bn/mean', [6]), g.const('model/bn/var', [6], values(6, 92, 0.5, 2))], { epsilon: { f: 0.001 }, data_format: str('NHWC'), is_training: { b: false } });
  const elu = g.node('model/bn/Elu', 'Elu', [bn]);
  const c3 = g.node('model/conv3/LeakyRelu', '_FusedConv2D', [dw, g.const('model/conv3/kernel', [3, 3, 8, 6]), g.const('model/conv3/bias', [6])], { ...conv, fused_ops: strs(['BiasAdd', 'LeakyRelu']), num_args: { i: '1' }, epsilon: { f: 0 }, leakyrelu_alpha: { f: 0.1 } });
  const cat = g.node('model/cat/concat', 'ConcatV2', [elu, c3, g.const('model/cat/axis', [], [3], 'int32')], { N: { i: '2' }, Tidx: { type: 'DT_INT32' } });
  const mul = g.node('model/scale/mul', 'Mul', [cat, g.const('model/scale/c', [], [0.5])]);
  const sub = g.node('model/shift/sub', 'Sub', [mul, g.const('model/shift/c', [], [0.1])]);
  const mp = g.node('model/pool/MaxPool', 'MaxPool', [sub], { ksize: ints([1, 2, 2, 1]), strides: ints([1, 2, 2, 1]), padding: str('VALID'), data_format: str('NHWC') });
  const pad = g.node('model/pad/Pad', 'Pad', [mp, g.const('model/pad/paddings', [4, 2], [0, 0, 1, 0, 0, 1, 0, 0], 'int32')], { Tpaddings: { type: 'DT_INT32' } });
  const ap = g.node('model/avg/AvgPool', 'AvgPool', [pad], { ksize: ints([1, 2, 2, 1]), strides: ints([1, 1, 1, 1]), padding: str('SAME'), data_format: str('NHWC') });
  const c4 = g.node('model/conv4/Conv2D', 'Conv2D', [ap, g.const('model/conv4/kernel', [1, 1, 12, 12])], { ...conv });
  const b4 = g.node('model/conv4/BiasAdd', 'BiasAdd', [c4, g.const('model/conv4/bias', [12])], { data_format: str('NHWC') });
  const r4 = g.node('model/conv4/Relu', 'Relu', [b4]);
  const res = g.node('model/res/add', 'AddV2', [r4, ap]);
  const mean = g.node('model/gap/Mean', 'Mean', [res, g.const('model/gap/axes', [2], [1, 2], 'int32')], { keep_dims: { b: true }, Tidx: { type: 'DT_INT32' } });
  const sq = g.node('model/gap/Squeeze', 'Squeeze', [mean], { squeeze_dims: ints([1, 2]) });
  const fc = g.node('model/fc/BiasAdd', '_FusedMatMul', [sq, g.const('model/fc/kernel', [12, 5]), g.const('model/fc/bias', [5])], { fused_ops: strs(['BiasAdd']), num_args: { i: '1' }, transpose_a: { b: false }, transpose_b: { b: false }, epsilon: { f: 0 } });
  const mm = g.node('model/out/MatMul', 'MatMul', [fc, g.const('model/out/kernel', [4, 5])], { transpose_a: { b: false }, transpose_b: { b: true } });
  const mb = g.node('model/out/BiasAdd', 'BiasAdd', [mm, g.const('model/out/bias', [4])], { data_format: str('NHWC') });
  const rs = g.node('model/out/Reshape', 'Reshape', [mb, g.const('model/out/shape', [2], [-1, 4], 'int32')], { Tshape: { type: 'DT_INT32' } });
  const sm = g.node('model/out/Softmax', 'Softmax', [rs]);
  g.node('Identity', 'Identity', [sm]);
  return g;
}

/** Writes model.json + weights.bin (the converter's files) and returns the model.json path. */
function writeGraphModel(g: GraphWriter, outputs = ['Identity']): string {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-graph-'));
  const j = g.json(outputs);
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(j.data));
  writeFileSync(join(dir, 'model.json'), JSON.stringify({
    format: 'graph-model', generatedBy: '2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0', signature: j.signature,
    modelTopology: j.topology, weightsManifest: [{ paths: ['weights.bin'], weights: j.specs }],
  }));
  return join(dir, 'model.json');
}

describe('TensorFlow.js graph models', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  test('a small conv net: convlab in ONNX Runtime equals tfjs execute within 1e-4', async () => {
    const g = smallNet();
    const j = g.json(['Identity']);
    const model = await tf.loadGraphModel({ load: async () => ({ modelTopology: j.topology as never, weightSpecs: j.specs, weightData: j.data, format: 'graph-model', signature: j.signature as never }) });
    const shape = [2, 12, 12, 3];
    const data = randomInput(shape, 3);
    const expected = (model.execute(tf.tensor(data, shape)) as tf.Tensor).dataSync();

    const { graph, weights, source } = importModel(writeGraphModel(g), { weights: true });
    assert.equal(source.format, 'tfjs-graph');
    assert.deepEqual(graph.nodes.map((n) => n.op).sort(), [
      'Conv2D', 'Activation', 'DepthwiseConv2D', 'Activation', 'Conv2D', 'BatchNorm', 'Activation', 'Conv2D', 'Activation',
      'Concat', 'Rescaling', 'Rescaling', 'ZeroPadding2D', 'MaxPool2D', 'AvgPool2D', 'Conv2D', 'Activation', 'Add', 'GlobalAvgPool', 'Reshape',
      'Dense', 'Dense', 'Activation',
    ].sort());
    const session = await createSession(graph, { threads: 1, export: { weights: weights! } });
    try {
      const got = Object.values(await run(session, { data, shape }))[0]!;
      assert.deepEqual(got.shape, [2, 4]);
      let diff = 0;
      got.data.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - expected[i]!))));
      assert.ok(diff <= 1e-4, `ONNX Runtime and tfjs differ by ${diff}`);
      assert.ok(got.data.some((v) => Math.abs(v - got.data[0]!) > 1e-3), 'the outputs vary');
    } finally {
      await closeSession(session);
    }
  });

  test('a conv fused with a batch norm (TensorFlow writes it; tfjs cannot run it) becomes Conv2D + BatchNorm + activation', () => {
    const g = new GraphWriter();
    const x = g.node('input_1', 'Placeholder', [], { dtype: FLOAT, shape: { shape: { dim: [{ size: '-1' }, { size: '5' }, { size: '5' }, { size: '2' }] } } });
    g.node('m/c/Relu', '_FusedConv2D', [x, g.const('m/c/k', [3, 3, 2, 4]), g.const('m/c/s', [4]), g.const('m/c/o', [4]), g.const('m/c/m', [4]), g.const('m/c/v', [4], [1, 2, 3, 4])], { ...conv, fused_ops: strs(['FusedBatchNorm', 'Relu']), num_args: { i: '4' }, epsilon: { f: 0.01 } });
    const { graph, weights } = importModel(writeGraphModel(g, ['m/c/Relu']), { weights: true });
    assert.deepEqual(graph.nodes.map((n) => [n.op, n.attrs.epsilon ?? n.attrs.fn ?? n.attrs.useBias]), [['Conv2D', false], ['BatchNorm', 0.01], ['Activation', 'relu']]);
    assert.deepEqual(Array.from(weights!.get('m_c_Relu_bn/moving_variance')!), [1, 2, 3, 4]);
  });

  test('an unknown op is refused by node and op; MirrorPad says why', () => {
    const g = new GraphWriter();
    const x = g.node('input_1', 'Placeholder', [], { dtype: FLOAT, shape: { shape: { dim: [{ size: '-1' }, { size: '4' }, { size: '4' }, { size: '2' }] } } });
    g.node('model/act/Softplus', 'Softplus', [x]);
    assert.throws(() => importModel(writeGraphModel(g, ['model/act/Softplus'])), (e: Error) => e instanceof SpecError && /model\.json: node "model\/act\/Softplus" \(Softplus\): TensorFlow op "Softplus" has no convlab equivalent/.test(e.message));
    const h = new GraphWriter();
    const y = h.node('input_1', 'Placeholder', [], { dtype: FLOAT, shape: { shape: { dim: [{ size: '-1' }, { size: '4' }, { size: '4' }, { size: '2' }] } } });
    h.node('model/pad/MirrorPad', 'MirrorPad', [y, h.const('model/pad/p', [4, 2], [0, 0, 1, 1, 1, 1, 0, 0], 'int32')], { mode: str('REFLECT') });
    assert.throws(() => importModel(writeGraphModel(h, ['model/pad/MirrorPad'])), (e: Error) => e instanceof SpecError && /node "model\/pad\/MirrorPad" \(MirrorPad\): MirrorPad \(reflect or symmetric padding\) has no convlab op/.test(e.message));
  });
});
