/** Every op's rules on a named case: output shape, params (Keras and torch), MACs, FLOPs per convention. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { OP_TYPES } from '../../src/ops/index.js';
import type { OpType } from '../../src/ops/types.js';
import type { AttrValue, Shape } from '../../src/graph/types.js';
import { resolveGraph } from '../../src/graph/graph.js';

interface Case {
  input: Shape | Shape[];
  attrs?: Record<string, AttrValue>;
  out: Shape;
  params: number;
  /** Params under the torch convention, when different. */
  torchParams?: number;
  nonTrainable?: number;
  macs: number;
  lecture: number;
  flops: number;
}

const CASES: Record<OpType, Case> = {
  Conv2D: { input: [8, 8, 4], attrs: { filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }, out: [8, 8, 6], params: 3 * 3 * 4 * 6 + 6, macs: 8 * 8 * 6 * 9 * 4, lecture: 8 * 8 * 6 * 9 * 4, flops: 2 * 8 * 8 * 6 * 9 * 4 + 8 * 8 * 6 + 8 * 8 * 6 },
  DepthwiseConv2D: { input: [8, 8, 4], attrs: { kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, useBias: false }, out: [4, 4, 8], params: 3 * 3 * 4 * 2, macs: 4 * 4 * 8 * 9, lecture: 4 * 4 * 8 * 9, flops: 2 * 4 * 4 * 8 * 9 },
  SeparableConv2D: { input: [8, 8, 4], attrs: { filters: 5, kernelSize: 3, padding: 'same' }, out: [8, 8, 5], params: 9 * 4 + 4 * 5 + 5, macs: 64 * 4 * 9 + 64 * 4 * 5, lecture: 64 * 4 * 9 + 64 * 4 * 5, flops: 2 * (64 * 4 * 9 + 64 * 4 * 5) + 64 * 5 },
  Dense: { input: [10], attrs: { units: 3, activation: 'sigmoid' }, out: [3], params: 33, macs: 30, lecture: 30, flops: 60 + 3 + 4 * 3 },
  MaxPool2D: { input: [6, 6, 2], attrs: { poolSize: 3, strides: 2, ceilMode: true }, out: [3, 3, 2], params: 0, macs: 0, lecture: 3 * 3 * 2 * 9, flops: 3 * 3 * 2 * 8 },
  AvgPool2D: { input: [6, 6, 2], attrs: { poolSize: 2 }, out: [3, 3, 2], params: 0, macs: 0, lecture: 3 * 3 * 2 * 4, flops: 3 * 3 * 2 * 4 },
  GlobalAvgPool: { input: [5, 5, 3], out: [3], params: 0, macs: 0, lecture: 75, flops: 75 },
  GlobalMaxPool: { input: [5, 5, 3], attrs: { keepDims: true }, out: [1, 1, 3], params: 0, macs: 0, lecture: 75, flops: 24 * 3 },
  BatchNorm: { input: [4, 4, 3], out: [4, 4, 3], params: 12, torchParams: 6, nonTrainable: 6, macs: 0, lecture: 0, flops: 2 * 48 },
  LRN: { input: [4, 4, 8], attrs: { size: 5 }, out: [4, 4, 8], params: 0, macs: 0, lecture: 0, flops: 13 * 128 },
  Dropout: { input: [10], attrs: { rate: 0.5 }, out: [10], params: 0, macs: 0, lecture: 0, flops: 0 },
  Flatten: { input: [2, 3, 4], out: [24], params: 0, macs: 0, lecture: 0, flops: 0 },
  Reshape: { input: [24], attrs: { shape: [2, -1, 4] }, out: [2, 3, 4], params: 0, macs: 0, lecture: 0, flops: 0 },
  Permute: { input: [2, 3, 4], attrs: { dims: [1, 0, 2] }, out: [3, 2, 4], params: 0, macs: 0, lecture: 0, flops: 0 },
  ZeroPadding2D: { input: [4, 4, 1], attrs: { padding: [1, 2] }, out: [6, 8, 1], params: 0, macs: 0, lecture: 0, flops: 0 },
  Cropping2D: { input: [6, 6, 1], attrs: { cropping: [0, 1, 2, 0] }, out: [5, 4, 1], params: 0, macs: 0, lecture: 0, flops: 0 },
  Add: { input: [[2, 2, 3], [2, 2, 3], [2, 2, 3]], out: [2, 2, 3], params: 0, macs: 0, lecture: 0, flops: 2 * 12 },
  Concat: { input: [[2, 2, 3], [2, 2, 5]], out: [2, 2, 8], params: 0, macs: 0, lecture: 0, flops: 0 },
  Multiply: { input: [[4, 4, 3], [1, 1, 3]], out: [4, 4, 3], params: 0, macs: 0, lecture: 0, flops: 48 },
  ScaledAdd: { input: [[2, 2, 3], [2, 2, 3]], attrs: { scale: 0.17 }, out: [2, 2, 3], params: 0, macs: 0, lecture: 0, flops: 24 },
  Rescaling: { input: [2, 2, 3], attrs: { scale: 1 / 127.5, offset: -1 }, out: [2, 2, 3], params: 0, macs: 0, lecture: 0, flops: 24 },
  Normalization: { input: [2, 2, 3], out: [2, 2, 3], params: 7, torchParams: 0, nonTrainable: 7, macs: 0, lecture: 0, flops: 24 },
  Activation: { input: [2, 2, 3], attrs: { fn: 'hard_swish' }, out: [2, 2, 3], params: 0, macs: 0, lecture: 0, flops: 5 * 12 },
  PReLU: { input: [4, 4, 3], out: [4, 4, 3], params: 3, macs: 0, lecture: 0, flops: 2 * 48 },
  // MACs = input positions × kernel × cin × K: 4·4·3·3·3·5; bias and relu on the 8·8·5 output.
  Conv2DTranspose: { input: [4, 4, 3], attrs: { filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }, out: [8, 8, 5], params: 3 * 3 * 5 * 3 + 5, macs: 4 * 4 * 9 * 3 * 5, lecture: 4 * 4 * 9 * 3 * 5, flops: 2 * 4 * 4 * 9 * 3 * 5 + 8 * 8 * 5 + 8 * 8 * 5 },
  ConstantPad2D: { input: [4, 4, 1], attrs: { padding: [1, 2], value: 0.5 }, out: [6, 8, 1], params: 0, macs: 0, lecture: 0, flops: 0 },
  BorderPad2D: { input: [4, 4, 1], attrs: { padding: [1, 3], mode: 'reflect' }, out: [6, 10, 1], params: 0, macs: 0, lecture: 0, flops: 0 },
  Resize: { input: [3, 4, 2], attrs: { scale: 2, mode: 'bilinear' }, out: [6, 8, 2], params: 0, macs: 0, lecture: 0, flops: 9 * 6 * 8 * 2 },
  Split: { input: [2, 2, 6], attrs: { splits: [2, 4], index: 1 }, out: [2, 2, 4], params: 0, macs: 0, lecture: 0, flops: 0 },
  // Bins of 5 rows into 2: [0, 3) and [2, 5); of 7 columns into 3: [0, 3), [2, 5), [4, 7). Σ = 6 rows · 9 columns · 2 channels.
  AdaptiveAvgPool: { input: [5, 7, 2], attrs: { outputSize: [2, 3] }, out: [2, 3, 2], params: 0, macs: 0, lecture: 6 * 9 * 2, flops: 6 * 9 * 2 },
};

function specFor(op: OpType, c: Case) {
  const shapes = (Array.isArray(c.input[0]) ? c.input : [c.input]) as Shape[];
  return {
    name: op,
    inputs: shapes.map((shape, i) => ({ name: `in${i}`, shape })),
    nodes: [{ name: 'n', op, inputs: shapes.map((_, i) => `in${i}`), attrs: c.attrs ?? {} }],
    outputs: ['n'],
  };
}

describe('op rules', () => {
  test('every registered op has a case here', () => {
    assert.deepEqual(Object.keys(CASES).sort(), [...OP_TYPES].sort());
  });
  for (const op of OP_TYPES) {
    const c = CASES[op];
    test(op, () => {
      const spec = specFor(op, c);
      const lecture = analyze(resolveGraph(spec), { convention: 'lecture' });
      const n = lecture.layers.find((l) => l.name === 'n')!;
      assert.deepEqual(n.outputShape, c.out);
      assert.equal(n.params, c.params, 'params (keras)');
      assert.equal(n.nonTrainableParams, c.nonTrainable ?? 0, 'non-trainable (keras)');
      assert.equal(n.macs, c.macs, 'MACs');
      assert.equal(n.flops, c.lecture, 'lecture flops');
      assert.equal(n.explain.flops.value, n.flops, 'explained value equals the reported one');
      const flops = analyze(resolveGraph(spec), { convention: 'flops' }).layers.find((l) => l.name === 'n')!;
      assert.equal(flops.flops, c.flops, 'hardware flops');
      assert.equal(analyze(resolveGraph(spec), { convention: 'macs' }).layers.find((l) => l.name === 'n')!.flops, c.macs, 'macs convention');
      const torch = analyze(resolveGraph(spec), { params: 'torch' }).layers.find((l) => l.name === 'n')!;
      assert.equal(torch.params, c.torchParams ?? c.params, 'params (torch)');
    });
  }
  test('trainable: false moves weights to non-trainable', () => {
    const spec = specFor('Conv2D', CASES.Conv2D);
    spec.nodes[0]!.attrs = { ...spec.nodes[0]!.attrs, trainable: false };
    const a = analyze(resolveGraph(spec));
    assert.equal(a.totals.trainableParams, 0);
    assert.equal(a.totals.nonTrainableParams, CASES.Conv2D.params);
  });
  test('grouped conv divides the kernel depth by groups', () => {
    const a = analyze(resolveGraph(specFor('Conv2D', { ...CASES.Conv2D, attrs: { filters: 8, kernelSize: 3, groups: 2, useBias: false } })));
    const n = a.layers.find((l) => l.name === 'n')!;
    assert.equal(n.params, 3 * 3 * 2 * 8);
    assert.equal(n.macs, 6 * 6 * 8 * 9 * 2);
    assert.equal(n.explain.macs.text, '6·6·8·3·3·4/2 = 5,184');
  });
  test('formulas keep their parentheses', () => {
    const lrn = analyze(resolveGraph(specFor('LRN', CASES.LRN)), { convention: 'flops' }).layers.find((l) => l.name === 'n')!;
    assert.equal(lrn.explain.flops.formula, '(2·size + 3)·hout·wout·c');
    assert.equal(lrn.explain.flops.text, '(2·5 + 3)·4·4·8 = 1,664');
    const sum = analyze(resolveGraph(specFor('Add', CASES.Add)), { convention: 'flops' }).layers.find((l) => l.name === 'n')!;
    assert.equal(sum.explain.flops.formula, '(inputs - 1)·hout·wout·c');
  });
  test('dilated pooling spreads the window: 3 taps 2 apart reach 5', () => {
    const n = analyze(resolveGraph(specFor('MaxPool2D', { ...CASES.MaxPool2D, input: [9, 9, 1], attrs: { poolSize: 3, strides: 1, dilation: 2 } }))).layers.find((l) => l.name === 'n')!;
    assert.deepEqual(n.outputShape, [5, 5, 1]);
    assert.deepEqual(n.receptiveField.size, [5, 5]);
  });
  test('Conv2DTranspose MACs divide by groups, kernel is (fh, fw, K/groups, cin)', () => {
    const n = analyze(resolveGraph(specFor('Conv2DTranspose', { ...CASES.Conv2DTranspose, input: [3, 3, 4], attrs: { filters: 6, kernelSize: 2, strides: 2, groups: 2, useBias: false } }))).layers.find((l) => l.name === 'n')!;
    assert.deepEqual(n.outputShape, [6, 6, 6]);
    assert.equal(n.params, 2 * 2 * 3 * 4);
    assert.equal(n.explain.macs.text, '3·3·2·2·4·6/2 = 432');
  });
  test('leaky_relu and elu take alpha; other functions refuse it', () => {
    assert.doesNotThrow(() => resolveGraph(specFor('Activation', { ...CASES.Activation, attrs: { fn: 'leaky_relu', alpha: 0.1 } })));
    assert.throws(() => resolveGraph(specFor('Activation', { ...CASES.Activation, attrs: { fn: 'relu', alpha: 0.1 } })), /node n \(Activation\).*alpha.*relu takes no alpha/);
  });
  test('reflect padding mirrors once: a pad as wide as the map is refused, edge padding takes any width', () => {
    assert.throws(() => resolveGraph(specFor('BorderPad2D', { ...CASES.BorderPad2D, attrs: { padding: [0, 4], mode: 'reflect' } })), /reflect padding of 4 on width needs a map larger than 4; the input has 4/);
    assert.deepEqual(analyze(resolveGraph(specFor('BorderPad2D', { ...CASES.BorderPad2D, attrs: { padding: [0, 4], mode: 'edge' } }))).layers.find((l) => l.name === 'n')!.outputShape, [4, 12, 1]);
  });
  test('Split refuses sizes that do not add up and an index past the parts', () => {
    assert.throws(() => resolveGraph(specFor('Split', { ...CASES.Split, attrs: { splits: [2, 3], index: 0 } })), /splits must be positive sizes that add up to the 6 channels/);
    assert.throws(() => resolveGraph(specFor('Split', { ...CASES.Split, attrs: { splits: [2, 4], index: 2 } })), /index must name one of the 2 parts/);
  });
  test('Resize needs exactly one of scale and size', () => {
    assert.throws(() => resolveGraph(specFor('Resize', { ...CASES.Resize, attrs: {} })), /exactly one of scale/);
    const n = analyze(resolveGraph(specFor('Resize', { ...CASES.Resize, attrs: { size: [5, 7] } }))).layers.find((l) => l.name === 'n')!;
    assert.deepEqual(n.outputShape, [5, 7, 2]);
  });
  test('Resize takes fractional factors (output ⌊in·s⌋), refuses empty outputs and a crop without roi or with scale', () => {
    const layer = (input: number[], attrs: Record<string, AttrValue>) => analyze(resolveGraph(specFor('Resize', { ...CASES.Resize, input, attrs })), { convention: 'flops' }).layers.find((l) => l.name === 'n')!;
    assert.deepEqual(layer([2, 4, 1], { scale: 0.6, mode: 'bilinear' }).outputShape, [1, 2, 1]);
    assert.throws(() => layer([2, 4, 1], { scale: 0.2 }), /leaves no rows or no columns/);
    assert.throws(() => layer([2, 4, 1], { scale: 0 }), /numbers > 0/);
    assert.throws(() => layer([4, 4, 1], { size: [3, 3], mode: 'bilinear', coordinates: 'tf_crop_and_resize' }), /tf_crop_and_resize needs roi/);
    assert.throws(() => layer([4, 4, 1], { scale: 2, mode: 'bilinear', coordinates: 'tf_crop_and_resize', roi: [0, 0, 1, 1] }), /takes size, the output \[H, W\], not scale/);
    assert.throws(() => layer([4, 4, 1], { size: [3, 3], coordinates: 'tf_crop_and_resize', roi: [0, 0, 1] }), /roi/);
  });
  test('bicubic costs five 4-tap sums per output unit and sees four units per axis', () => {
    const n = analyze(resolveGraph(specFor('Resize', { ...CASES.Resize, input: [3, 4, 2], attrs: { scale: 2, mode: 'bicubic' } })), { convention: 'flops' }).layers.find((l) => l.name === 'n')!;
    assert.equal(n.flops, 35 * 6 * 8 * 2);
    assert.equal(n.explain.flops.formula, '35·hout·wout·c');
    assert.deepEqual(n.receptiveField.size, [4, 4]);
    assert.deepEqual(n.receptiveField.jump, [0.5, 0.5]);
  });
  test('a bilinear halving reads units 0 and 1 first (centre 0.5) and moves 2 per output', () => {
    const n = analyze(resolveGraph(specFor('Resize', { ...CASES.Resize, input: [8, 8, 2], attrs: { size: [4, 4], mode: 'bilinear' } }))).layers.find((l) => l.name === 'n')!;
    assert.deepEqual(n.receptiveField.size, [2, 2]);
    assert.deepEqual(n.receptiveField.jump, [2, 2]);
    assert.deepEqual(n.receptiveField.start, [0.5, 0.5]);
  });
  test("ZFNet's deconvnet: conv1 run backwards maps (110, 110, 96) to (224, 224, 3) with the conv's MACs", () => {
    const n = analyze(resolveGraph(specFor('Conv2DTranspose', { ...CASES.Conv2DTranspose, input: [110, 110, 96], attrs: { filters: 3, kernelSize: 7, strides: 2, padding: 1, outputPadding: 1 } }))).layers.find((l) => l.name === 'n')!;
    assert.deepEqual(n.outputShape, [224, 224, 3]);
    assert.equal(n.params, 7 * 7 * 3 * 96 + 3);
    assert.equal(n.macs, 170_755_200);
    // ZFNet's conv1 forward: 110·110·96·7·7·3.
    assert.equal(n.macs, 110 * 110 * 96 * 7 * 7 * 3);
  });
});
