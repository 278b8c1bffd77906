/**
 * Whole models and blocks: ORT on the exported file equals the NHWC reference on the same
 * weights (max abs diff ≤ 1e-4). Heads are made linear so logits, not softmax-squashed
 * probabilities, are compared.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphSpec } from '../../../src/graph/types.js';
import { basicBlock, bottleneckBlock, depthwiseSeparable, getModel, hasModel, inceptionModule } from '../../../src/zoo/index.js';
import { compareWithReference, specOf } from './harness.js';

const TOLERANCE = 1e-4;

/** The same spec with every softmax (fused or standalone) replaced by linear. */
function linearHead(spec: GraphSpec): GraphSpec {
  return {
    ...spec,
    nodes: spec.nodes.map((n) => {
      const attrs = { ...(n.attrs ?? {}) };
      if (attrs.activation === 'softmax') attrs.activation = 'linear';
      if (n.op === 'Activation' && attrs.fn === 'softmax') attrs.fn = 'linear';
      return { ...n, attrs };
    }),
  };
}

async function expectClose(spec: GraphSpec, batch = 2): Promise<void> {
  const r = await compareWithReference(linearHead(spec), { batch });
  assert.ok(r.maxAbsDiff <= TOLERANCE, `max abs diff ${r.maxAbsDiff} (outputs up to ${r.maxAbs})`);
  assert.ok(r.maxAbs > 1e-3, `outputs are not all near zero (max ${r.maxAbs})`);
}

describe('ONNX export numerics, models and blocks', () => {
  it('LeNet-5', () => expectClose(getModel('lenet5')));

  it('ResNet basic block with projection shortcut', () =>
    expectClose(specOf([16, 16, 32], (b, x) => basicBlock(b, basicBlock(b, x, { filters: 64, stride: 2 }, 'conv2_block1'), { filters: 64 }, 'conv2_block2'))));

  it('ResNet bottleneck block', () =>
    expectClose(specOf([14, 14, 64], (b, x) => bottleneckBlock(b, bottleneckBlock(b, x, { filters: 256 }, 'conv2_block1'), { filters: 256 }, 'conv2_block2'))));

  it('inception module (GoogLeNet 3a)', () =>
    expectClose(specOf([14, 14, 192], (b, x) => inceptionModule(b, x, { b1: 64, b3reduce: 96, b3: 128, b5reduce: 16, b5: 32, poolProj: 32 }, 'inception_3a'))));

  // MobileNetV2 when the zoo has it (at 96×96 to keep the plain reference fast); otherwise a depthwise-separable stack.
  it('MobileNetV2 (or a depthwise-separable stack)', () =>
    hasModel('mobilenet_v2')
      ? expectClose(getModel('mobilenet_v2', { input: [96, 96, 3] }), 1)
      : expectClose(specOf([32, 32, 16], (b, x) => depthwiseSeparable(b, depthwiseSeparable(b, x, { filters: 32, stride: 2 }, 'block1'), { filters: 64 }, 'block2'))));
});
