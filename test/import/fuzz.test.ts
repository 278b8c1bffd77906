/**
 * Mutated model files (PyTorch fixtures, an exported LeNet, a Keras model.json) either import or
 * fail with a ConvlabError: never another exception, never a hang, and imported weights always fit
 * their graph. Byte mutations test the decoder; edits of decoded models reach the op table.
 * Cases run in a worker thread watched by a per-case deadline, so a hang is stopped and named
 * instead of stalling CI.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Rng } from '../../src/core/random.js';
import { exportOnnx } from '../../src/runtime/onnx/export.js';
import { decodeModel, encodeModel } from '../../src/onnx/proto.js';
import { getModel } from '../../src/zoo/index.js';
import { fixture } from './onnx/helpers.js';
import type { FuzzCase, FuzzOutcome } from './fuzz_worker.js';
import { int, mutate, runInWorker as runCases } from '../helpers/fuzz.js';

import { resolveGraph } from '../../src/graph/graph.js';

/** A case that has not reported for this long is taken to hang (imports here take milliseconds). */
const HANG_MS = 30_000;
const CASES = 300;
const EDITS = 200;
const SEED = 20_240_607;

/** Runs import cases in their worker under the hang limit. */
const runInWorker = (cases: FuzzCase[]): Promise<FuzzOutcome[]> => runCases(new URL('./fuzz_worker.js', import.meta.url), cases, HANG_MS);

const modelJson = JSON.stringify({
  format: 'layers-model',
  modelTopology: {
    class_name: 'Functional',
    config: {
      name: 'fuzzed',
      layers: [
        { class_name: 'InputLayer', name: 'x', config: { batch_input_shape: [null, 8, 8, 3], name: 'x' }, inbound_nodes: [] },
        { class_name: 'Conv2D', name: 'c1', config: { name: 'c1', filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu', use_bias: true }, inbound_nodes: [[['x', 0, 0, {}]]] },
        { class_name: 'BatchNormalization', name: 'bn', config: { name: 'bn', axis: -1, epsilon: 0.001 }, inbound_nodes: [[['c1', 0, 0, {}]]] },
        { class_name: 'DepthwiseConv2D', name: 'dw', config: { name: 'dw', kernel_size: [3, 3], padding: 'valid', depth_multiplier: 2 }, inbound_nodes: [[['bn', 0, 0, {}]]] },
        { class_name: 'GlobalAveragePooling2D', name: 'gap', config: { name: 'gap' }, inbound_nodes: [[['dw', 0, 0, {}]]] },
        { class_name: 'Dense', name: 'out', config: { name: 'out', units: 5, activation: 'softmax' }, inbound_nodes: [[['gap', 0, 0, {}]]] },
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['out', 0, 0]],
    },
  },
});

/** The real files mutated. */
function corpus(): Array<{ name: string; bytes: Uint8Array; weights: boolean }> {
  return [
    { name: 'tiny_cnn.onnx', bytes: fixture('tiny_cnn.onnx'), weights: true },
    { name: 'tiny_branches.onnx', bytes: fixture('tiny_branches.onnx'), weights: true },
    { name: 'squeezenet1_1.onnx', bytes: fixture('squeezenet1_1.onnx'), weights: false },
    { name: 'resnet18.onnx', bytes: fixture('resnet18.onnx'), weights: false },
    { name: 'lenet5.onnx', bytes: exportOnnx(resolveGraph(getModel('lenet5', {})), { seed: 1 }), weights: true },
    { name: 'model.json', bytes: new TextEncoder().encode(modelJson), weights: false },
  ];
}

/**
 * One seeded edit of a decoded model, which reaches the op table more often than a byte flip:
 * an op type, attribute values or types, wiring, tensor dims, data types or data lengths.
 */
function edit(rng: Rng, src: Uint8Array): { bytes: Uint8Array; what: string } {
  const model = decodeModel(src);
  const g = model.graph;
  const pick = <T>(list: T[]): T | undefined => list[int(rng, list.length)];
  const odd = () => pick([0, -1, 1, 2, 3, 7, -7, 1e9, -1e9, 2 ** 40])!;
  const oddFloat = () => pick([0, -1, 0.5, 1e-30, 1e30, Number.NaN, Number.POSITIVE_INFINITY])!;
  const n = pick(g.node)!;
  const kinds = [
    () => (n.opType = pick(EDIT_OPS)!),
    () => n.attribute?.forEach((a) => {
      if (a.ints) a.ints = a.ints.map(odd);
      if (a.i !== undefined) a.i = odd();
      if (a.f !== undefined) a.f = oddFloat();
    }),
    () => n.attribute?.forEach((a) => (a.type = int(rng, 12))),
    () => n.input.reverse(),
    () => n.input.push(pick(g.node)!.output[0]!),
    () => (n.input = n.input.slice(0, int(rng, n.input.length + 1))),
    () => (n.input[0] = pick(g.node)!.output[0]!),
    () => g.initializer.forEach((t) => t.dims && int(rng, 8) === 0 && (t.dims = t.dims.map((d) => (int(rng, 2) ? odd() : d)))),
    () => g.initializer.forEach((t) => int(rng, 8) === 0 && (t.dataType = pick([0, 1, 6, 7, 8, 10, 11])!)),
    () => g.initializer.forEach((t) => t.rawData && int(rng, 8) === 0 && (t.rawData = t.rawData.subarray(0, int(rng, t.rawData.length)))),
    () => g.input[0]?.type?.tensorType?.shape?.dim.forEach((d) => {
      if (int(rng, 2)) return;
      delete d.dimParam;
      d.dimValue = odd();
    }),
    () => (g.output[0]!.name = pick(g.node)!.output[0]!),
  ];
  const k = int(rng, kinds.length);
  kinds[k]!();
  return { bytes: encodeModel(model), what: `edit ${k} at node ${JSON.stringify(n.name)}` };
}

/** Op types an edit may give a node: everything the importer maps or folds, and one it does not. */
const EDIT_OPS = ['Conv', 'Gemm', 'MatMul', 'Add', 'Mul', 'Sub', 'Div', 'Concat', 'Reshape', 'Flatten', 'Transpose', 'Pad', 'Slice',
  'MaxPool', 'AveragePool', 'GlobalAveragePool', 'BatchNormalization', 'Clip', 'Softmax', 'Identity', 'Shape', 'Gather', 'Unsqueeze',
  'Squeeze', 'Constant', 'ConstantOfShape', 'Range', 'Cast', 'Dropout', 'LRN', 'Sum', 'LeakyRelu'];

/** Checks the outcomes of a batch of cases. */
function check(cases: FuzzCase[], outcomes: FuzzOutcome[], what: string): void {
  assert.equal(outcomes.length, cases.length);
  const imported = outcomes.filter((o) => o.imported).length;
  console.log(`# fuzz ${what}: ${cases.length} cases, ${imported} imported, ${cases.length - imported} refused with a message`);
  const bad = outcomes.filter((o) => !o.imported && !o.convlab);
  assert.deepEqual(bad.map((o) => `${cases[o.index]!.label}: ${o.error}: ${o.message}`), []);
  const oneLine = outcomes.filter((o) => o.message?.includes('\n'));
  assert.deepEqual(oneLine.map((o) => cases[o.index]!.label), [], 'every error is one line');
  const unfit = outcomes.filter((o) => o.weightsProblem);
  assert.deepEqual(unfit.map((o) => `${cases[o.index]!.label}: ${o.weightsProblem}`), [], 'imported weights fit their graph');
  // Both outcomes occur, so the corpus reaches past the decoder.
  assert.ok(outcomes.some((o) => o.imported) && outcomes.some((o) => !o.imported));
}

describe('import fuzzing: mutated files import or fail with a ConvlabError', () => {
  test(`${CASES} seeded byte mutations of real files`, async () => {
    const files = corpus();
    const rng = new Rng(SEED, 3);
    const cases: FuzzCase[] = Array.from({ length: CASES }, (_, i) => {
      const f = files[i % files.length]!;
      const { bytes, what } = mutate(rng, f.bytes);
      return { label: `${f.name} (case ${i}: ${what})`, bytes, weights: f.weights };
    });
    check(cases, await runInWorker(cases), 'onnx and model.json bytes');
  });

  test(`${EDITS} seeded edits of decoded ONNX models`, async () => {
    const files = corpus().filter((f) => f.name.endsWith('.onnx'));
    const rng = new Rng(SEED, 4);
    const cases: FuzzCase[] = Array.from({ length: EDITS }, (_, i) => {
      const f = files[i % files.length]!;
      const { bytes, what } = edit(rng, f.bytes);
      return { label: `${f.name} (case ${i}: ${what})`, bytes, weights: f.weights };
    });
    check(cases, await runInWorker(cases), 'onnx edits');
  });
});
