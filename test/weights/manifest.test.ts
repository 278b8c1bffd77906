/**
 * Every weight dtype tfjs writes (float32, int32, bool, and float32 quantized to uint8 / uint16
 * with min and scale or to float16) decodes as tf.io.decodeWeights decodes it, and a quantized
 * tfjs model runs in convlab as tfjs runs the same files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { SpecError } from '../../src/core/errors.js';
import { runTensors } from '../../src/cli/run_tensors.js';
import { toFloat16Bits } from '../../src/onnx/tensors.js';
import { checkManifest, decodeWeights, type ManifestWeight } from '../../src/weights/manifest.js';
import { artifactsOf, pseudoRandom, removeArtifacts, writeArtifacts } from '../helpers/tfjs_files.js';

before(async () => {
  await tf.setBackend('cpu');
});
after(removeArtifacts);

/** One stored weight: its manifest entry and bytes. */
interface Stored {
  spec: ManifestWeight;
  bytes: Uint8Array;
}

/** Stores float32 values the way tensorflowjs_converter's --quantize_* options do. */
function quantize(name: string, shape: number[], values: Float32Array, q: 'uint8' | 'uint16' | 'float16'): Stored {
  if (q === 'float16') return { spec: { name, shape, dtype: 'float32', quantization: { dtype: 'float16' } }, bytes: new Uint8Array(Uint16Array.from(values, toFloat16Bits).buffer) };
  const levels = q === 'uint8' ? 255 : 65535;
  const min = Math.min(...values);
  const scale = (Math.max(...values) - min) / levels || 1;
  const codes = Array.from(values, (v) => Math.round((v - min) / scale));
  const bytes = q === 'uint8' ? Uint8Array.from(codes) : new Uint8Array(Uint16Array.from(codes).buffer);
  return { spec: { name, shape, dtype: 'float32', quantization: { dtype: q, min, scale } }, bytes };
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('tfjs weight dtypes', () => {
  it('decode exactly as tf.io.decodeWeights: float32, int32, bool, uint8, uint16, float16', async () => {
    const v = pseudoRandom(30, 9).map((x) => x * 3);
    const stored: Stored[] = [
      { spec: { name: 'f/kernel', shape: [5, 6], dtype: 'float32' }, bytes: new Uint8Array(v.buffer.slice(0)) },
      { spec: { name: 'i/kernel', shape: [3], dtype: 'int32' }, bytes: new Uint8Array(Int32Array.from([-7, 0, 123456]).buffer) },
      { spec: { name: 'b/kernel', shape: [4], dtype: 'bool' }, bytes: Uint8Array.from([1, 0, 0, 1]) },
      quantize('u8/kernel', [5, 6], v, 'uint8'),
      quantize('u16/kernel', [2, 15], v, 'uint16'),
      quantize('h/kernel', [30], v, 'float16'),
      { spec: { name: 'iq/kernel', shape: [3], dtype: 'int32', quantization: { dtype: 'uint8', min: -10, scale: 0.5 } }, bytes: Uint8Array.from([0, 3, 255]) },
    ];
    const specs = stored.map((s) => s.spec);
    const bytes = concat(stored.map((s) => s.bytes));
    const ours = decodeWeights(checkManifest([{ paths: ['w.bin'], weights: specs }], 'model.json'), [bytes], 'model.json');
    const theirs = tf.io.decodeWeights(bytes.slice().buffer, specs as tf.io.WeightsManifestEntry[]);
    for (const s of specs) {
      assert.deepEqual(Array.from(ours.get(s.name)!.data), Array.from(theirs[s.name]!.dataSync()), s.name);
      assert.deepEqual(ours.get(s.name)!.shape, theirs[s.name]!.shape);
    }
    // Quantization loses precision within its step: uint8 by scale / 2, float16 by 2^-11 relative.
    const u8 = ours.get('u8/kernel')!.data;
    const step = (stored[3]!.spec.quantization as { scale: number }).scale;
    v.forEach((x, i) => assert.ok(Math.abs(u8[i]! - x) <= step / 2 + 1e-6));
  });

  it('a quantized manifest without min or scale, or with an unknown dtype, names file and weight', () => {
    const file = 'quantized/model.json';
    const group = (quantization: unknown) => [{ paths: ['w.bin'], weights: [{ name: 'conv/kernel', shape: [2], dtype: 'float32', quantization }] }];
    assert.throws(() => checkManifest(group({ dtype: 'uint8', scale: 0.1 }), file), (e: Error) =>
      e instanceof SpecError && e.message === `${file}: weight "conv/kernel" (float32 quantized as uint8): "min" must be a finite number; received undefined`);
    assert.throws(() => checkManifest(group({ dtype: 'uint16', min: 0 }), file), /"scale" must be a finite number/);
    assert.throws(() => checkManifest(group({ dtype: 'int4' }), file), /weight "conv\/kernel" has quantization dtype "int4"; tfjs quantizes to uint8, uint16 \(with min and scale\) or float16/);
  });

  for (const q of ['uint8', 'uint16', 'float16'] as const) {
    it(`a tfjs model saved with ${q} weights runs in convlab as tfjs runs the same files (within 1e-4)`, async () => {
      const m = tf.sequential({ layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }),
        tf.layers.batchNormalization({ name: 'bn' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 5, activation: 'softmax', name: 'out' }),
      ] });
      const art = await artifactsOf(m);
      const decoded = tf.io.decodeWeights(art.weightData.slice().buffer, art.weightSpecs);
      const stored = art.weightSpecs.map((s) => quantize(s.name, s.shape, decoded[s.name]!.dataSync() as Float32Array, q));
      const quantized = { modelTopology: art.modelTopology, weightSpecs: stored.map((s) => s.spec) as tf.io.WeightsManifestEntry[], weightData: concat(stored.map((s) => s.bytes)) };
      const tfjsModel = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: quantized.modelTopology as tf.io.ModelJSON['modelTopology'], weightSpecs: quantized.weightSpecs, weightData: quantized.weightData.slice().buffer }));
      const x = pseudoRandom(2 * 8 * 8 * 3, 4);
      const want = (tfjsModel.predict(tf.tensor(x, [2, 8, 8, 3])) as tf.Tensor).dataSync();
      const got = await runTensors(writeArtifacts(quantized), [{ shape: [2, 8, 8, 3], data: x, file: 'x.npy' }]);
      assert.deepEqual(got.shape, [2, 5]);
      want.forEach((w, i) => assert.ok(Math.abs(got.data[i]! - w) <= 1e-4, `${i}: ${got.data[i]} vs ${w}`));
    });
  }
});
