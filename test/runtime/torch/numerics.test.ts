/**
 * The generated PyTorch modules compute what convlab's ops define: every op case, run in PyTorch
 * with Keras-layout weights converted by the weight table, equals the float64 NHWC reference
 * (max abs diff ≤ 1e-4). The weights are loaded by the engine's own loader (convlab_torch.py).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { resolveGraph } from '../../../src/graph/graph.js';
import type { Shape } from '../../../src/graph/types.js';
import { OP_TYPES } from '../../../src/ops/index.js';
import { generateTorchModule } from '../../../src/runtime/torch/codegen.js';
import { transpose } from '../../../src/runtime/torch/layout.js';
import { bytesOf, readNpy, writeNpy } from '../../../src/runtime/torch/npy.js';
import { writeTorchWeights } from '../../../src/runtime/torch/weights.js';
import { initWeights } from '../../../src/weights/index.js';
import { OP_CASES, type OpCase } from '../../helpers/op_cases.js';
import { repoRoot } from '../../helpers/paths.js';
import { runReference } from '../../helpers/reference.js';
import { randomInput, specOf } from '../onnx/harness.js';
import { runPython, torchPython } from './helpers.js';

const TOLERANCE = 1e-4;

/**
 * Cases beyond the shared ones: configurations only this lowering treats apart (1×1 pooling
 * windows become strided slices, PReLU off a map or vector moves channels to axis 1) or only it
 * takes (ONNX Runtime refuses even LRN windows).
 */
const TORCH_CASES: OpCase[] = [
  { name: 'LRN with an even window', input: [3, 3, 6], body: (b, x) => b.node('LRN', x, { size: 4, alpha: 1e-2, beta: 0.75, bias: 1 }) },
  { name: 'max pool 1×1 stride 2 on an odd map (a slice)', input: [7, 6, 3], body: (b, x) => b.maxPool(x, { poolSize: 1, strides: 2 }) },
  { name: 'avg pool 1×1 strides 3 and 1, ceil mode (a slice)', input: [8, 5, 2], body: (b, x) => b.avgPool(x, { poolSize: 1, strides: [3, 1], ceilMode: true }) },
  { name: 'PReLU on rank 2 (channels last)', input: [4, 4, 3], body: (b, x) => b.node('PReLU', b.reshape(x, [8, 6])) },
];
const RUNNER_DIR = join(repoRoot(), 'src', 'runtime', 'torch', 'py');

/** Builds each case's module with the engine's loader, runs it in inference mode, saves every output. */
const RUN = `
import json, sys
import numpy as np
import torch
sys.path.insert(0, sys.argv[1])
import convlab_torch
for case in json.load(open(sys.argv[2])):
    model = convlab_torch.load_model({"file": case["file"], "class": case["cls"]})
    convlab_torch.load_weights(model, case["weights"])
    model.eval()
    with torch.no_grad():
        out = model(torch.from_numpy(np.load(case["input"])))
    for k, y in enumerate(out if isinstance(out, tuple) else (out,)):
        np.save("%s/out_%d.npy" % (case["dir"], k), y.numpy())
`;

const isMap = (s: Shape) => s.length === 3;
/** NHWC batch → the layout PyTorch holds it in (NCHW for maps), and back. */
const toTorchLayout = (data: Float32Array, shape: number[]) => (shape.length === 4 ? transpose(data, shape, [0, 3, 1, 2]) : data);
const fromTorchLayout = (data: Float32Array, nhwc: number[]) => (nhwc.length === 4 ? transpose(data, [nhwc[0]!, nhwc[3]!, nhwc[1]!, nhwc[2]!], [0, 2, 3, 1]) : data);

const dir = mkdtempSync(join(tmpdir(), 'convlab-torch-numerics-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('PyTorch lowering numerics, op by op', () => {
  const BATCH = 2;
  const cases = [...OP_CASES, ...TORCH_CASES].map((c, i) => {
    const graph = resolveGraph(specOf(c.input, c.body));
    const module = generateTorchModule(graph);
    const weights = initWeights(graph, { seed: 3, randomizeConstants: true });
    const caseDir = join(dir, `case${i}`);
    mkdirSync(caseDir, { recursive: true });
    writeFileSync(join(caseDir, 'model.py'), module.source);
    writeTorchWeights(join(caseDir, 'weights'), module.weights, weights);
    const shape = [BATCH, ...graph.inputs[0]!.shape];
    const x = randomInput(shape);
    const torchShape = isMap(graph.inputs[0]!.shape) ? [shape[0]!, shape[3]!, shape[1]!, shape[2]!] : shape;
    writeNpy(join(caseDir, 'input.npy'), 'float32', torchShape, [bytesOf(toTorchLayout(x, shape))]);
    return { c, graph, weights, x, shape, dir: caseDir, entry: { dir: caseDir, file: join(caseDir, 'model.py'), cls: module.className, weights: join(caseDir, 'weights'), input: join(caseDir, 'input.npy') } };
  });
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases.map((c) => c.entry)));
  let ran = false;

  test('Python runs every case', () => {
    runPython(torchPython().python, RUN, [RUNNER_DIR, join(dir, 'cases.json')]);
    ran = true;
  });

  for (const k of cases) {
    test(k.c.name, () => {
      assert.ok(ran, 'the cases did not run');
      const inp = k.graph.inputs[0]!;
      const ref = runReference(k.graph, k.weights, { [inp.name]: { shape: k.shape, data: Float64Array.from(k.x) } });
      let maxAbs = 0;
      k.graph.outputs.forEach((name, o) => {
        const r = ref[name]!;
        const got = readNpy(join(k.dir, `out_${o}.npy`));
        assert.equal(got.dtype, 'float32');
        const nhwc = [...r.shape];
        const values = fromTorchLayout(got.data as Float32Array, nhwc);
        assert.equal(values.length, r.data.length, `output ${name}: ${values.length} values, reference ${r.data.length}`);
        let diff = 0;
        for (let i = 0; i < values.length; i++) {
          diff = Math.max(diff, Math.abs(values[i]! - r.data[i]!));
          maxAbs = Math.max(maxAbs, Math.abs(r.data[i]!));
        }
        assert.ok(diff <= TOLERANCE, `output ${name}: max abs diff ${diff} (outputs up to ${maxAbs})`);
      });
      assert.ok(maxAbs > 0, 'the case computes something other than zeros');
    });
  }

  test('the cases cover every op type', () => {
    const seen = new Set(cases.flatMap((k) => k.graph.nodes.map((n) => n.op)));
    assert.deepEqual(OP_TYPES.filter((op) => !seen.has(op)), []);
  });
});
