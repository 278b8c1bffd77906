/** Keras / TensorFlow.js model.json import: models written by tfjs, Keras 3 files, and hostile files. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../src/analysis/analyze.js';
import { ConvlabError, DataError, SpecError } from '../../src/core/errors.js';
import { importKerasFile } from '../../src/import/files.js';
import { kerasToSpec } from '../../src/import/keras.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { closeSession, createSession, run } from '../../src/runtime/onnx/node.js';

/** Saves a tfjs model as model.json + weights.bin in a fresh folder; returns the model.json path. */
async function saveTfjs(model: tf.LayersModel): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-keras-'));
  await model.save(tf.io.withSaveHandler(async (art) => {
    const data = art.weightData as ArrayBuffer;
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(data));
    writeFileSync(join(dir, 'model.json'), JSON.stringify({
      format: 'layers-model', generatedBy: art.generatedBy, modelTopology: art.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return join(dir, 'model.json');
}

function writeModel(json: unknown, extra: Record<string, Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-keras-'));
  writeFileSync(join(dir, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
  for (const [name, bytes] of Object.entries(extra)) writeFileSync(join(dir, name), bytes);
  return join(dir, 'model.json');
}

describe('Keras import: models written by TensorFlow.js', () => {
  test('a Sequential LeNet imports with its names, params and weights', async () => {
    await tf.setBackend('cpu');
    const m = tf.sequential({ name: 'lenet_tfjs' });
    m.add(tf.layers.conv2d({ name: 'conv1', inputShape: [32, 32, 1], filters: 6, kernelSize: 5, activation: 'tanh' }));
    m.add(tf.layers.averagePooling2d({ name: 'pool1', poolSize: 2, strides: 2 }));
    m.add(tf.layers.conv2d({ name: 'conv2', filters: 16, kernelSize: 5, activation: 'tanh' }));
    m.add(tf.layers.averagePooling2d({ name: 'pool2', poolSize: 2, strides: 2 }));
    m.add(tf.layers.flatten({ name: 'flatten' }));
    m.add(tf.layers.dense({ name: 'fc1', units: 120, activation: 'tanh' }));
    m.add(tf.layers.dense({ name: 'fc2', units: 84, activation: 'tanh' }));
    m.add(tf.layers.dense({ name: 'predictions', units: 10, activation: 'softmax' }));
    const { spec, weights } = importKerasFile(await saveTfjs(m), { weights: true });
    assert.deepEqual(spec.nodes.map((n) => n.name), ['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1', 'fc2', 'predictions']);
    const a = analyze(resolveGraph(spec));
    assert.equal(a.totals.params, m.countParams());
    assert.equal(a.totals.params, 61_706);
    const kernel = m.getLayer('conv2').getWeights()[0]!.dataSync();
    assert.deepEqual(Array.from(weights!.get('conv2/kernel')!), Array.from(kernel));
  });

  test('a functional model with branches, BN, depthwise, separable and SE-style gating', async () => {
    await tf.setBackend('cpu');
    const x = tf.input({ shape: [16, 16, 3], name: 'image' });
    const pad = tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pad' }).apply(x) as tf.SymbolicTensor;
    const c = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, name: 'stem', useBias: false }).apply(pad) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(c) as tf.SymbolicTensor;
    const r = tf.layers.reLU({ maxValue: 6, name: 'stem_relu6' }).apply(bn) as tf.SymbolicTensor;
    const dw = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw', depthMultiplier: 2 }).apply(r) as tf.SymbolicTensor;
    const sep = tf.layers.separableConv2d({ filters: 16, kernelSize: 3, padding: 'same', name: 'sep' }).apply(r) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' }).apply([dw, sep]) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tf.SymbolicTensor;
    const gate = tf.layers.dense({ units: 16, activation: 'sigmoid', name: 'gate' }).apply(gap) as tf.SymbolicTensor;
    const gate3 = tf.layers.reshape({ targetShape: [1, 1, 16], name: 'gate_reshape' }).apply(gate) as tf.SymbolicTensor;
    const scaled = tf.layers.multiply({ name: 'excite' }).apply([sum, gate3]) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: 'cat' }).apply([scaled, dw]) as tf.SymbolicTensor;
    const crop = tf.layers.cropping2D({ cropping: [[1, 0], [0, 1]], name: 'crop' }).apply(cat) as tf.SymbolicTensor;
    const pool = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(crop) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({ name: 'flat' }).apply(pool) as tf.SymbolicTensor;
    const drop = tf.layers.dropout({ rate: 0.2, name: 'drop' }).apply(flat) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 5, activation: 'softmax', name: 'out' }).apply(drop) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: out, name: 'branchy' });
    const { spec, weights } = importKerasFile(await saveTfjs(m), { weights: true });
    const a = analyze(resolveGraph(spec));
    assert.equal(a.totals.params, m.countParams());
    assert.equal(a.totals.nonTrainableParams, 16, 'BN moving mean and variance');
    assert.deepEqual(a.outputs[0]!.shape, [5]);
    assert.deepEqual(a.layers.find((l) => l.name === 'crop')!.outputShape, [7, 7, 32]);
    assert.equal(spec.nodes.find((n) => n.name === 'stem_relu6')!.attrs!.fn, 'relu6');
    assert.equal(weights!.get('stem_bn/moving_variance')!.length, 8);
  });
});

describe('Keras import: the newer layers, run in ONNX Runtime against tfjs predict', () => {
  test('LeakyReLU, PReLU, ELU, selu / elu activations, Conv2DTranspose, UpSampling2D nearest and bilinear', async () => {
    await tf.setBackend('cpu');
    const x = tf.input({ shape: [6, 5, 3], name: 'image' });
    const up = tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu', name: 'deconv' }).apply(x) as tf.SymbolicTensor;
    const valid = tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, activation: 'selu', name: 'deconv_valid' }).apply(x) as tf.SymbolicTensor;
    const leaky = tf.layers.leakyReLU({ alpha: 0.15, name: 'leaky' }).apply(up) as tf.SymbolicTensor;
    const prelu = tf.layers.prelu({ sharedAxes: [1, 2], alphaInitializer: tf.initializers.randomUniform({ minval: 0.1, maxval: 0.5, seed: 1 }), name: 'prelu' }).apply(leaky) as tf.SymbolicTensor;
    const elu = tf.layers.elu({ name: 'elu' }).apply(valid) as tf.SymbolicTensor;
    const near = tf.layers.upSampling2d({ size: [2, 2], name: 'near' }).apply(prelu) as tf.SymbolicTensor;
    const bil = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: 'bil' }).apply(tf.layers.cropping2D({ cropping: [[0, 1], [0, 1]], name: 'crop' }).apply(elu) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: 'cat' }).apply([near, bil]) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(cat) as tf.SymbolicTensor, name: 'newer_layers' });
    const file = await saveTfjs(m);
    const { graph, weights } = importKerasFile(file, { weights: true });
    assert.equal(analyze(graph).totals.params, m.countParams());
    assert.deepEqual(graph.nodes.find((n) => n.name === 'bil')!.attrs.coordinates, 'asymmetric', 'tfjs\'s UpSampling2D positions');
    const input = tf.randomUniform([2, 6, 5, 3], -2, 2, 'float32', 4);
    const expected = (m.predict(input) as tf.Tensor).dataSync();
    const session = await createSession(graph, { threads: 1, export: { weights: weights! } });
    try {
      const got = Object.values(await run(session, { data: input.dataSync() as Float32Array, shape: input.shape }))[0]!;
      let diff = 0;
      got.data.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - expected[i]!))));
      assert.ok(diff <= 1e-4, `ONNX Runtime and tfjs differ by ${diff}`);
    } finally {
      await closeSession(session);
    }
  });

  test('Keras 3 spellings: negative_slope, ReLU(negative_slope), output_padding; PReLU must share the spatial axes', () => {
    const layer = (class_name: string, config: Record<string, unknown>) => ({
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 4, 4, 2] } }, { class_name, config: { name: 'l', ...config } }] },
    });
    assert.deepEqual(kerasToSpec(layer('LeakyReLU', { negative_slope: 0.2 })).nodes[0]!.attrs, { fn: 'leaky_relu', alpha: 0.2 });
    assert.deepEqual(kerasToSpec(layer('ReLU', { negative_slope: 0.1 })).nodes[0]!.attrs, { fn: 'leaky_relu', alpha: 0.1 });
    const t = kerasToSpec(layer('Conv2DTranspose', { filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same', output_padding: [1, 1] }));
    assert.deepEqual(t.nodes[0]!.attrs!.outputPadding, [1, 1]);
    assert.equal(kerasToSpec(layer('UpSampling2D', { size: [2, 2], interpolation: 'bilinear' })).nodes[0]!.attrs!.coordinates, 'half_pixel', 'Keras\'s own positions');
    assert.throws(() => kerasToSpec(layer('PReLU', {})), (e: Error) => e instanceof SpecError && /layer "l" \(PReLU\): shared_axes null: convlab's PReLU has one slope per channel; set shared_axes=\[1, 2\]/.test(e.message));
  });
});

describe('Keras import: Keras 3 files', () => {
  const keras3 = {
    class_name: 'Functional',
    config: {
      name: 'k3',
      layers: [
        { class_name: 'InputLayer', name: 'inp', config: { batch_shape: [null, 8, 8, 3], name: 'inp' }, inbound_nodes: [] },
        { class_name: 'Conv2D', name: 'c1', config: { name: 'c1', filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: { module: 'keras.activations', class_name: 'function', config: 'relu' }, use_bias: true },
          inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 8, 8, 3], keras_history: ['inp', 0, 0] } }], kwargs: {} }] },
        { class_name: 'Conv2D', name: 'c2', config: { name: 'c2', filters: 3, kernel_size: [1, 1], padding: 'valid', activation: 'linear', use_bias: false },
          inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: ['c1', 0, 0] } }], kwargs: {} }] },
        { class_name: 'Add', name: 'add', config: { name: 'add' },
          inbound_nodes: [{ args: [[{ class_name: '__keras_tensor__', config: { keras_history: ['inp', 0, 0] } }, { class_name: '__keras_tensor__', config: { keras_history: ['c2', 0, 0] } }]], kwargs: {} }] },
      ],
      input_layers: [['inp', 0, 0]],
      output_layers: [['add', 0, 0]],
    },
  };

  test('keras_history references and list arguments', () => {
    const spec = kerasToSpec(keras3, 'k3.json');
    assert.deepEqual(spec.nodes.map((n) => [n.name, n.inputs]), [['c1', ['inp']], ['c2', ['c1']], ['add', ['inp', 'c2']]]);
    assert.equal(analyze(resolveGraph(spec)).totals.params, 3 * 3 * 3 * 4 + 4 + 4 * 3);
  });

  test('a nested model is inlined', () => {
    const outer = {
      class_name: 'Sequential',
      config: { name: 'outer', layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 3], name: 'outer_in' } },
        keras3,
        { class_name: 'GlobalAveragePooling2D', config: { name: 'gap' } },
      ] },
    };
    const spec = kerasToSpec(outer, 'outer.json');
    assert.deepEqual(spec.nodes.map((n) => n.name), ['c1', 'c2', 'add', 'gap']);
    assert.deepEqual(spec.nodes[0]!.inputs, ['outer_in']);
  });
});

describe('Keras import: hostile files give clear errors', () => {
  const base = (layers: unknown[], outputs = [['d', 0, 0]]) => ({
    modelTopology: { class_name: 'Model', config: { name: 'm', layers, input_layers: [['x', 0, 0]], output_layers: outputs } },
  });
  const input = { class_name: 'InputLayer', config: { name: 'x', batch_input_shape: [null, 4] }, inbound_nodes: [] };
  const dense = (name: string, from: string) => ({ class_name: 'Dense', config: { name, units: 2 }, inbound_nodes: [[[from, 0, 0, {}]]] });

  const cases: Array<[string, () => unknown, new (...a: never[]) => ConvlabError, RegExp]> = [
    ['not JSON', () => importKerasFile(writeModel('{"modelTopology": ')), SpecError, /not valid JSON/],
    ['unknown layer class is named', () => importKerasFile(writeModel(base([input, { class_name: 'ThresholdedReLU', config: { name: 'd' }, inbound_nodes: [[['x', 0, 0, {}]]] }]))), SpecError, /layer "d" \(ThresholdedReLU\).*no convlab op/],
    ['a cycle', () => importKerasFile(writeModel(base([input, dense('a', 'd'), dense('d', 'a')]))), SpecError, /never produced/],
    ['channels_first', () => importKerasFile(writeModel(base([input, { class_name: 'Conv2D', config: { name: 'd', filters: 1, kernel_size: 1, data_format: 'channels_first' }, inbound_nodes: [[['x', 0, 0, {}]]] }]))), SpecError, /channels_first/],
    ['weights path outside the folder', () => importKerasFile(writeModel({ ...base([input, dense('d', 'x')]), weightsManifest: [{ paths: ['../../etc/passwd'], weights: [] }] }), { weights: true }), SpecError, /outside the model's folder/],
    ['encoded traversal', () => importKerasFile(writeModel({ ...base([input, dense('d', 'x')]), weightsManifest: [{ paths: ['%2e%2e/secret.bin'], weights: [] }] }), { weights: true }), SpecError, /outside/],
    ['a 2 GB declared tensor is refused before reading', () => importKerasFile(writeModel({ ...base([input, dense('d', 'x')]), weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [536870912], dtype: 'float32' }] }] }, { 'w.bin': new Uint8Array(40) }), { weights: true }), DataError, /hold 40 bytes but the manifest declares 2147483648/],
    ['wrong weight shape', () => importKerasFile(writeModel({ ...base([input, dense('d', 'x')]), weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [2, 4], dtype: 'float32' }, { name: 'd/bias', shape: [2], dtype: 'float32' }] }] }, { 'w.bin': new Uint8Array(40) }), { weights: true }), DataError, /shape \[2,4\]; expected \[4,2\]/],
    ['wrong field type', () => importKerasFile(writeModel({ modelTopology: { class_name: 'Model', config: { name: 'm', layers: 'many' } } })), SpecError, /no layer list/],
    ['no topology', () => importKerasFile(writeModel({ hello: 1 })), SpecError, /no model topology/],
  ];
  for (const [name, run, cls, pattern] of cases) {
    test(name, () => {
      assert.throws(run, (e: Error) => e instanceof cls && pattern.test(e.message) && !e.message.includes('\n'));
    });
  }
});
