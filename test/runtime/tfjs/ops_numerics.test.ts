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
