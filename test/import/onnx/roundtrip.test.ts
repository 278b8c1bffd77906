/** Export → import → export: every zoo model keeps its metrics; small ones keep their outputs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../../src/analysis/analyze.js';
import { type Analysis } from '../../../src/analysis/types.js';
import { GraphBuilder } from '../../../src/graph/builder.js';
import { resolveGraph, type ResolvedNode } from '../../../src/graph/graph.js';
import { convGeometry, convTransposeGeometry, poolGeometry, type Conv2DAttrs, type Conv2DTransposeAttrs, type PoolAttrs } from '../../../src/ops/index.js';
import type { GraphSpec } from '../../../src/graph/types.js';
import { importOnnx } from '../../../src/import/onnx/import.js';
import { sanitize } from '../../../src/import/onnx/context.js';
import { exportOnnx } from '../../../src/runtime/onnx/export.js';
import { closeSession, createSession, run, type Batch } from '../../../src/runtime/onnx/node.js';
import { initWeights } from '../../../src/weights/init.js';
import { basicBlock } from '../../../src/zoo/blocks.js';
import { getModel, listModels } from '../../../src/zoo/index.js';
import { exportStructure } from './helpers.js';
import { randomInput } from '../../runtime/onnx/harness.js';

/** The figures a round trip must keep. */
function metrics(a: Analysis) {
  return {
    params: a.totals.params,
    trainable: a.totals.trainableParams,
    macs: a.totals.macs,
    inputs: a.inputs.map((i) => i.shape),
    outputs: a.outputs.map((o) => o.shape),
  };
}

/** Numbers to 6 significant digits: ONNX stores float attributes in float32. */
const f32 = (v: unknown): unknown =>
  typeof v === 'number' ? Number(v.toPrecision(6)) : Array.isArray(v) ? v.map(f32) : v;

/**
 * Padding as the window actually applies it: ONNX has no 'same' or ceil mode of its own, so the
 * exporter writes explicit pads, ceil-mode overhang included.
 */
function window(n: ResolvedNode): Record<string, unknown> {
  if (n.op === 'Conv2DTranspose') {
    const t = convTransposeGeometry(n.inputShapes[0]!, n.attrs as unknown as Conv2DTransposeAttrs);
    const [endH, endW] = [t.fullH - t.cropTop - t.outH, t.fullW - t.cropLeft - t.outW];
    return { padding: [t.cropTop, Math.max(endH, 0), t.cropLeft, Math.max(endW, 0)], outputPadding: endH < 0 || endW < 0 ? [Math.max(-endH, 0), Math.max(-endW, 0)] : null };
  }
  const g = ['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D'].includes(n.op)
    ? convGeometry(n.inputShapes[0]!, n.attrs as unknown as Conv2DAttrs)
    : ['MaxPool2D', 'AvgPool2D'].includes(n.op) ? poolGeometry(n.inputShapes[0]!, n.attrs as unknown as PoolAttrs) : undefined;
  if (!g) return {};
  return { padding: [g.padTop, g.padBottom + g.ceilExtraH, g.padLeft, g.padRight + g.ceilExtraW], strides: [g.sh, g.sw], ceilMode: undefined };
}

/**
 * The graph as an ONNX file can carry it: Dropout (exported as Identity, its rate not stored)
 * left out, names in the importer's sanitized form, windows as applied, numbers at float32
 * precision, BatchNorm momentum left out.
 */
function comparable(spec: GraphSpec): Map<string, { op: string; inputs: string[]; attrs: Record<string, unknown> }> {
  const g = resolveGraph(spec);
  const alias = new Map<string, string>();
  const name = (n: string) => sanitize(alias.get(n) ?? n);
  const out = new Map<string, { op: string; inputs: string[]; attrs: Record<string, unknown> }>();
  for (const n of g.nodes) {
    if (n.op === 'Dropout') {
      alias.set(n.name, alias.get(n.inputs[0]!) ?? n.inputs[0]!);
      continue;
    }
    // ONNX has no adaptive pool: where the output divides the input it is the plain window it equals.
    if (n.op === 'AdaptiveAvgPool' && n.inputShapes[0]![0]! % n.outputShape[0]! === 0 && n.inputShapes[0]![1]! % n.outputShape[1]! === 0) {
      const k = [n.inputShapes[0]![0]! / n.outputShape[0]!, n.inputShapes[0]![1]! / n.outputShape[1]!];
      out.set(sanitize(n.name), { op: 'AvgPool2D', inputs: n.inputs.map(name), attrs: { poolSize: k, strides: k, padding: [0, 0, 0, 0], dilation: [1, 1], countIncludePad: false, trainable: true } });
      continue;
    }
    // BatchNorm momentum matters only to training, and the exporter does not record it.
    const attrs = Object.entries({ ...n.attrs, ...window(n), momentum: undefined }).filter(([, v]) => v !== undefined);
    out.set(sanitize(n.name), { op: n.op, inputs: n.inputs.map(name), attrs: Object.fromEntries(attrs.map(([k, v]) => [k, f32(v)])) });
  }
  return out;
}

const both = (spec: GraphSpec) => ({
  keras: metrics(analyze(resolveGraph(spec), { convention: 'macs', params: 'keras' })),
  torch: analyze(resolveGraph(spec), { params: 'torch' }).totals.params,
});

/** One model of each family the second round trip checks (each export costs a pass over every weight). */
const FIXPOINT = new Set(['lenet5', 'googlenet', 'inception_v3', 'resnet50', 'resnet50_v2', 'mobilenet_v3_small', 'efficientnet_b0', 'xception', 'inception_resnet_v2', 'densenet121', 'nasnet_mobile']);

describe('ONNX round trip: every zoo model comes back as the same graph, with the same params, MACs and shapes', () => {
  // Structure only (weights become graph inputs, as in files exported without parameters), so
  // even the largest models round-trip without drawing or encoding their weights.
  for (const meta of listModels()) {
    test(meta.id, () => {
      const spec = getModel(meta.id, {});
      const once = importOnnx(exportStructure(spec), { source: `${meta.id}.onnx` }).spec;
      assert.deepEqual(both(once), both(spec));
      assert.deepEqual(comparable(once), comparable(spec), 'the same layers, wired the same way, with the same attributes');
      if (!FIXPOINT.has(meta.id)) return;
      const twice = importOnnx(exportStructure(once), { source: `${meta.id}.onnx` }).spec;
      assert.deepEqual(twice.nodes, once.nodes, 'a second round trip changes nothing');
    });
  }

  test('the second round trip covers a model of every family', () => {
    const ids = new Set(listModels().map((m) => m.id));
    for (const id of FIXPOINT) assert.ok(ids.has(id), `${id} is not in the zoo`);
  });
});

const residual = (): GraphSpec => {
  const b = new GraphBuilder('resnet_block');
  const x = b.input([12, 12, 16], 'input');
  const y = basicBlock(b, x, { filters: 32, stride: 2 }, 'block1');
  return b.build(b.dense(b.globalAvgPool(y), { units: 7, activation: 'softmax', name: 'predictions' }));
};

/** The ops no small zoo model has, in one graph: LRN, padding and cropping, ScaledAdd, Rescaling, Dense on a map, a flatten of a 3×3 map. */
const assorted = (): GraphSpec => {
  const b = new GraphBuilder('assorted');
  const x = b.input([10, 10, 3], 'input');
  const r = b.node('Rescaling', x, { scale: 0.5, offset: -0.25 }, 'scale');
  const p = b.zeroPad(b.conv2d(r, { filters: 8, kernelSize: 3, activation: 'tanh', name: 'c1' }), [1, 0, 2, 1], 'pad');
  const l = b.node('LRN', p, { size: 3, alpha: 0.01, beta: 0.75, bias: 2 }, 'lrn');
  const d = b.dense(l, { units: 8, activation: 'hard_sigmoid', name: 'per_pixel' });
  const s = b.node('ScaledAdd', [l, d], { scale: 0.2 }, 'residual');
  const c = b.crop(b.concat([s, b.dropout(l, 0.3, 'drop')], { name: 'cat' }), [1, 1, 0, 2], 'crop');
  const m = b.maxPool(c, { poolSize: 3, strides: 2, ceilMode: true, name: 'pool' });
  return b.build(b.dense(b.flatten(m, 'flat'), { units: 4, activation: 'softmax', name: 'out' }));
};

/** The ops added after the zoo's: transposed convs, PReLU, leaky_relu / elu / selu, Split, constant padding, dilated pooling, Resize. */
const newer = (): GraphSpec => {
  const b = new GraphBuilder('newer');
  const x = b.input([8, 8, 4], 'input');
  const up = b.node('Conv2DTranspose', x, { filters: 6, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1, activation: 'leaky_relu' }, 'deconv');
  const p = b.node('PReLU', up, {}, 'prelu');
  const e = b.node('Activation', b.node('Split', p, { splits: [2, 4], index: 0 }, 'part0'), { fn: 'elu', alpha: 0.5 }, 'elu');
  const s = b.node('Activation', b.node('Split', p, { splits: [2, 4], index: 1 }, 'part1'), { fn: 'selu' }, 'selu');
  const pad = b.node('ConstantPad2D', b.concat([e, s], { name: 'cat' }), { padding: [1, 0, 0, 2], value: 0.25 }, 'pad');
  const pool = b.maxPool(pad, { poolSize: 3, strides: 1, dilation: 2, name: 'pool' });
  const r = b.node('Resize', b.node('Resize', pool, { scale: 2, mode: 'bilinear' }, 'up'), { size: [9, 10] }, 'down');
  const d = b.node('Conv2DTranspose', r, { filters: 3, kernelSize: 2, strides: 2, groups: 3 }, 'deconv2');
  return b.build(b.dense(b.globalAvgPool(d, { name: 'gap' }), { units: 4, name: 'out' }));
};

describe('ONNX round trip of the newer ops', () => {
  test('the same layers, wired the same way, with the same attributes', () => {
    const spec = newer();
    const once = importOnnx(exportStructure(spec), { source: 'newer.onnx' }).spec;
    assert.deepEqual(comparable(once), comparable(spec));
  });
});

const small: Array<[string, () => GraphSpec]> = [
  ['assorted ops', assorted],
  ['the newer ops', newer],
  ['LeNet-5', () => getModel('lenet5', {})],
  ['a ResNet basic block', residual],
  ['MobileNetV2 at 32×32, alpha 0.35', () => getModel('mobilenet_v2', { input: [32, 32, 3], alpha: 0.35, classes: 10 })],
  ['EfficientNet-B0 at 32×32 (Rescaling, Normalization, swish, SE)', () => getModel('efficientnet_b0', { input: [32, 32, 3], classes: 10 })],
];

async function outputsOf(source: GraphSpec | Uint8Array, input: Batch, weights?: Parameters<typeof exportOnnx>[1]): Promise<Batch> {
  const session = await createSession(source instanceof Uint8Array ? source : resolveGraph(source), { threads: 1, ...(weights ? { export: weights } : {}) });
  try {
    return Object.values(await run(session, input))[0]!;
  } finally {
    await closeSession(session);
  }
}

describe('ONNX round trip: on the same weights, the same outputs', () => {
  for (const [name, build] of small) {
    test(`${name}: within 1e-5`, async () => {
      const spec = build();
      const weights = initWeights(resolveGraph(spec), { seed: 5, randomizeConstants: true });
      const first = exportOnnx(resolveGraph(spec), { weights });
      const back = importOnnx(first, { source: 'first.onnx', weights: true });
      const shape = [2, ...spec.inputs[0]!.shape];
      const input = { data: randomInput(shape, 9), shape };
      const a = await outputsOf(first, input);
      const b = await outputsOf(back.spec, input, { weights: back.weights! });
      assert.deepEqual(b.shape, a.shape);
      let diff = 0;
      a.data.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - b.data[i]!))));
      assert.ok(diff <= 1e-5, `outputs differ by ${diff}`);
      assert.ok(a.data.some((v) => v !== a.data[0]), 'the outputs vary, so the comparison means something');
    });
  }
});
