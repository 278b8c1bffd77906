/** The int8 plan: which nodes run quantized, which tensors get a QuantizeLinear, and every float node's reason. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldForQuantization } from '../../../../src/runtime/onnx/quantize/fold.js';
import { OnnxGraph } from '../../../../src/runtime/onnx/quantize/onnx_graph.js';
import { planInt8, type PlanOptions } from '../../../../src/runtime/onnx/quantize/plan.js';
import { getModel } from '../../../../src/zoo/index.js';
import { specOf } from '../harness.js';
import { floatModel } from './helpers.js';
import { messages as m } from '../../../../src/core/messages.js';

function plan(spec: Parameters<typeof floatModel>[0], o: PlanOptions = {}) {
  const g = new OnnxGraph(floatModel(spec));
  const p = planInt8(g, foldForQuantization(g), o);
  const of = (node: string) => p.decisions.find((d) => d.node === node);
  return { g, p, of };
}

describe('int8 plan', () => {
  it('LeNet-5: convs and dense layers int8, tanh and the softmax float with reasons, logits left float', () => {
    const { p, of } = plan(getModel('lenet5'));
    for (const n of ['conv1', 'conv2', 'fc1', 'fc2', 'predictions', 'pool1', 'pool2']) assert.equal(of(n)?.precision, 'int8', n);
    assert.deepEqual(of('conv1/tanh'), { node: 'conv1/tanh', op: 'Tanh', precision: 'fp32', reason: m.noInt8Kernel('Tanh') });
    assert.equal(of('predictions/softmax')?.reason, 'an 8-bit softmax rounds small probabilities to zero; kept in float');
    // The last Gemm feeds only the float softmax: QGemm with a float output, no Q after it.
    assert.ok([...p.floatOutput].some((n) => n.name === 'predictions'));
    assert.ok(!p.tensors.includes('predictions/out'));
    assert.ok(p.tensors.includes('input'), 'the model input is quantized once, before the first layer');
  });

  it('a ReLU after a quantized conv is absorbed: the conv output gets no QuantizeLinear, the ReLU output does', () => {
    const spec = specOf([8, 8, 3], (b, x) => {
      const y = b.conv2d(x, { filters: 4, kernelSize: 3, useBias: false, name: 'conv' });
      return b.conv2d(b.activation(b.batchNorm(y, { name: 'bn' }), 'relu', 'relu'), { filters: 2, kernelSize: 1, name: 'head' });
    });
    const { p, of } = plan(spec);
    assert.equal(of('bn')?.precision, 'folded');
    assert.ok([...p.absorbed].some((n) => n.name === 'relu'));
    assert.ok(!p.tensors.includes('bn'), 'the pre-activation tensor is not quantized');
    assert.ok(p.tensors.includes('relu'));
    // The feature map leaves through a Transpose to NHWC: that writes the output and stays float.
    assert.equal(of('head')?.precision, 'int8');
    assert.equal(of('head/output_to_nhwc')?.reason, m.writesOutput());
  });

  it('data movers share their input\'s parameters; --exclude keeps a layer float and says so', () => {
    const spec = specOf([8, 8, 4], (b, x) => {
      const y = b.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' });
      const pooled = b.maxPool(y, { poolSize: 2, name: 'pool' });
      const z = b.conv2d(pooled, { filters: 4, kernelSize: 1, activation: 'relu', name: 'c2' });
      return b.dense(b.flatten(z, 'flat'), { units: 3, name: 'fc' });
    });
    const { p, of } = plan(spec, { exclude: new Set(['c2']) });
    assert.equal(p.sameAs.get('pool'), 'c1');
    assert.deepEqual(of('c2'), { node: 'c2', op: 'Conv', precision: 'fp32', reason: m.excluded() });
    assert.equal(of('c2/relu')?.reason, m.floatNeighbours());
    for (const d of p.decisions) if (d.precision !== 'int8') assert.ok(d.reason, `${d.node} has a reason`);
  });
});
