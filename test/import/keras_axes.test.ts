/**
 * Keras counts the batch as axis 0; convlab's shapes exclude it. Models built with tfjs itself
 * (every Concatenate axis, BatchNormalization, Softmax, Dense on higher ranks, Permute, Reshape)
 * are imported with their weights and run through `convlab run`'s path; shapes and values must
 * equal tfjs's predict within 1e-4, and axes Keras would refuse are refused naming file, layer
 * and convention.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ConvlabError } from '../../src/core/errors.js';
import { runTensors } from '../../src/cli/run_tensors.js';
import { artifactsOf, pseudoRandom, removeArtifacts, writeArtifacts, type Artifacts } from '../helpers/tfjs_files.js';

before(async () => {
  await tf.setBackend('cpu');
});
after(removeArtifacts);

/** The topology's layers of saved artifacts, to edit a config as another Keras would have written it. */
const layersOf = (art: Artifacts) => (art.modelTopology as { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } }).config.layers;

/**
 * Runs a tfjs model and convlab's import of it on the same batch; asserts equal shapes and values
 * within 1e-4. `edit` rewrites the saved files first; `reference` replaces tfjs's predict.
 */
async function sameAsTfjs(model: tf.LayersModel, seed = 1, o: { edit?: (a: Artifacts) => void; reference?: (x: tf.Tensor) => tf.Tensor } = {}): Promise<number[]> {
  const shape = [2, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const x = pseudoRandom(shape.reduce((a, b) => a * b, 1), seed);
  const want = o.reference ? o.reference(tf.tensor(x, shape)) : (model.predict(tf.tensor(x, shape)) as tf.Tensor);
  const art = await artifactsOf(model);
  o.edit?.(art);
  const got = await runTensors(writeArtifacts(art), [{ shape, data: x, file: 'x.npy' }]);
  assert.deepEqual(got.shape, want.shape);
  const w = want.dataSync();
  for (let i = 0; i < w.length; i++) assert.ok(Math.abs(got.data[i]! - w[i]!) <= 1e-4, `element ${i}: convlab ${got.data[i]} vs tfjs ${w[i]}`);
  return got.shape;
}

/** A functional model: two conv branches of one input, concatenated on `axis`, then `tail` layers. */
function branches(axis: number, tail: tf.layers.Layer[] = []): tf.LayersModel {
  const x = tf.input({ shape: [6, 5, 3], name: 'image' });
  const a = tf.layers.conv2d({ name: 'a', filters: 4, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ name: 'b', filters: 4, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  let y = tf.layers.concatenate({ name: 'cat', axis }).apply([a, b]) as tf.SymbolicTensor;
  for (const l of tail) y = l.apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: `cat${axis}` });
}

describe('Keras axes: tfjs models run by convlab equal tfjs', () => {
  const catShapes: Record<number, number[]> = { 1: [2, 12, 5, 4], 2: [2, 6, 10, 4], 3: [2, 6, 5, 8] };
  for (const axis of [1, 2, 3, -1]) {
    it(`Concatenate(axis=${axis}) on feature maps`, async () => {
      assert.deepEqual(await sameAsTfjs(branches(axis)), catShapes[axis > 0 ? axis : axis + 4]);
    });
  }

  // tfjs 4.22's predict concatenates along the wrong axis for axis -2 and -3 (its own symbolic
  // shape says [null, 6, 10, 4] for -2, predict returns [2, 6, 5, 8]), so these are checked
  // against the tfjs model with the equal positive axis, its file rewritten to the negative one.
  for (const axis of [-2, -3]) {
    it(`Concatenate(axis=${axis}) on feature maps means axis ${axis + 4}, as tfjs's symbolic shape says`, async () => {
      const model = branches(axis + 4);
      assert.deepEqual(branches(axis).outputs[0]!.shape.slice(1), catShapes[axis + 4]!.slice(1));
      const edit = (a: Artifacts) => {
        layersOf(a).find((l) => l.class_name === 'Concatenate')!.config.axis = axis;
      };
      assert.deepEqual(await sameAsTfjs(model, 2, { edit }), catShapes[axis + 4]);
    });
  }

  it('Concatenate of vectors (axis 1 and -1) and of rank-3 sequences (axis 1, 2)', async () => {
    for (const axis of [1, -1]) {
      const x = tf.input({ shape: [12] });
      const a = tf.layers.dense({ units: 3 }).apply(x) as tf.SymbolicTensor;
      const b = tf.layers.dense({ units: 5 }).apply(x) as tf.SymbolicTensor;
      assert.deepEqual(await sameAsTfjs(tf.model({ inputs: x, outputs: tf.layers.concatenate({ axis }).apply([a, b]) as tf.SymbolicTensor })), [2, 8]);
    }
    for (const axis of [1, 2]) {
      const x = tf.input({ shape: [4, 6] });
      const a = tf.layers.dense({ units: 6 }).apply(x) as tf.SymbolicTensor;
      const y = tf.layers.concatenate({ axis }).apply([a, x]) as tf.SymbolicTensor;
      assert.deepEqual(await sameAsTfjs(tf.model({ inputs: x, outputs: y })), axis === 1 ? [2, 8, 6] : [2, 4, 12]);
    }
  });

  it('BatchNormalization over the channels (axis 3 and -1) with trained statistics', async () => {
    for (const axis of [3, -1]) {
      const m = branches(3, [tf.layers.batchNormalization({ name: 'bn', axis, epsilon: 1e-3 })]);
      const bn = m.getLayer('bn');
      bn.setWeights(bn.getWeights().map((w, k) => tf.tensor(Array.from({ length: 8 }, (_, i) => (k === 3 ? 0.5 + i / 8 : (i - 3) / (4 + k))), w.shape)));
      await sameAsTfjs(m, 3);
    }
  });

  it('Softmax over every axis, and the softmax activation', async () => {
    for (const axis of [3, -1]) await sameAsTfjs(branches(3, [tf.layers.softmax({ axis })]), 4);
    await sameAsTfjs(branches(3, [tf.layers.activation({ activation: 'softmax' })]), 5);
    // tfjs's kernels take softmax over the last axis only; over others the reference is exp / sum of the layer's input.
    for (const axis of [1, 2, -2, -3]) {
      const model = branches(3, [tf.layers.softmax({ axis })]);
      const logits = tf.model({ inputs: model.inputs, outputs: model.getLayer('cat').output as tf.SymbolicTensor });
      const reference = (x: tf.Tensor) => {
        const z = logits.predict(x) as tf.Tensor;
        const e = tf.exp(tf.sub(z, tf.max(z, axis, true)));
        return tf.div(e, tf.sum(e, axis, true));
      };
      await sameAsTfjs(model, 6, { reference });
    }
  });

  it('Dense on a feature map and on a sequence acts on the last axis', async () => {
    assert.deepEqual(await sameAsTfjs(branches(3, [tf.layers.dense({ units: 3, activation: 'relu' })])), [2, 6, 5, 3]);
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4, 6], units: 5 }), tf.layers.dense({ units: 2 })] });
    assert.deepEqual(await sameAsTfjs(m), [2, 4, 2]);
  });

  it('Permute of every order of a feature map, and Reshape with -1', async () => {
    for (const dims of [[1, 2, 3], [2, 1, 3], [3, 1, 2], [1, 3, 2], [2, 3, 1], [3, 2, 1]]) {
      const expected = [2, ...dims.map((d) => [6, 5, 8][d - 1]!)];
      assert.deepEqual(await sameAsTfjs(branches(3, [tf.layers.permute({ dims }), tf.layers.conv2d({ filters: 2, kernelSize: 2 })])), [...expected.slice(0, 3).map((d, i) => (i === 0 ? d : d - 1)), 2]);
    }
    assert.deepEqual(await sameAsTfjs(branches(3, [tf.layers.reshape({ targetShape: [30, 8] }), tf.layers.dense({ units: 2 })])), [2, 30, 2]);
    assert.deepEqual(await sameAsTfjs(branches(3, [tf.layers.reshape({ targetShape: [-1, 6] })])), [2, 40, 6]);
    assert.deepEqual(await sameAsTfjs(branches(3, [tf.layers.reshape({ targetShape: [5, 6, 8] }), tf.layers.conv2d({ filters: 2, kernelSize: 3 })])), [2, 3, 4, 2]);
  });
});

describe('Keras axes: what convlab refuses names the file, the layer and the convention', () => {
  /** A model.json whose Concatenate has `axis` (written after tfjs built a valid model). */
  async function withAxis(cls: string, axis: unknown): Promise<string> {
    const m = cls === 'Concatenate' ? branches(3) : branches(3, [tf.layers.batchNormalization({ name: 'bn' })]);
    const art = await artifactsOf(m);
    layersOf(art).find((l) => l.class_name === cls)!.config.axis = axis;
    return writeArtifacts(art);
  }

  it('an axis out of range, or the batch axis', async () => {
    for (const axis of [4, -5, 0]) {
      const file = await withAxis('Concatenate', axis);
      await assert.rejects(runTensors(file, [{ shape: [1, 6, 5, 3], data: new Float32Array(90), file: 'x.npy' }]), (e: Error) =>
        e instanceof ConvlabError && e.message.startsWith(`${file}: layer "cat" (Concatenate): axis ${axis} is out of range for inputs of rank 4 (batch included): Keras counts the batch as axis 0`));
    }
  });

  it('BatchNormalization over a spatial axis', async () => {
    const file = await withAxis('BatchNormalization', 1);
    await assert.rejects(runTensors(file, [{ shape: [1, 6, 5, 3], data: new Float32Array(90), file: 'x.npy' }]), (e: Error) =>
      e instanceof ConvlabError && e.message === `${file}: layer "bn" (BatchNormalization): normalizes over axis 1; convlab normalizes over the channel axis only, which Keras numbers 3 or -1 for inputs of rank 4 (it counts the batch as axis 0)`);
  });
});
