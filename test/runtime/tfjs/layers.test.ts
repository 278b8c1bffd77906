/**
 * convlab's custom tfjs layers against plain references: ceil-mode and padded pooling, grouped
 * and explicitly padded convs, trainable dilation, Keras 3 hard activations, LRN, Normalization,
 * ScaledAdd and the seeded dropout. Small tensors, numbers checked element by element.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { GraphBuilder } from '../../../src/graph/builder.js';
import { poolGeometry } from '../../../src/ops/pool.js';
import { initBackend } from '../../../src/runtime/tfjs/backend.js';
import { compileGraph } from '../../../src/runtime/tfjs/compile.js';
import type { GraphSpec } from '../../../src/graph/types.js';
import { resolveGraph } from '../../../src/graph/graph.js';

function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Runs a one-node spec on `x` (NHWC, batch 1 or more) and returns its output values and shape. */
function run(spec: GraphSpec, x: tf.Tensor, kwargs: Record<string, unknown> = {}): { values: Float32Array; shape: number[] } {
  const { model } = compileGraph(resolveGraph(spec), { seed: 5 });
  const y = model.apply(x, kwargs) as tf.Tensor;
  return { values: y.dataSync() as Float32Array, shape: y.shape };
}

function oneNode(input: number[], op: string, attrs: Record<string, unknown>, extraInputs = 0): GraphSpec {
  const inputs = [{ name: 'x', shape: input }, ...Array.from({ length: extraInputs }, (_, i) => ({ name: `x${i + 1}`, shape: input }))];
  return { name: 't', inputs, nodes: [{ name: 'n', op, inputs: inputs.map((i) => i.name), attrs: attrs as never }], outputs: ['n'] };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `element ${i}: ${a[i]} vs ${b[i]}`);
};

/** Direct pooling over an [H, W] single-channel map, by the geometry convlab's shape inference uses. */
function referencePool(x: Float32Array, h: number, w: number, attrs: { poolSize: [number, number]; strides: [number, number]; padding: [number, number, number, number]; ceilMode: boolean; countIncludePad: boolean }, mode: 'max' | 'avg'): Float32Array {
  const g = poolGeometry([h, w, 1], attrs);
  const out = new Float32Array(g.outH * g.outW);
  for (let i = 0; i < g.outH; i++) {
    for (let j = 0; j < g.outW; j++) {
      let best = -Infinity;
      let sum = 0;
      let count = 0;
      for (let a = 0; a < g.kh; a++) {
        for (let b = 0; b < g.kw; b++) {
          const r = i * g.sh - g.padTop + a;
          const c = j * g.sw - g.padLeft + b;
          const inside = r >= 0 && r < h && c >= 0 && c < w;
          const inPad = r >= -g.padTop && r < h + g.padBottom && c >= -g.padLeft && c < w + g.padRight;
          if (inside) {
            best = Math.max(best, x[r * w + c]!);
            sum += x[r * w + c]!;
          }
          if (inside || (attrs.countIncludePad && inPad)) count++;
        }
      }
      out[i * g.outW + j] = mode === 'max' ? best : sum / count;
    }
  }
  return out;
}

describe('custom layers', () => {
  before(async () => {
    await initBackend({ threads: 1 });
  });

  const poolCases: Array<[string, number, number, { poolSize: [number, number]; strides: [number, number]; padding: [number, number, number, number]; ceilMode: boolean; countIncludePad: boolean }]> = [
    ['3x3 stride 2 ceil mode (ZFNet)', 8, 8, { poolSize: [3, 3], strides: [2, 2], padding: [0, 0, 0, 0], ceilMode: true, countIncludePad: false }],
    ['3x3 stride 2 ceil mode, odd size', 7, 9, { poolSize: [3, 3], strides: [2, 2], padding: [0, 0, 0, 0], ceilMode: true, countIncludePad: false }],
    ['2x2 stride 2 explicit padding [1,0,1,0]', 6, 5, { poolSize: [2, 2], strides: [2, 2], padding: [1, 0, 1, 0], ceilMode: false, countIncludePad: false }],
    ['3x3 stride 1 padding 1, counting the padding', 5, 5, { poolSize: [3, 3], strides: [1, 1], padding: [1, 1, 1, 1], ceilMode: false, countIncludePad: true }],
    ['3x3 stride 2 padding 1 ceil mode, counting the padding', 6, 6, { poolSize: [3, 3], strides: [2, 2], padding: [1, 1, 1, 1], ceilMode: true, countIncludePad: true }],
  ];
  for (const mode of ['max', 'avg'] as const) {
    for (const [name, h, w, attrs] of poolCases) {
      test(`${mode} pool: ${name}`, () => {
        const xv = random(h * w, 3);
        const spec = oneNode([h, w, 1], mode === 'max' ? 'MaxPool2D' : 'AvgPool2D', attrs);
        const y = run(spec, tf.tensor4d(xv, [1, h, w, 1]));
        const g = poolGeometry([h, w, 1], attrs);
        assert.deepEqual(y.shape, [1, g.outH, g.outW, 1]);
        close(y.values, referencePool(xv, h, w, attrs, mode));
      });
    }
  }

  test('grouped conv equals separate convs over channel groups', () => {
    const xv = random(2 * 6 * 6 * 4, 1);
    const spec = oneNode([6, 6, 4], 'Conv2D', { filters: 6, kernelSize: 3, groups: 2, padding: 'same' });
    const { model } = compileGraph(resolveGraph(spec), { seed: 2 });
    const [k, b] = model.getLayer('n').getWeights();
    assert.deepEqual(k!.shape, [3, 3, 2, 6]);
    const x = tf.tensor4d(xv, [2, 6, 6, 4]);
    const y = model.apply(x) as tf.Tensor;
    const [x0, x1] = tf.split(x, 2, 3);
    const [k0, k1] = tf.split(k!, 2, 3);
    const ref = tf.concat([tf.conv2d(x0 as tf.Tensor4D, k0 as tf.Tensor4D, 1, 'same'), tf.conv2d(x1 as tf.Tensor4D, k1 as tf.Tensor4D, 1, 'same')], 3).add(b!);
    close(y.dataSync(), ref.dataSync());
  });

  test('explicit asymmetric padding equals zero padding then a valid conv', () => {
    const xv = random(1 * 7 * 6 * 2, 4);
    const spec = oneNode([7, 6, 2], 'Conv2D', { filters: 3, kernelSize: [3, 2], strides: 2, padding: [2, 0, 1, 0] });
    const { model } = compileGraph(resolveGraph(spec), { seed: 2 });
    const x = tf.tensor4d(xv, [1, 7, 6, 2]);
    const y = model.apply(x) as tf.Tensor;
    const [k, b] = model.getLayer('n').getWeights();
    const ref = tf.conv2d(tf.pad(x, [[0, 0], [2, 0], [1, 0], [0, 0]]), k as tf.Tensor4D, 2, 'valid').add(b!);
    assert.deepEqual(y.shape, ref.shape);
    close(y.dataSync(), ref.dataSync());
  });

  test('a dilated conv trains: its gradients match the dense conv with a zero-expanded kernel', () => {
    const spec = oneNode([9, 9, 2], 'Conv2D', { filters: 3, kernelSize: 3, dilation: 2, padding: 'same', useBias: false });
    const { model } = compileGraph(resolveGraph(spec), { seed: 2 });
    const x = tf.tensor4d(random(2 * 9 * 9 * 2, 5), [2, 9, 9, 2]);
    const variable = model.getLayer('n').weights[0]!.read() as tf.Variable;
    const kernel = variable as tf.Tensor4D;
    const dy = tf.tensor4d(random(2 * 9 * 9 * 3, 6), [2, 9, 9, 3]);
    const loss = (xx: tf.Tensor) => (model.apply(xx) as tf.Tensor).mul(dy).sum() as tf.Scalar;
    // The two paths training takes: the input gradient flows back, the kernel gradient updates.
    const gx = tf.grad(loss)(x);
    const gk = tf.variableGrads(() => loss(x), [variable]).grads[variable.name];
    // The reference: dilation as zeros between taps, a plain conv, gradients by tfjs itself.
    const expand = (k: tf.Tensor4D) => k.reshape([3, 1, 3, 1, 2, 3]).pad([[0, 0], [0, 1], [0, 0], [0, 1], [0, 0], [0, 0]]).reshape([6, 6, 2, 3]).slice([0, 0, 0, 0], [5, 5, 2, 3]) as tf.Tensor4D;
    const [rx, rk] = tf.grads((xx: tf.Tensor, kk: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, expand(kk as tf.Tensor4D), 1, 'same').mul(dy).sum())([x, kernel]);
    close(gx!.dataSync(), rx!.dataSync(), 1e-4);
    close(gk!.dataSync(), rk!.dataSync(), 1e-4);
  });

  test('hard_sigmoid and hard_swish follow Keras 3: relu6(x + 3) / 6', () => {
    const xs = [-5, -3, -1.5, 0, 1, 3, 4.5];
    const x = tf.tensor4d(xs, [1, 1, xs.length, 1]);
    const hs = (v: number) => Math.min(Math.max(v + 3, 0), 6) / 6;
    close(run(oneNode([1, xs.length, 1], 'Activation', { fn: 'hard_sigmoid' }), x).values, xs.map(hs));
    close(run(oneNode([1, xs.length, 1], 'Activation', { fn: 'hard_swish' }), x).values, xs.map((v) => v * hs(v)));
    // Fused into a conv, the activation becomes its own layer after the conv.
    const b = new GraphBuilder('fused');
    const y = b.conv2d(b.input([4, 4, 2]), { filters: 2, kernelSize: 1, activation: 'hard_swish', name: 'conv' });
    const { model } = compileGraph(resolveGraph(b.build(y)));
    assert.deepEqual(model.layers.map((l) => l.name), ['input', 'conv', 'conv_hard_swish']);
    // A node already named like the helper layer keeps its name; the helper takes another.
    const b2 = new GraphBuilder('clash');
    const c2 = b2.conv2d(b2.input([4, 4, 2]), { filters: 2, kernelSize: 1, activation: 'hard_swish', name: 'conv' });
    const spec2 = b2.build(b2.activation(c2, 'relu', 'conv_hard_swish'));
    assert.deepEqual(compileGraph(resolveGraph(spec2)).model.layers.map((l) => l.name), ['input', 'conv', 'conv_hard_swish_1', 'conv_hard_swish']);
  });

  test('LRN: x / (bias + alpha·Σ x²)^beta over size neighbouring channels', () => {
    const c = 7;
    const xv = random(2 * c, 8);
    const attrs = { size: 5, alpha: 0.01, beta: 0.75, bias: 2 };
    const y = run(oneNode([1, 2, c], 'LRN', attrs), tf.tensor4d(xv, [1, 1, 2, c]));
    const ref = Array.from(xv, (v, i) => {
      const px = Math.floor(i / c);
      const ch = i % c;
      let sq = 0;
      for (let k = Math.max(0, ch - 2); k <= Math.min(c - 1, ch + 2); k++) sq += xv[px * c + k]! ** 2;
      return v / (attrs.bias + attrs.alpha * sq) ** attrs.beta;
    });
    close(y.values, ref);
  });

  test('Normalization divides by max(sqrt(variance), 1e-7) and keeps 2·C + 1 non-trainable weights', () => {
    const spec = oneNode([1, 2, 3], 'Normalization', { mean: [1, 2, 3], variance: [4, 0, 0.25] });
    const { model } = compileGraph(resolveGraph(spec));
    assert.equal(model.countParams(), 7);
    assert.equal(model.trainableWeights.length, 0);
    const y = (model.apply(tf.tensor4d([3, 2, 4, 5, 2, 2], [1, 1, 2, 3])) as tf.Tensor).dataSync();
    close(y, [1, 0, 2, 2, 0, -2]);
  });

  test('ScaledAdd: x + scale·y', () => {
    const spec = oneNode([1, 1, 3], 'ScaledAdd', { scale: 0.17 }, 1);
    const { model } = compileGraph(resolveGraph(spec));
    const y = (model.apply([tf.tensor4d([1, 2, 3], [1, 1, 1, 3]), tf.tensor4d([10, 20, 30], [1, 1, 1, 3])]) as tf.Tensor).dataSync();
    close(y, [2.7, 5.4, 8.1]);
  });

  test('dropout: identity at inference; in training the mask follows the step seed, and keeps the mean', () => {
    const spec = oneNode([32, 32, 4], 'Dropout', { rate: 0.5 });
    const x = tf.ones([2, 32, 32, 4]);
    assert.deepEqual(Array.from(run(spec, x).values.slice(0, 8)), new Array(8).fill(1));
    const a = run(spec, x, { training: true, dropoutSeed: 11 }).values;
    const b = run(spec, x, { training: true, dropoutSeed: 11 }).values;
    const c = run(spec, x, { training: true, dropoutSeed: 12 }).values;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(a.every((v) => v === 0 || v === 2));
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(Math.abs(mean - 1) < 0.05, `mean ${mean}`);
  });

  test('BatchNorm in training: output, gradients and moving statistics match tfjs\' own layer', () => {
    const b = new GraphBuilder('bn');
    const out = b.batchNorm(b.input([3, 4, 5]), { name: 'bn', momentum: 0.9 });
    const { model } = compileGraph(resolveGraph(b.build(out)));
    const ours = model.getLayer('bn');
    const theirs = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-3 });
    theirs.build([null, 3, 4, 5]);
    const gamma = tf.tensor1d([0.5, 1, 1.5, 2, -1]);
    const beta = tf.tensor1d([0, 0.1, -0.2, 0.3, 1]);
    const stats = [tf.tensor1d([0.1, 0, 0, 0.2, 0]), tf.tensor1d([1, 2, 1, 0.5, 1])];
    ours.setWeights([gamma, beta, ...stats]);
    theirs.setWeights([gamma, beta, ...stats]);
    const x = tf.tensor4d(random(6 * 3 * 4 * 5, 11).map((v) => v * 3 + 1), [6, 3, 4, 5]);
    const dy = tf.tensor4d(random(6 * 3 * 4 * 5, 12), [6, 3, 4, 5]);
    const grads = (layer: tf.layers.Layer) => {
      const [g, bt] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const loss = () => (layer.apply(x, { training: true }) as tf.Tensor).mul(dy).sum() as tf.Scalar;
      const dx = tf.grad((xx: tf.Tensor) => (layer.apply(xx, { training: true }) as tf.Tensor).mul(dy).sum())(x);
      const { grads: gw } = tf.variableGrads(loss, [g!, bt!]);
      return { y: (layer.apply(x, { training: true }) as tf.Tensor).dataSync(), dx: dx.dataSync(), dGamma: gw[g!.name]!.dataSync(), dBeta: gw[bt!.name]!.dataSync() };
    };
    const a = grads(ours);
    const r = grads(theirs);
    close(a.y, r.y, 1e-5);
    close(a.dx, r.dx, 1e-5);
    close(a.dGamma, r.dGamma, 1e-4);
    close(a.dBeta, r.dBeta, 1e-5);
    // Both layers were called the same number of times, each call moving the statistics.
    close(ours.getWeights()[2]!.dataSync(), theirs.getWeights()[2]!.dataSync(), 1e-6);
    close(ours.getWeights()[3]!.dataSync(), theirs.getWeights()[3]!.dataSync(), 1e-5);
  });

  test('a frozen BatchNorm runs in inference mode while the model trains, as in Keras', () => {
    const b = new GraphBuilder('bn');
    const y = b.batchNorm(b.input([2, 2, 3]), { name: 'bn', trainable: false });
    const { model } = compileGraph(resolveGraph(b.build(y)));
    const x = tf.tensor4d(random(4 * 2 * 2 * 3, 9).map((v) => v * 5 + 3), [4, 2, 2, 3]);
    const out = (model.apply(x, { training: true }) as tf.Tensor).dataSync();
    // Moving mean 0 and variance 1: the output is x / sqrt(1 + ε), and the statistics did not move.
    close(out, Array.from(x.dataSync(), (v) => v / Math.sqrt(1 + 1e-3)), 1e-4);
    close(model.getLayer('bn').getWeights()[2]!.dataSync(), [0, 0, 0]);
  });
});
