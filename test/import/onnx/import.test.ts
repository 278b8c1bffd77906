/** ONNX import of files convlab did not write: torchvision models and two small CNNs from PyTorch. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../../src/analysis/analyze.js';
import { DataError } from '../../../src/core/errors.js';
import { resolveGraph } from '../../../src/graph/graph.js';
import type { GraphSpec } from '../../../src/graph/types.js';
import { importOnnx } from '../../../src/import/onnx/import.js';
import { closeSession, createSession, run } from '../../../src/runtime/onnx/node.js';
import { decodeModel, tensorToFloat32 } from '../../../src/onnx/proto.js';
import { listWeights } from '../../../src/weights/map.js';
import { runReference } from '../../helpers/reference.js';
import { fixture, fixturesDir } from './helpers.js';

interface TorchCounts {
  models: Record<string, { params: number; macs: number; input: number[] }>;
}
const counts = (JSON.parse(readFileSync(join(fixturesDir(), 'torch_counts.json'), 'utf8')) as TorchCounts).models;
const zooFixtures = Object.keys(counts).filter((k) => !k.startsWith('tiny_'));

const load = (name: string, weights = false) => importOnnx(fixture(`${name}.onnx`), { source: `${name}.onnx`, weights });
const ops = (spec: GraphSpec) => spec.nodes.map((n) => (n.op === 'Activation' ? `${n.op}:${String(n.attrs!.fn)}` : n.op));

describe('ONNX import: torchvision models exported by PyTorch without parameters', () => {
  for (const name of zooFixtures) {
    test(`${name}: params and MACs equal PyTorch's own counts`, () => {
      const a = analyze(load(name).graph, { convention: 'macs', params: 'torch' });
      assert.equal(a.totals.params, counts[name]!.params);
      assert.equal(a.totals.macs, counts[name]!.macs);
      assert.deepEqual(a.outputs.map((o) => o.shape), [[1000]]);
      assert.deepEqual(a.input, counts[name]!.input);
    });
  }

  test('the figures torchvision publishes', () => {
    // torchvision's model documentation: ResNet-18 11,689,512 params, 1.814 GFLOPS (MACs).
    const r18 = analyze(load('resnet18').graph, { convention: 'macs', params: 'torch' });
    assert.equal(r18.totals.params, 11_689_512);
    assert.equal(r18.totals.macs, 1_814_073_344);
    assert.equal(analyze(load('mobilenet_v2').graph, { params: 'torch' }).totals.params, 3_504_872);
    assert.equal(analyze(load('squeezenet1_1').graph, { params: 'torch' }).totals.params, 1_235_496);
  });

  test('Keras convention counts BatchNorm statistics too', () => {
    const a = analyze(load('resnet18').graph, { params: 'keras' });
    assert.equal(load('resnet18').spec.nodes.filter((n) => n.op === 'BatchNorm').length, 20);
    assert.equal(a.totals.nonTrainableParams, 9_600, 'moving mean and variance: 2·(64·5 + 128·5 + 256·5 + 512·5)');
  });

  test('node names come from ONNX names, sanitized and unique', () => {
    const names = load('resnet18').spec.nodes.map((n) => n.name);
    assert.equal(names[0], 'conv1_Conv');
    assert.ok(names.includes('layer1_layer1_0_conv1_Conv'));
    assert.ok(names.includes('layer4_layer4_1_relu_1_Relu'));
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((n) => /^[A-Za-z0-9_]+$/.test(n)));
  });

  test('global pooling followed by Flatten becomes one pooling without kept dims', () => {
    const spec = load('resnet18').spec;
    const pool = spec.nodes.find((n) => n.op === 'GlobalAvgPool')!;
    assert.equal(pool.attrs!.keepDims, false);
    assert.ok(!spec.nodes.some((n) => n.op === 'Flatten'));
    assert.deepEqual(spec.nodes.find((n) => n.name === 'fc_Gemm')!.inputs, [pool.name]);
  });

  test('parameters PyTorch deduplicated into Identity nodes still count once per layer', () => {
    // The file holds 72 Identity nodes aliasing equal-valued parameters; every BatchNorm keeps its own.
    const g = load('resnet18').graph;
    const bn = g.nodes.filter((n) => n.op === 'BatchNorm');
    assert.ok(bn.every((n) => n.attrs.scale === true && n.attrs.center === true));
  });

  test('squeeze-and-excitation, hard swish and ReLU6 map to convlab ops', () => {
    const v3 = ops(load('mobilenet_v3_small').spec);
    assert.ok(v3.includes('Activation:hard_swish') && v3.includes('Activation:hard_sigmoid') && v3.includes('Multiply'));
    const v2 = ops(load('mobilenet_v2').spec);
    assert.equal(v2.filter((o) => o === 'Activation:relu6').length, 35);
    assert.equal(v2.filter((o) => o === 'DepthwiseConv2D').length, 17);
    const b0 = ops(load('efficientnet_b0').spec);
    assert.equal(b0.filter((o) => o === 'Activation:swish').length, 49, 'SiLU exported as Sigmoid · x');
  });

  test('a file without parameters has no weights to give', () => {
    const tensors = listWeights(load('resnet18').graph).length;
    assert.throws(() => load('resnet18', true), (e: Error) => e instanceof DataError && e.message.includes(`carries no values for ${tensors} weight tensors (`) && e.message.includes(` and ${tensors - 3} more)`));
  });
});

interface Expected {
  inputShapeNCHW: [number, number, number, number];
  input: number[];
  outputShape: number[];
  output: number[];
}

/** PyTorch's NCHW input as an NHWC batch. */
function nhwcInput(e: Expected): { data: Float32Array; shape: number[] } {
  const [n, c, h, w] = e.inputShapeNCHW;
  const data = new Float32Array(n * c * h * w);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) data[((b * h + i) * w + j) * c + k] = e.input[((b * c + k) * h + i) * w + j]!;
  return { data, shape: [n, h, w, c] };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
};

describe('ONNX import: small CNNs exported with weights reproduce PyTorch', () => {
  const cases: Array<[string, string[]]> = [
    ['tiny_cnn', ['Conv2D', 'BatchNorm', 'Activation:relu', 'MaxPool2D', 'Conv2D', 'DepthwiseConv2D', 'Activation:relu', 'Activation:relu6',
      'GlobalAvgPool', 'Conv2D', 'Activation:relu', 'Conv2D', 'Activation:hard_sigmoid', 'Multiply', 'AvgPool2D', 'Reshape', 'Dense',
      'Activation:tanh', 'Dense', 'Activation:softmax']],
    ['tiny_branches', ['Conv2D', 'BatchNorm', 'Activation:hard_swish', 'Conv2D', 'Activation:sigmoid', 'Add', 'Conv2D', 'Activation:swish',
      'Concat', 'BatchNorm', 'ZeroPadding2D', 'Conv2D', 'ZeroPadding2D', 'AvgPool2D', 'GlobalMaxPool', 'Dense']],
  ];
  for (const [name, expectedOps] of cases) {
    const expected = JSON.parse(readFileSync(join(fixturesDir(), `${name}.json`), 'utf8')) as Expected;

    test(`${name}: PyTorch's boilerplate folds away, leaving its layers`, () => {
      // tiny_cnn keeps x.view(x.size(0), -1) as Shape → Gather → Unsqueeze → Concat → Reshape (dynamic batch);
      // tiny_branches computes F.pad's pads with ConstantOfShape, Slice, Transpose and Cast.
      assert.deepEqual(ops(load(name).spec), expectedOps);
    });

    test(`${name}: params and MACs equal PyTorch's`, () => {
      const a = analyze(load(name).graph, { convention: 'macs', params: 'torch' });
      assert.equal(a.totals.params, counts[name]!.params);
      assert.equal(a.totals.macs, counts[name]!.macs);
    });

    test(`${name}: ONNX Runtime and the reference give PyTorch's outputs within 1e-4`, async () => {
      const { spec, weights } = load(name, true);
      const input = nhwcInput(expected);
      const session = await createSession(resolveGraph(spec), { threads: 1, export: { weights: weights! } });
      try {
        const out = Object.values(await run(session, input))[0]!;
        assert.deepEqual(out.shape, expected.outputShape);
        assert.ok(maxDiff(out.data, expected.output) <= 1e-4, `ORT differs from PyTorch by ${maxDiff(out.data, expected.output)}`);
      } finally {
        await closeSession(session);
      }
      const ref = Object.values(runReference(spec, weights!, { [spec.inputs[0]!.name]: { shape: input.shape, data: Float64Array.from(input.data) } }))[0]!;
      assert.ok(maxDiff(ref.data, expected.output) <= 1e-4, `the reference differs from PyTorch by ${maxDiff(ref.data, expected.output)}`);
    });
  }

  test('tiny_cnn flattens a 3×4 map: the classifier rows are reordered from NCHW to NHWC', () => {
    const { spec, weights } = load('tiny_cnn', true);
    // x.view(x.size(0), -1) is a Reshape in the file.
    const flat = spec.nodes.find((n) => n.op === 'Reshape')!;
    assert.deepEqual(resolveGraph(spec).shapes.get(flat.inputs[0]!), [3, 4, 24]);
    const raw = importOnnx(fixture('tiny_cnn.onnx'), { weights: true });
    assert.equal(raw.weights!.get('fc1_Gemm/kernel')!.length, 288 * 32);
    // ONNX row c·12 + i·4 + j of fc1 (transposed) is convlab row (i·4 + j)·24 + c.
    const k = weights!.get('fc1_Gemm/kernel')!;
    const c = 5;
    const i = 2;
    const j = 1;
    const onnxRow = c * 12 + i * 4 + j;
    const convlabRow = (i * 4 + j) * 24 + c;
    assert.notEqual(onnxRow, convlabRow);
    assert.equal(k[convlabRow * 32 + 7], readGemmWeight('tiny_cnn.onnx', 'fc1.weight', 7, onnxRow, 288));
  });
});

/** One value of a Gemm weight [nout, nin] stored in a fixture, read with the protobuf layer alone. */
function readGemmWeight(file: string, tensor: string, out: number, inp: number, nin: number): number {
  const t = decodeModel(fixture(file)).graph.initializer.find((x) => x.name === tensor)!;
  return tensorToFloat32(t)[out * nin + inp]!;
}
