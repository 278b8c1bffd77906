/**
 * Every zoo model tfjs can express compiles to a LayersModel whose parameter count equals
 * convlab's own (Keras convention), with the same layer names, output shapes and weight names
 * and shapes as the ops' WeightSpecs. Models are built with zero weights and never run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { analyze, contextOf } from '../../../src/analysis/analyze.js';
import { GraphBuilder } from '../../../src/graph/builder.js';
import { RuntimeError } from '../../../src/core/errors.js';
import { resolveGraph } from '../../../src/graph/graph.js';
import { getModel, listModels } from '../../../src/zoo/index.js';
import { initBackend } from '../../../src/runtime/tfjs/backend.js';
import { compileGraph } from '../../../src/runtime/tfjs/compile.js';

/** The last path component of a tfjs weight name: `conv1/kernel` -> `kernel`. */
const weightName = (w: tf.LayerVariable) => w.originalName.split('/').pop()!;
const dims = (s: (number | null)[]) => s.slice(1);
const count = (ws: tf.LayerVariable[]) => ws.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

describe('compile: zoo models', () => {
  before(async () => {
    // Zero-filled builds allocate every weight; the CPU backend keeps them off the wasm heap.
    await initBackend({ backend: 'cpu' });
  });

  for (const meta of listModels()) {
    test(`${meta.id}: params, shapes and weights match the analysis`, () => {
      const spec = getModel(meta.id);
      const graph = resolveGraph(spec);
      const totals = analyze(graph).totals;
      const { model } = compileGraph(graph, { initialize: false });
      try {
        assert.equal(model.countParams(), totals.params, 'total params');
        assert.equal(count(model.trainableWeights), totals.trainableParams, 'trainable params');
        for (const node of graph.nodes) {
          const layer = model.getLayer(node.name);
          assert.deepEqual(dims(layer.outputShape as number[]), node.outputShape, `${node.name} output shape`);
          const expected = node.def.weights(contextOf(node)).map((w) => [w.name, w.dims.map(([, d]) => d)]);
          const actual = layer.weights.map((w) => [weightName(w), w.shape]);
          assert.deepEqual(actual, expected, `${node.name} weights`);
        }
        const outShapes = (Array.isArray(model.outputShape[0]) ? model.outputShape : [model.outputShape]) as number[][];
        assert.deepEqual(outShapes.map(dims), graph.outputs.map((o) => graph.shapes.get(o)));
      } finally {
        model.dispose();
      }
    });
  }
});

describe('compile: semantics', () => {
  after(() => tf.disposeVariables());

  test('frozen nodes compile to non-trainable layers', () => {
    const b = new GraphBuilder('frozen');
    const x = b.input([8, 8, 3]);
    const y = b.conv2d(x, { filters: 4, kernelSize: 3, name: 'base', trainable: false });
    const spec = b.build(b.dense(b.flatten(y), { units: 2, name: 'head' }));
    const { model } = compileGraph(resolveGraph(spec));
    assert.equal(model.getLayer('base').trainable, false);
    assert.equal(model.trainableWeights.length, 2, 'only the head kernel and bias train');
    assert.equal(model.countParams(), analyze(resolveGraph(spec)).totals.params);
    assert.equal(count(model.trainableWeights), analyze(resolveGraph(spec)).totals.trainableParams);
  });

  test('the same seed gives the same weights; another seed others', async () => {
    const spec = getModel('lenet5');
    const w = async (seed: number) => (await compileGraph(resolveGraph(spec), { seed }).model.getLayer('conv1').getWeights()[0]!.data()) as Float32Array;
    const [a, b, c] = await Promise.all([w(3), w(3), w(4)]);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  test('glorot_uniform kernels stay within the Keras limit sqrt(6 / (fan_in + fan_out))', async () => {
    const { model } = compileGraph(resolveGraph(getModel('lenet5')), { seed: 1 });
    const k = (await model.getLayer('conv2').getWeights()[0]!.data()) as Float32Array;
    const limit = Math.sqrt(6 / (5 * 5 * 6 + 5 * 5 * 16));
    assert.ok(k.every((v) => Math.abs(v) <= limit), 'a sample outside the limit');
    assert.ok(Math.max(...k.map(Math.abs)) > 0.9 * limit, 'samples do not fill the range');
  });

  test('an op tfjs cannot train fails at compile time, naming the node', () => {
    const b = new GraphBuilder('sep');
    const x = b.input([8, 8, 3]);
    const spec = b.build(b.separableConv2d(x, { filters: 4, kernelSize: 3, padding: [1, 0, 1, 0], name: 'sep1' }));
    assert.throws(() => compileGraph(resolveGraph(spec)), (e: unknown) => e instanceof RuntimeError && /node sep1 \(SeparableConv2D\): op SeparableConv2D cannot train yet/.test(e.message));
  });

  test('LRN with an even size cannot train', () => {
    const spec = {
      name: 'lrn', inputs: [{ name: 'x', shape: [4, 4, 8] }],
      nodes: [{ name: 'norm', op: 'LRN', inputs: ['x'], attrs: { size: 4 } }], outputs: ['norm'],
    };
    assert.throws(() => compileGraph(resolveGraph(spec)), /node norm \(LRN\): op LRN cannot train yet: LRN size 4 is even/);
  });
});
