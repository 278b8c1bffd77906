/**
 * The quantized graph has the structure ONNX Runtime fuses: after the engine's optimizations every
 * int8 conv and dense layer runs as a quantized kernel, and every QuantizeLinear or
 * DequantizeLinear left over sits beside a layer the plan kept in float with a printed reason (or
 * at the model's input). The file also passes the ONNX checker.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { GraphSpec } from '../../../../src/graph/types.js';
import { encodeModel, type ModelProto, type NodeProto } from '../../../../src/onnx/proto.js';
import { quantizeStatic, type QuantRecord } from '../../../../src/runtime/onnx/quantize/quantize.js';
import { randomSamples } from '../../../../src/runtime/onnx/quantize/samples.js';
import { getModel } from '../../../../src/zoo/index.js';
import { basicBlock } from '../../../../src/zoo/index.js';
import { specOf } from '../harness.js';
import { floatModel, maxDiff, optimized, ORT, outputOf } from './helpers.js';

const miniResnet = specOf([32, 32, 3], (b, x) => {
  let y = b.conv2d(b.zeroPad(x, 3, 'conv1_pad'), { filters: 16, kernelSize: 7, strides: 2, useBias: false, name: 'conv1' });
  y = b.activation(b.batchNorm(y, { name: 'conv1_bn' }), 'relu', 'conv1_relu');
  y = b.maxPool(b.zeroPad(y, 1, 'pool1_pad'), { poolSize: 3, strides: 2, name: 'pool1' });
  y = basicBlock(b, y, { filters: 16 }, 'block1');
  y = basicBlock(b, y, { filters: 32, stride: 2 }, 'block2');
  return b.dense(b.globalAvgPool(y, { name: 'gap' }), { units: 10, activation: 'softmax', name: 'predictions' });
}, 'mini_resnet');

// Ops ORT has no int8 kernel for, between quantized convs: each must come with a reason.
const floatOps = specOf([16, 16, 3], (b, x) => {
  let y = b.conv2d(x, { filters: 8, kernelSize: 3, padding: 'same', activation: 'hard_swish', name: 'conv1' });
  y = b.node('LRN', y, { size: 3, alpha: 1e-4, beta: 0.75, bias: 1 }, 'norm');
  y = b.conv2d(y, { filters: 8, kernelSize: 3, name: 'conv2' });
  y = b.activation(y, 'tanh', 'tanh');
  y = b.concat([b.conv2d(y, { filters: 4, kernelSize: 1, name: 'left' }), b.conv2d(y, { filters: 4, kernelSize: 1, name: 'right' })], { name: 'cat' });
  return b.dense(b.globalMaxPool(y, { name: 'gmp' }), { units: 5, activation: 'sigmoid', name: 'head' });
}, 'float_ops');

const CASES: Array<[string, GraphSpec]> = [
  ['LeNet-5 (tanh, average pooling)', getModel('lenet5')],
  ['a small ResNet (padding, residual adds, global pooling)', miniResnet],
  ['MobileNetV2 α 0.35 (depthwise, ReLU6, linear bottlenecks)', getModel('mobilenet_v2', { alpha: 0.35, input: [64, 64, 3], classes: 10 })],
  ['ops without int8 kernels between quantized convs', floatOps],
];

/** onnx.checker.check_model through Debian's python3-onnx; null when it is not installed. */
function onnxChecker(model: ModelProto): { ok: boolean; output: string } | null {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'convlab-checker-'));
  try {
    const file = join(dir, 'model.onnx');
    writeFileSync(file, encodeModel(model));
    const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', file], { encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Quantizes a spec with seeded weights, calibrated on a few random inputs. */
async function quantized(spec: GraphSpec): Promise<{ float: ModelProto; model: ModelProto; record: QuantRecord }> {
  const float = floatModel(spec);
  const shape = [...spec.inputs[0]!.shape];
  const q = await quantizeStatic(ORT, float, randomSamples(shape, 8), { method: 'minmax' });
  return { float, ...q };
}

describe('int8 graphs are what ONNX Runtime fuses', () => {
  for (const [title, spec] of CASES) {
    it(title, async () => {
      const { float, model, record } = await quantized(spec);
      const decisions = new Map(record.layers.map((d) => [d.node, d]));
      for (const d of record.layers) if (d.precision !== 'int8') assert.ok(d.reason, `${d.node} (${d.op}) is ${d.precision} without a reason`);

      const ran = await optimized(model);
      const kernels = (re: RegExp) => ran.graph.node.filter((n) => re.test(n.opType)).length;
      const int8 = (op: string) => record.layers.filter((d) => d.op === op && d.precision === 'int8').length;
      assert.ok(int8('Conv') > 0);
      assert.equal(kernels(/QLinearConv$/), int8('Conv'), 'every int8 conv runs as QLinearConv');
      assert.equal(kernels(/^QGemm$/), int8('Gemm'), 'every int8 dense layer runs as QGemm');
      assert.equal(kernels(/^Conv$|FusedConv/), 0, 'no conv runs in float');

      // What is left of Q / DQ must sit at the input or beside a float layer with a reason.
      const byName = new Map(model.graph.node.map((n) => [n.name!, n]));
      const producer = (t: string) => model.graph.node.find((n) => n.output.includes(t));
      const readers = (t: string) => model.graph.node.filter((n) => n.input.includes(t));
      const floatWithReason = (n: NodeProto | undefined) => n !== undefined && decisions.get(n.name!)?.precision === 'fp32' && !!decisions.get(n.name!)?.reason;
      for (const n of ran.graph.node.filter((x) => x.opType === 'QuantizeLinear' || x.opType === 'DequantizeLinear')) {
        const mine = byName.get(n.name!);
        assert.ok(mine, `ONNX Runtime left a ${n.opType} ${n.name} that the quantizer did not write`);
        if (mine.opType === 'QuantizeLinear') {
          const p = producer(mine.input[0]!);
          assert.ok(p === undefined || floatWithReason(p), `${n.name} quantizes the output of ${p?.name} (${p?.opType}), which has no float reason`);
        } else {
          for (const r of readers(mine.output[0]!)) assert.ok(floatWithReason(r), `${n.name} feeds ${r.name} (${r.opType}), which has no float reason`);
        }
      }

      // Close to the float model on the same input.
      const shape = [2, ...spec.inputs[0]!.shape];
      const d = maxDiff(await outputOf(float, shape), await outputOf(model, shape));
      assert.ok(d < 0.1, `int8 and float outputs differ by ${d}`);

      const checked = onnxChecker(model);
      if (checked) assert.ok(checked.ok, `onnx.checker: ${checked.output}`);
    });
  }

  it('the ONNX checker is available, so the files above were checked', (t) => {
    if (spawnSync('/usr/bin/python3', ['-c', 'import onnx']).status !== 0) t.skip('python3-onnx is not installed (.ci/run installs it)');
  });
});
