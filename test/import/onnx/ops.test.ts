/** The ONNX op table, case by case: attributes, layouts, weight layouts, patterns and refusals. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AttributeError, ConvlabError, SpecError } from '../../../src/core/errors.js';
import type { GraphSpec } from '../../../src/graph/types.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnx, SUPPORTED_OPS } from '../../../src/import/onnx/import.js';
import { FOLDERS } from '../../../src/import/onnx/fold.js';
import { repoRoot } from '../../helpers/paths.js';
import { attr, floatTensor, int64Tensor, node, onnxOf, single, tensorInfo, weight } from './helpers.js';
import type { AttributeProto } from '../../../src/onnx/proto.js';

const imp = (bytes: Uint8Array) => importOnnx(bytes, { source: 'case.onnx', weights: true });
const only = (spec: GraphSpec) => {
  assert.equal(spec.nodes.length, 1, `expected one node; got ${spec.nodes.map((n) => n.op).join(', ')}`);
  return spec.nodes[0]!;
};
const fails = (run: () => unknown, cls: new (...a: never[]) => ConvlabError, pattern: RegExp) =>
  assert.throws(run, (e: Error) => e instanceof cls && pattern.test(e.message) && !e.message.includes('\n'));

describe('ONNX import: convolutions', () => {
  const conv = (attrs: Parameters<typeof single>[1], w = [6, 4, 3, 3], extra: { input?: number[] } = {}) =>
    single('Conv', attrs, { inputs: ['w'], initializers: [weight('w', w)], ...extra });

  test('pads [top, left, bottom, right] become explicit [top, bottom, left, right]', () => {
    const n = only(imp(conv([attr.ints('pads', [1, 2, 0, 3]), attr.ints('strides', [2, 1])])).spec);
    assert.equal(n.op, 'Conv2D');
    assert.deepEqual(n.attrs!.padding, [1, 0, 2, 3]);
    assert.deepEqual(n.attrs!.strides, [2, 1]);
    assert.equal(n.attrs!.useBias, false);
  });

  test('auto_pad SAME_UPPER is "same"; SAME_LOWER puts the odd pixel first', () => {
    assert.equal(only(imp(conv([attr.string('auto_pad', 'SAME_UPPER')], [6, 4, 2, 2])).spec).attrs!.padding, 'same');
    assert.deepEqual(only(imp(conv([attr.string('auto_pad', 'SAME_LOWER')], [6, 4, 2, 2])).spec).attrs!.padding, [1, 0, 1, 0]);
    assert.equal(only(imp(conv([attr.string('auto_pad', 'VALID')])).spec).attrs!.padding, 'valid');
  });

  test('OIHW weights become Keras HWIO', () => {
    const { spec, weights } = imp(conv([], [6, 4, 3, 3]));
    const k = weights!.get(`${only(spec).name}/kernel`)!;
    const w = weight('w', [6, 4, 3, 3]);
    const src = new Float32Array(w.rawData!.buffer.slice(w.rawData!.byteOffset, w.rawData!.byteOffset + w.rawData!.byteLength));
    // HWIO [i, j, c, o] = OIHW [o, c, i, j]
    for (const [o, c, i, j] of [[0, 0, 0, 0], [5, 3, 2, 1], [2, 1, 0, 2]] as const) {
      assert.equal(k[((i * 3 + j) * 4 + c) * 6 + o], src[((o * 4 + c) * 3 + i) * 3 + j]);
    }
  });

  test('group = input channels is a depthwise conv with its multiplier', () => {
    const { spec, weights } = imp(conv([attr.int('group', 4)], [8, 1, 3, 3]));
    const n = only(spec);
    assert.equal(n.op, 'DepthwiseConv2D');
    assert.equal(n.attrs!.depthMultiplier, 2);
    const k = weights!.get(`${n.name}/depthwise_kernel`)!;
    const w = weight('w', [8, 1, 3, 3]);
    const src = new Float32Array(w.rawData!.buffer.slice(w.rawData!.byteOffset, w.rawData!.byteOffset + w.rawData!.byteLength));
    // Keras [i, j, c, m] = ONNX [c·dm + m, 0, i, j]
    for (const [c, m, i, j] of [[3, 1, 2, 2], [0, 1, 1, 0]] as const) assert.equal(k[((i * 3 + j) * 4 + c) * 2 + m], src[((c * 2 + m) * 3 + i) * 3 + j]);
  });

  test('other groups stay a grouped Conv2D', () => {
    const n = only(imp(conv([attr.int('group', 2)], [6, 2, 3, 3])).spec);
    assert.equal(n.op, 'Conv2D');
    assert.equal(n.attrs!.groups, 2);
  });

  test('a weight that does not fit the input is refused with both shapes', () => {
    fails(() => imp(conv([], [6, 3, 3, 3])), SpecError, /node op \(Conv\) at index 0: weight W "w" must have shape \[K, 4, kh, kw\].*it has \[6, 3, 3, 3\]/);
  });

  test('ConvTranspose is Conv2DTranspose: (cin, K/group, kh, kw) becomes Keras (kh, kw, K/group, cin), pads and output_padding kept', () => {
    const bytes = single('ConvTranspose', [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('output_padding', [1, 1])], { inputs: ['w'], initializers: [weight('w', [4, 2, 3, 3])] });
    const { spec, weights } = imp(bytes);
    const n = only(spec);
    assert.deepEqual([n.op, n.attrs!.filters, n.attrs!.padding, n.attrs!.outputPadding], ['Conv2DTranspose', 2, [1, 1, 1, 1], [1, 1]]);
    const k = weights!.get(`${n.name}/kernel`)!;
    const w = weight('w', [4, 2, 3, 3]);
    const src = new Float32Array(w.rawData!.buffer.slice(w.rawData!.byteOffset, w.rawData!.byteOffset + w.rawData!.byteLength));
    for (const [c, o, i, j] of [[0, 0, 0, 0], [3, 1, 2, 1], [1, 0, 1, 2]] as const) assert.equal(k[((i * 3 + j) * 2 + o) * 4 + c], src[((c * 2 + o) * 3 + i) * 3 + j]);
  });

  test('ConvTranspose output_shape and SAME auto_pad become the pads ONNX derives, output padding past the kernel', () => {
    const w = { inputs: ['w'], initializers: [weight('w', [4, 2, 3, 3])] };
    const stride2 = attr.ints('strides', [2, 2]);
    // 6 inputs, kernel 3, stride 2 reach 13 outputs: 12 crops 1 (at the start without SAME_UPPER), 14 adds 1 at the end.
    const cases: Array<[AttributeProto[], number[], number[] | null]> = [
      [[stride2, attr.ints('output_shape', [12, 12])], [1, 0, 1, 0], null],
      [[stride2, attr.string('auto_pad', 'SAME_UPPER')], [0, 1, 0, 1], null],
      [[stride2, attr.string('auto_pad', 'SAME_LOWER')], [1, 0, 1, 0], null],
      [[stride2, attr.ints('output_shape', [14, 13])], [0, 0, 0, 0], [1, 0]],
    ];
    for (const [attrs, padding, outputPadding] of cases) {
      const { spec, graph } = imp(single('ConvTranspose', attrs, w));
      const n = only(spec);
      assert.deepEqual([n.attrs!.padding, n.attrs!.outputPadding], [padding, outputPadding]);
      const target = attrs[1]!.name === 'output_shape' ? attrs[1]!.ints! : [12, 12];
      assert.deepEqual(graph.shapes.get(n.name)!.slice(0, 2), target);
    }
    // Stride 1 reaches 8: a 12 would need rows before the first output, which convlab does not pad.
    fails(() => imp(single('ConvTranspose', [attr.ints('output_shape', [12, 12])], w)), AttributeError, /output_shape = \[12,12\] is not supported: it asks for 2 row\(s\) before the first output/);
    fails(() => imp(single('ConvTranspose', [attr.string('auto_pad', 'SAME_MIDDLE')], w)), AttributeError, /auto_pad = "SAME_MIDDLE" is not supported/);
  });
});

describe('ONNX import: pooling', () => {
  test('MaxPool keeps pads and ceil mode; strides default to 1 as ONNX says', () => {
    const n = only(imp(single('MaxPool', [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.int('ceil_mode', 1)])).spec);
    assert.deepEqual([n.op, n.attrs!.poolSize, n.attrs!.strides, n.attrs!.padding, n.attrs!.ceilMode], ['MaxPool2D', [3, 3], [1, 1], [1, 1, 1, 1], true]);
  });

  test('AveragePool keeps count_include_pad', () => {
    const n = only(imp(single('AveragePool', [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2]), attr.int('count_include_pad', 1)])).spec);
    assert.deepEqual([n.op, n.attrs!.countIncludePad], ['AvgPool2D', true]);
  });

  test('GlobalAveragePool keeps dims when a conv follows', () => {
    const bytes = onnxOf({
      nodes: [node('GlobalAveragePool', ['x'], ['g']), node('Conv', ['g', 'w'], ['y'])],
      inputs: [tensorInfo('x', [1, 4, 5, 5])], outputs: [tensorInfo('y', [])], initializers: [weight('w', [2, 4, 1, 1])],
    });
    const { spec } = imp(bytes);
    assert.equal(spec.nodes[0]!.attrs!.keepDims, true);
  });

  test('dilations are kept', () => {
    assert.deepEqual(only(imp(single('MaxPool', [attr.ints('kernel_shape', [2, 2]), attr.ints('dilations', [2, 2])])).spec).attrs!.dilation, [2, 2]);
  });
});

describe('ONNX import: Gemm and MatMul become Dense', () => {
  const vec = (nodes: ReturnType<typeof node>[], inits: ReturnType<typeof weight>[]) =>
    onnxOf({ nodes, inputs: [tensorInfo('x', [1, 3])], outputs: [tensorInfo('y', [])], initializers: inits });

  test('transB, alpha and beta all give the Keras kernel [nin, nout] and bias', () => {
    const wt = floatTensor('w', [2, 3], Float32Array.of(1, 2, 3, 4, 5, 6));
    const w = floatTensor('w', [3, 2], Float32Array.of(1, 4, 2, 5, 3, 6));
    const b = floatTensor('b', [2], Float32Array.of(10, 20));
    const a = imp(vec([node('Gemm', ['x', 'w', 'b'], ['y'], [attr.int('transB', 1)])], [wt, b]));
    const c = imp(vec([node('Gemm', ['x', 'w', 'b'], ['y'], [attr.float('alpha', 2), attr.float('beta', 0.5)])], [w, b]));
    assert.deepEqual(Array.from(a.weights!.get('y/kernel')!), [1, 4, 2, 5, 3, 6]);
    assert.deepEqual(Array.from(c.weights!.get('y/kernel')!), [2, 8, 4, 10, 6, 12]);
    assert.deepEqual(Array.from(c.weights!.get('y/bias')!), [5, 10]);
    assert.deepEqual(only(a.spec).attrs, { units: 2, useBias: true });
  });

  test('MatMul + Add is one Dense with a bias', () => {
    const { spec, weights } = imp(vec([node('MatMul', ['x', 'w'], ['m']), node('Add', ['m', 'b'], ['y'])], [weight('w', [3, 4]), floatTensor('b', [4], Float32Array.of(1, 2, 3, 4))]));
    const n = only(spec);
    assert.deepEqual([n.op, n.name, n.attrs!.useBias], ['Dense', 'm', true]);
    assert.deepEqual(Array.from(weights!.get('m/bias')!), [1, 2, 3, 4]);
  });

  test('a product of two computed tensors is refused', () => {
    fails(() => imp(onnxOf({ nodes: [node('Relu', ['x'], ['r']), node('MatMul', ['x', 'r'], ['y'])], inputs: [tensorInfo('x', [1, 3])], outputs: [tensorInfo('y', [])] })), SpecError, /input B "r" must be a constant/);
  });
});

describe('ONNX import: activations', () => {
  test('Clip(0, 6) is relu6, from inputs (opset 11+) or attributes (before)', () => {
    const six = [floatTensor('lo', [], Float32Array.of(0)), floatTensor('hi', [], Float32Array.of(6))];
    assert.equal(only(imp(single('Clip', [], { inputs: ['lo', 'hi'], initializers: six })).spec).attrs!.fn, 'relu6');
    assert.equal(only(imp(single('Clip', [attr.float('min', 0), attr.float('max', 6)], { opset: 9 })).spec).attrs!.fn, 'relu6');
    assert.equal(only(imp(single('Clip', [], { inputs: ['lo'], initializers: six })).spec).attrs!.fn, 'relu');
  });

  test('other Clip bounds are refused with the bounds', () => {
    const bounds = [floatTensor('lo', [], Float32Array.of(-1)), floatTensor('hi', [], Float32Array.of(1))];
    fails(() => imp(single('Clip', [], { inputs: ['lo', 'hi'], initializers: bounds })), AttributeError, /min, max = \[-1,1\] is not supported/);
  });

  test("HardSigmoid must be convlab's relu6(x + 3) / 6", () => {
    assert.equal(only(imp(single('HardSigmoid', [attr.float('alpha', 1 / 6)])).spec).attrs!.fn, 'hard_sigmoid');
    fails(() => imp(single('HardSigmoid', [])), AttributeError, /alpha, beta = \[0\.2,0\.5\]/);
  });

  test('Softmax over channels only', () => {
    assert.equal(only(imp(single('Softmax', [attr.int('axis', 1)])).spec).attrs!.fn, 'softmax');
    fails(() => imp(single('Softmax', [attr.int('axis', 2)])), AttributeError, /axis 2 of a rank-4 tensor/);
  });

  test('x · sigmoid(x) is swish and x · hard_sigmoid(x) is hard_swish', () => {
    const model = (gate: ReturnType<typeof node>) => onnxOf({ nodes: [gate, node('Mul', ['x', 's'], ['y'])], inputs: [tensorInfo('x', [1, 4, 3, 3])], outputs: [tensorInfo('y', [])] });
    assert.equal(only(imp(model(node('Sigmoid', ['x'], ['s']))).spec).attrs!.fn, 'swish');
    assert.equal(only(imp(model(node('HardSigmoid', ['x'], ['s'], [attr.float('alpha', 1 / 6)]))).spec).attrs!.fn, 'hard_swish');
  });

  test('a sigmoid read elsewhere too stays a sigmoid, gated by Multiply', () => {
    const { spec } = imp(onnxOf({
      nodes: [node('Sigmoid', ['x'], ['s']), node('Mul', ['x', 's'], ['y']), node('Add', ['y', 's'], ['z'])],
      inputs: [tensorInfo('x', [1, 4, 3, 3])], outputs: [tensorInfo('z', [])],
    }));
    assert.deepEqual(spec.nodes.map((n) => n.op), ['Activation', 'Multiply', 'Add']);
  });

  test('LRN divides ONNX alpha by size (convlab uses the plain sum of squares)', () => {
    const n = only(imp(single('LRN', [attr.int('size', 5), attr.float('alpha', 1e-4), attr.float('bias', 2)])).spec);
    assert.ok(Math.abs((n.attrs!.alpha as number) - 2e-5) < 1e-12);
    assert.deepEqual([n.attrs!.size, n.attrs!.bias], [5, 2]);
  });
});

describe('ONNX import: shapes and layouts', () => {
  test('Concat axes map from NCHW to NHWC', () => {
    const cat = (axis: number) => only(imp(onnxOf({ nodes: [node('Concat', ['x', 'x'], ['y'], [attr.int('axis', axis)])], inputs: [tensorInfo('x', [1, 4, 3, 5])], outputs: [tensorInfo('y', [])] })).spec);
    assert.equal(cat(1).attrs!.axis, -1);
    assert.equal(cat(2).attrs!.axis, 0);
    assert.equal(cat(-1).attrs!.axis, 1);
  });

  test('Pad with zeros is ZeroPadding2D, negative pads crop, reflect and edge are BorderPad2D, wrap is refused', () => {
    const pad = (pads: number[], mode?: string) =>
      imp(single('Pad', mode ? [attr.string('mode', mode)] : [], { inputs: ['p'], initializers: [int64Tensor('p', [8], pads)] }));
    const p = only(pad([0, 0, 1, 2, 0, 0, 3, 4]).spec);
    assert.deepEqual([p.op, p.attrs!.padding], ['ZeroPadding2D', [1, 3, 2, 4]]);
    const c = only(pad([0, 0, -1, 0, 0, 0, 0, -2]).spec);
    assert.deepEqual([c.op, c.attrs!.cropping], ['Cropping2D', [1, 0, 0, 2]]);
    const r = only(pad([0, 0, 1, 2, 0, 0, 3, 4], 'reflect').spec);
    assert.deepEqual([r.op, r.attrs!.padding, r.attrs!.mode], ['BorderPad2D', [1, 3, 2, 4], 'reflect']);
    assert.equal(only(pad([0, 0, 1, 1, 0, 0, 1, 1], 'edge').spec).attrs!.mode, 'edge');
    fails(() => pad([0, 0, -1, 0, 0, 0, 0, 0], 'edge'), SpecError, /crops in edge mode/);
    fails(() => pad([0, 0, 1, 1, 0, 0, 1, 1], 'wrap'), AttributeError, /mode = "wrap" is not supported/);
    const valued = only(imp(single('Pad', [], { inputs: ['p', 'v'], initializers: [int64Tensor('p', [8], [0, 0, 1, 0, 0, 0, 0, 2]), floatTensor('v', [], Float32Array.of(-0.5))] })).spec);
    assert.deepEqual([valued.op, valued.attrs!.padding, valued.attrs!.value], ['ConstantPad2D', [1, 0, 0, 2], -0.5]);
    fails(() => pad([0, 1, 0, 0, 0, 0, 0, 0]), SpecError, /pads the batch or channel axis/);
  });

  test('an NHWC input is recognised by its Transpose, and the Transpose costs nothing', () => {
    const { spec } = imp(onnxOf({
      nodes: [node('Transpose', ['x'], ['t'], [attr.ints('perm', [0, 3, 1, 2])]), node('Relu', ['t'], ['y'])],
      inputs: [tensorInfo('x', [1, 8, 6, 3])], outputs: [tensorInfo('y', [])],
    }));
    assert.deepEqual(spec.inputs, [{ name: 'x', shape: [8, 6, 3] }]);
    assert.deepEqual(spec.nodes.map((n) => n.op), ['Activation']);
  });

  test('a Flatten of a map reaching the graph output is refused: its order would differ', () => {
    fails(() => imp(single('Flatten', [])), SpecError, /graph output "y" is an NCHW flatten of a \[6, 6, 4\] map/);
  });

  test('a Flatten of a map read by something other than a dense layer is refused', () => {
    const bytes = onnxOf({ nodes: [node('Flatten', ['x'], ['f']), node('Add', ['f', 'f'], ['y'])], inputs: [tensorInfo('x', [1, 4, 6, 6])], outputs: [tensorInfo('y', [])] });
    fails(() => imp(bytes), SpecError, /node y \(Add\) at index 1: input "f" is an NCHW flatten/);
  });

  test('free spatial dimensions need an input shape', () => {
    const bytes = onnxOf({ nodes: [node('Relu', ['x'], ['y'])], inputs: [tensorInfo('x', ['N', 3, 'H', 'W'])], outputs: [tensorInfo('y', [])] });
    fails(() => imp(bytes), SpecError, /input "x" has shape \[N, 3, H, W\] with free dimensions; give a fixed size \(input H,W,C\)/);
    assert.deepEqual(importOnnx(bytes, { input: [32, 24, 3] }).spec.inputs[0]!.shape, [32, 24, 3]);
  });
});

describe('ONNX import: names', () => {
  test('ONNX names are sanitized deterministically and made unique', () => {
    const bytes = onnxOf({
      nodes: [node('Relu', ['input.1'], ['a'], [], '/layer1/layer1.0/conv1/Conv'), node('Relu', ['a'], ['b'], [], 'layer1.layer1_0.conv1.Conv'), node('Relu', ['b'], ['c'], [], '')],
      inputs: [tensorInfo('input.1', [1, 2, 3, 3])], outputs: [tensorInfo('c', [])],
    });
    const { spec } = imp(bytes);
    assert.deepEqual(spec.nodes.map((n) => n.name), ['layer1_layer1_0_conv1_Conv', 'layer1_layer1_0_conv1_Conv_1', 'c']);
    assert.deepEqual(spec.inputs.map((i) => i.name), ['input_1']);
    assert.deepEqual(spec.outputs, ['c']);
  });
});

describe('ONNX import: what cannot be mapped is reported by name', () => {
  test('an unknown op names the node, its type and its index', () => {
    const relus = Array.from({ length: 12 }, (_, i) => node('Relu', [i === 0 ? 'x' : `r${i - 1}`], [`r${i}`]));
    const bytes = onnxOf({ nodes: [...relus, node('Mish', ['r11'], ['y'], [], 'act/mish')], inputs: [tensorInfo('x', [1, 2, 3, 3])], outputs: [tensorInfo('y', [])] });
    fails(() => imp(bytes), SpecError, /^case\.onnx: node act\/mish \(Mish\) at index 12: ONNX op Mish has no convlab equivalent/);
  });

  test('an op of another domain is named with its domain', () => {
    const bytes = onnxOf({ nodes: [{ ...node('FusedConv', ['x'], ['y']), domain: 'com.microsoft' }], inputs: [tensorInfo('x', [1, 2, 3, 3])], outputs: [tensorInfo('y', [])] });
    fails(() => imp(bytes), SpecError, /node y \(FusedConv\) at index 0: ONNX op com\.microsoft\.FusedConv has no convlab equivalent/);
  });

  test('a constant added with a shape no convlab op takes is refused', () => {
    fails(() => imp(single('Add', [], { inputs: ['c'], initializers: [weight('c', [1, 1, 6, 6])] })), SpecError, /adding by a constant of shape \[1, 1, 6, 6\] has no convlab op/);
  });
});

describe('ONNX import: documentation', () => {
  test('docs/import.md names every mapped and every folded op', () => {
    const doc = readFileSync(join(repoRoot(), 'docs', 'import.md'), 'utf8');
    const missing = [...SUPPORTED_OPS, ...Object.keys(FOLDERS), 'Shape', 'Size'].filter((op) => !doc.includes(`\`${op}\``));
    assert.deepEqual(missing, []);
  });
});

describe('ONNX import: activations with parameters, PRelu, Split and Resize', () => {
  test('LeakyRelu and Elu keep their alpha; Selu needs its fixed constants', () => {
    const leaky = only(imp(single('LeakyRelu', [attr.float('alpha', 0.125)])).spec);
    assert.deepEqual([leaky.op, leaky.attrs!.fn, leaky.attrs!.alpha], ['Activation', 'leaky_relu', 0.125]);
    assert.equal(only(imp(single('LeakyRelu')).spec).attrs!.alpha, 0.01, 'ONNX default slope');
    assert.equal(only(imp(single('Elu')).spec).attrs!.alpha, 1);
    assert.equal(only(imp(single('Selu')).spec).attrs!.fn, 'selu');
    fails(() => imp(single('Selu', [attr.float('gamma', 2)])), AttributeError, /alpha, gamma = .* is not supported: convlab's selu has the fixed constants/);
  });

  test('PRelu takes one slope per channel ([C, 1, 1]) or one for all', () => {
    const { spec, weights } = imp(single('PRelu', [], { inputs: ['s'], initializers: [floatTensor('s', [4, 1, 1], Float32Array.of(0.1, 0.2, 0.3, 0.4))] }));
    assert.equal(only(spec).op, 'PReLU');
    assert.deepEqual(Array.from(weights!.get(`${only(spec).name}/alpha`)!), Array.from(Float32Array.of(0.1, 0.2, 0.3, 0.4)));
    fails(() => imp(single('PRelu', [], { inputs: ['s'], initializers: [floatTensor('s', [4], new Float32Array(4))] })), SpecError, /slope "s" must have shape \[4, 1, 1\] \(one per channel\) or a scalar; it has \[4\]/);
  });

  test('Split along channels is one Split node per output; other axes are refused', () => {
    const bytes = onnxOf({
      nodes: [node('Split', ['x', 's'], ['a', 'b'], [attr.int('axis', 1)], 'split')],
      inputs: [tensorInfo('x', [1, 4, 6, 6])], outputs: [tensorInfo('a', []), tensorInfo('b', [])],
      initializers: [int64Tensor('s', [2], [1, 3])], opset: 13,
    });
    const { spec } = imp(bytes);
    assert.deepEqual(spec.nodes.map((n) => [n.op, n.attrs!.splits, n.attrs!.index]), [['Split', [1, 3], 0], ['Split', [1, 3], 1]]);
    fails(() => imp(single('Split', [attr.int('axis', 2)])), AttributeError, /axis 2 of a rank-4 tensor is not supported: convlab splits along the channel axis/);
  });

  test('Resize: every sampling maps; what convlab cannot read is refused by name', () => {
    const resize = (attrs: Parameters<typeof single>[1], scales: number[]) =>
      imp(single('Resize', attrs, { inputs: ['', 'sc'], initializers: [floatTensor('sc', [4], Float32Array.from(scales))] }));
    const near = only(resize([attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')], [1, 1, 2, 2]).spec);
    assert.deepEqual([near.op, near.attrs!.scale, near.attrs!.mode, near.attrs!.rounding], ['Resize', [2, 2], 'nearest', undefined]);
    // Fractional factors stay factors: ONNX places samples by them.
    const lin = only(resize([attr.string('mode', 'linear')], [1, 1, 1.5, 2]).spec);
    assert.deepEqual([lin.attrs!.scale, lin.attrs!.mode, lin.attrs!.coordinates], [[1.5, 2], 'bilinear', 'half_pixel']);
    const nn = only(resize([attr.string('mode', 'nearest'), attr.string('nearest_mode', 'ceil')], [1, 1, 0.6, 0.6]).spec);
    assert.deepEqual([nn.attrs!.coordinates, nn.attrs!.rounding], ['half_pixel', 'ceil']);
    const cubic = only(resize([attr.string('mode', 'cubic'), attr.float('cubic_coeff_a', -0.5), attr.int('exclude_outside', 1)], [1, 1, 2, 2]).spec);
    assert.deepEqual([cubic.attrs!.mode, cubic.attrs!.cubicA, cubic.attrs!.excludeOutside], ['bicubic', -0.5, true]);
    fails(() => resize([attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'half_pixel_symmetric')], [1, 1, 2, 2]), AttributeError, /coordinate_transformation_mode = "half_pixel_symmetric" is not supported/);
    fails(() => resize([attr.string('mode', 'nearest'), attr.string('nearest_mode', 'round_half_even')], [1, 1, 2, 2]), AttributeError, /nearest_mode = "round_half_even" is not supported/);
    fails(() => resize([attr.string('mode', 'linear'), attr.int('antialias', 1)], [1, 1, 0.5, 0.5]), AttributeError, /antialias = 1 is not supported/);
    fails(() => resize([attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'tf_crop_and_resize')], [1, 1, 2, 2]), ConvlabError, /tf_crop_and_resize is read with sizes/);
  });
});
