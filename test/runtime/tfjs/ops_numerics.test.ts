/**
 * The layers behind leaky_relu / elu / selu, PReLU, Conv2DTranspose, dilated pooling, constant
 * padding, Resize, Split and AdaptiveAvgPool, compiled to tfjs with the same weights the NHWC
 * reference uses, equal it within 1e-4 on the cases the ONNX export is held to.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { resolveGraph } from '../../../src/graph/graph.js';
import { initBackend } from '../../../src/runtime/tfjs/backend.js';
import { compileGraph } from '../../../src/runtime/tfjs/compile.js';
import { initWeights } from '../../../src/weights/init.js';
import { runReference } from '../../helpers/reference.js';
import { LAYER_CASES } from '../../helpers/op_cases.js';
import { randomInput, specOf } from '../onnx/harness.js';
import { ConvlabResize, type ResizeArgs } from '../../../src/runtime/tfjs/layers/resample.js';

const TOLERANCE = 1e-4;

describe('tfjs layers of the newer ops equal the reference', () => {
  before(async () => {
    await initBackend({ threads: 1 });
  });
  for (const c of LAYER_CASES) {
    test(c.name, () => {
      const graph = resolveGraph(specOf(c.input, c.body));
      const weights = initWeights(graph, { seed: 3, randomizeConstants: true });
      const { model } = compileGraph(graph, { initialize: false });
      for (const w of model.weights) {
        const values = weights.get(w.originalName);
        assert.ok(values, `a weight for ${w.originalName}`);
        w.write(tf.tensor(values, w.shape as number[]));
      }
      const shape = [2, ...graph.inputs[0]!.shape];
      const data = randomInput(shape, 1);
      const out = model.predict(tf.tensor(data, shape)) as tf.Tensor;
      const ref = runReference(graph, weights, { [graph.inputs[0]!.name]: { shape, data: Float64Array.from(data) } })[graph.outputs[0]!]!;
      assert.deepEqual(out.shape, ref.shape);
      const got = out.dataSync();
      let diff = 0;
      for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i]! - ref.data[i]!));
      assert.ok(diff <= TOLERANCE, `max abs diff ${diff}`);
    });
  }
});

describe('the tfjs Resize layer', () => {
  test('a layer saved with only mode and coordinates (older trained models) still loads, nearest as ⌊o·in/out⌋', () => {
    const x = tf.tensor4d(Array.from({ length: 2 * 3 * 2 }, (_, i) => i), [1, 2, 3, 2]);
    // tf.loadLayersModel hands the saved config to the constructor.
    const layer = new ConvlabResize({ name: 'up', size: [4, 6], mode: 'nearest', coordinates: 'half_pixel' } as unknown as ResizeArgs);
    const want = tf.layers.upSampling2d({ size: [2, 2] }).apply(x) as tf.Tensor;
    assert.deepEqual(Array.from((layer.apply(x) as tf.Tensor).dataSync()), Array.from(want.dataSync()));
  });

  test('bicubic trains: its gradient reaches the input (each unit gets the summed weights of the outputs reading it)', () => {
    const graph = resolveGraph(specOf([4, 3, 1], (b, x) => b.node('Resize', x, { size: [6, 5], mode: 'bicubic' })));
    const { model } = compileGraph(graph, { initialize: false });
    const g = tf.grad((x: tf.Tensor) => tf.sum(model.apply(x) as tf.Tensor))(tf.ones([1, 4, 3, 1]));
    // Each output's weights sum to 1, so the input gradients add up to the number of outputs.
    assert.ok(Math.abs(tf.sum(g).dataSync()[0]! - 30) < 1e-4);
    assert.ok(Array.from(g.dataSync()).every((v) => v > 0), 'every input unit is read');
  });
});
