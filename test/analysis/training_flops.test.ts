/** Training FLOPs per step: forward, then input and weight gradients by each op's rule. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveGraph } from '../../src/graph/graph.js';
import { analyze } from '../../src/analysis/analyze.js';
import { stepFlops } from '../../src/analysis/training_flops.js';
import { getModel } from '../../src/zoo/index.js';
import { row } from '../helpers/build.js';

const isKernel = (op: string) => op === 'Conv2D' || op === 'Dense' || op === 'DepthwiseConv2D' || op === 'SeparableConv2D';

describe('training FLOPs', () => {
  test('LeNet-5, lecture convention: kernels cost three times their MACs, less the first conv\'s input gradient; pools twice', () => {
    const a = analyze(resolveGraph(getModel('lenet5')));
    const kernels = a.layers.filter((l) => isKernel(l.op)).reduce((s, l) => s + l.macs, 0);
    const pools = a.layers.filter((l) => /Pool/.test(l.op)).reduce((s, l) => s + l.flops, 0);
    const conv1 = row(a, 'conv1');
    assert.equal(a.totals.trainingFlops, 3 * kernels - conv1.macs + 2 * pools);
    assert.equal(stepFlops(a.totals, 32), 32 * a.totals.trainingFlops);
    // The graph input needs no gradient, so conv1 computes only its weight gradient.
    assert.equal(conv1.explain.backward.input.value, 0);
    assert.equal(conv1.explain.backward.weights.text, '28·28·6·5·5·1 = 117,600');
    assert.equal(conv1.explain.training.formula, 'forward + ∂input + ∂weights');
    assert.equal(conv1.explain.training.text, '117,600 + 0 + 117,600 = 235,200');
    const conv2 = row(a, 'conv2');
    assert.equal(conv2.trainingFlops, 3 * conv2.macs);
  });

  test('ResNet-50, macs convention: 3 × MACs less conv1\'s input gradient', () => {
    const a = analyze(resolveGraph(getModel('resnet50')), { convention: 'macs' });
    assert.equal(a.totals.trainingFlops, 3 * a.totals.macs - row(a, 'conv1_conv').macs);
  });

  test('hardware convention: 2 FLOPs a MAC each way, bias gradient summed, activation derivative applied', () => {
    const a = analyze(resolveGraph(getModel('lenet5')), { convention: 'flops' });
    const c2 = row(a, 'conv2');
    const outputs = c2.outputShape.reduce((x, y) => x * y, 1);
    assert.equal(c2.explain.backward.input.value, 2 * c2.macs + outputs, 'tanh derivative per output');
    assert.equal(c2.explain.backward.weights.value, 2 * c2.macs + outputs, 'bias gradient per output');
  });

  test('layers that only route gradients cost nothing; frozen layers skip their weight gradient', () => {
    const a = analyze(resolveGraph(getModel('resnet50')), { convention: 'flops' });
    assert.equal(row(a, 'conv2_block1_add').explain.backward.input.value, 0);
    const spec = getModel('lenet5');
    for (const n of spec.nodes) if (n.name === 'conv1' || n.name === 'conv2') n.attrs = { ...n.attrs, trainable: false };
    const frozen = analyze(resolveGraph(spec));
    assert.equal(row(frozen, 'conv2').trainingFlops, row(frozen, 'conv2').flops, 'frozen and fed by nothing trainable: forward only');
    assert.equal(row(frozen, 'fc1').explain.backward.input.value, 0, 'nothing trainable before fc1 either');
  });
});
