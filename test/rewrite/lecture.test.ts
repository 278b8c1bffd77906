/**
 * The lecture's design moves, applied as rewrites to graphs: every figure the slides give comes
 * out of the rewritten graph's analysis, never out of a hand-built "after" spec.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { GraphBuilder, type Tensor } from '../../src/graph/builder.js';
import type { GraphSpec } from '../../src/graph/types.js';
import { whatIf, type ChangedRow } from '../../src/rewrite/index.js';
import { getModel, inceptionModule } from '../../src/zoo/index.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** A one-input graph built by `body`. */
function graph(input: number[], body: (b: GraphBuilder, x: Tensor) => Tensor): GraphSpec {
  const b = new GraphBuilder('lecture');
  return b.build(body(b, b.input(input, 'input')));
}

/** The single changed row of a what-if. */
function only(rows: ChangedRow[]): ChangedRow {
  assert.equal(rows.length, 1, rows.map((r) => r.label).join(', '));
  return rows[0]!;
}

describe('lecture: single 5×5 layer vs two 3×3 layers (factorize)', () => {
  const spec = graph([56, 56, 64], (b, x) => b.conv2d(x, { filters: 64, kernelSize: 5, padding: 'same', activation: 'relu', name: 'conv' }));
  const row = only(whatIf(spec, ['factorize']).changed);

  test('one 5×5 needs 25/18 of the MACs of two 3×3 (c_in = c_out)', () => {
    assert.deepEqual(row.after.layers, ['conv_3x3_1', 'conv_3x3_2']);
    assert.equal(row.before.macs / row.after.macs, 25 / 18);
  });

  test('and about 25/18 of the parameters: the biases are the "+1" the slide rounds away', () => {
    assert.equal(row.before.params, 64 * (5 * 5 * 64 + 1));
    assert.equal(row.after.params, 2 * 64 * (3 * 3 * 64 + 1));
    assert.ok(Math.abs(row.before.params / row.after.params - 25 / 18) < 0.01);
  });

  test('the stack sees the same 5×5 field, and each 3×3 keeps its ReLU (two nonlinearities)', () => {
    assert.deepEqual(row.before.receptiveField!.size, [5, 5]);
    assert.deepEqual(row.after.receptiveField, row.before.receptiveField);
    const w = whatIf(spec, ['factorize']);
    assert.ok(w.spec.nodes.every((n) => n.attrs?.activation === 'relu'));
  });

  test('two 3×3 need twice the activation memory (the intermediate map)', () => {
    assert.equal(row.after.activationBytes, 2 * row.before.activationBytes);
  });
});

describe('lecture: the inception module with 1×1 bottlenecks', () => {
  // The lecture's naive module on (28,28,192): 1×1 64, 3×3 128, 5×5 32, and the pool, to (28,28,416).
  const naive = graph([28, 28, 192], (b, x) => inceptionModule(b, x, { b1: 64, b3reduce: 0, b3: 128, b5reduce: 0, b5: 32, poolProj: 0 }, 'inception'));

  test('bottleneck=2 on the 3×3 branch: 173.4 M → 14.45 M + 86.7 M ≈ 101 M MACs', () => {
    const row = only(whatIf(naive, ['bottleneck=2'], { layers: 'inception_3x3' }).changed);
    assert.deepEqual(row.after.layers, ['inception_3x3_reduce', 'inception_3x3']);
    assert.equal(row.before.macs, 28 * 28 * 128 * 3 * 3 * 192);
    assert.equal(Math.round(row.before.macs / 1e5) / 10, 173.4);
    assert.equal(row.after.macs, 28 * 28 * 96 * 192 + 28 * 28 * 128 * 3 * 3 * 96);
    assert.equal(Math.round(row.after.macs / 1e6), 101);
  });

  test("and 221,312 → 18,528 + 110,720 = 129,248 parameters: the slide's R is 192/96 = 2", () => {
    const row = only(whatIf(naive, ['bottleneck=2'], { layers: 'inception_3x3' }).changed);
    assert.equal(row.before.params, 221_312);
    assert.equal(row.after.params, 18_528 + 110_720);
  });

  test('applied to the whole module, both k×k branches get their 1×1 and the output stays (28,28,416)', () => {
    const w = whatIf(naive, ['bottleneck=2']);
    assert.deepEqual(w.changed.map((c) => c.label), ['inception_3x3', 'inception_5x5']);
    assert.deepEqual(w.after.analysis.outputs[0]!.shape, [28, 28, 416]);
    const five = w.changed[1]!;
    assert.equal(five.before.macs, 28 * 28 * 32 * 5 * 5 * 192);
    assert.equal(five.after.macs, 28 * 28 * 96 * 192 + 28 * 28 * 32 * 5 * 5 * 96);
    const saved = w.changed.reduce((s, c) => s + c.before.macs - c.after.macs, 0);
    assert.equal(w.before.analysis.totals.macs - w.after.analysis.totals.macs, saved);
  });
});

describe('lecture: spatial factorization into asymmetric convolutions', () => {
  const spec = graph([28, 28, 192], (b, x) => b.conv2d(x, { filters: 128, kernelSize: 3, name: 'conv' }));
  const w = whatIf(spec, ['asymmetric']);
  const rows = w.after.analysis.layers;

  test('(28,28,192) → 1×3 → (28,26,128) → 3×1 → (26,26,128)', () => {
    assert.deepEqual(rows.map((r) => [r.name, r.outputShape]).slice(1), [['conv_1x3', [28, 26, 128]], ['conv_3x1', [26, 26, 128]]]);
  });

  test('53.7 M + 33.2 M MACs; the 1×3 has 128·(3·192+1) = 73,856 parameters (the slide prints 50,816)', () => {
    const [first, second] = [rows[1]!, rows[2]!];
    assert.equal(Math.round(first.macs / 1e5) / 10, 53.7);
    assert.equal(Math.round(second.macs / 1e5) / 10, 33.2);
    assert.equal(first.params, 73_856);
    assert.equal(second.params, 49_280);
  });

  test('the pair sees the 3×3 field', () => {
    const row = only(w.changed);
    assert.deepEqual(row.after.receptiveField, row.before.receptiveField);
    assert.deepEqual(row.after.receptiveField!.size, [3, 3]);
  });
});

describe('lecture: depthwise-separable convolution', () => {
  const spec = graph([112, 112, 64], (b, x) => b.conv2d(x, { filters: 128, kernelSize: 3, padding: 'same', name: 'conv' }));

  test('a 3×3 conv 112×112×64 → 128 costs 1/128 + 1/9 of its MACs once separable', () => {
    const row = only(whatIf(spec, ['separable']).changed);
    assert.deepEqual(row.after.layers, ['conv_dw', 'conv_pw']);
    assert.ok(Math.abs(row.after.macs / row.before.macs - (1 / 128 + 1 / 9)) < 1e-12);
    assert.deepEqual(row.after.outputShape, [112, 112, 128]);
    assert.deepEqual(row.after.receptiveField, row.before.receptiveField);
  });
});

describe('lecture: global average pooling instead of the FC layers', () => {
  test('gap-head on VGG16 removes the 123 M parameters of its FC layers', () => {
    const w = whatIf(getModel('vgg16'), ['gap-head']);
    const row = only(w.changed);
    assert.deepEqual(row.before.layers, ['flatten', 'fc1', 'fc2', 'predictions']);
    assert.deepEqual(row.after.layers, ['avg_pool', 'predictions']);
    assert.equal(row.before.params, (25_088 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 1000 + 1000));
    assert.equal(row.after.params, 512 * 1000 + 1000);
    assert.equal(Math.round((w.before.analysis.totals.params - w.after.analysis.totals.params) / 1e6), 123);
    assert.deepEqual(w.after.analysis.outputs[0]!.shape, [1000]);
  });
});

describe('MobileNet: width and resolution multipliers (the paper\'s Tables 6 and 7)', () => {
  const macs = (spec: GraphSpec, move: string) => whatIf(spec, [move], { convention: 'macs' }).after.analysis.totals.macs;

  test('width=0.5 gives the paper\'s 149 M MACs, the same graph Keras builds with alpha 0.5', () => {
    const after = whatIf(getModel('mobilenet'), ['width=0.5']);
    assert.equal(Math.round(after.after.analysis.totals.macs / 1e6), 149);
    const keras = analyze(resolveGraph(getModel('mobilenet', { alpha: 0.5 }))).totals;
    assert.equal(after.after.analysis.totals.params, keras.params);
    assert.equal(after.after.analysis.totals.macs, keras.macs);
  });

  test('resolution=160,160 gives 291 M MACs (the paper rounds 290.7 M down to 290)', () => {
    const m = macs(getModel('mobilenet'), 'resolution=160,160');
    assert.equal(Math.round(m / 1e6), 291);
    assert.equal(m, analyze(resolveGraph(getModel('mobilenet', { input: [160, 160, 3] }))).totals.macs);
  });

  test('ρ = 0.714 reaches the same 160×160', () => {
    assert.equal(macs(getModel('mobilenet'), 'resolution=0.714'), macs(getModel('mobilenet'), 'resolution=160,160'));
  });
});
