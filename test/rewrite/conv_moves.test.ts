/** factorize, asymmetric, bottleneck and separable: what they build, the fields they keep, the layers they refuse. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GraphBuilder, type Tensor } from '../../src/graph/builder.js';
import { resolveGraph } from '../../src/graph/graph.js';
import type { GraphSpec } from '../../src/graph/types.js';
import { applyMoves, RefusedError, whatIf } from '../../src/rewrite/index.js';
import { getModel } from '../../src/zoo/index.js';
import { messages } from '../../src/core/messages.js';

function graph(input: number[], body: (b: GraphBuilder, x: Tensor) => Tensor): GraphSpec {
  const b = new GraphBuilder('t');
  return b.build(body(b, b.input(input, 'input')));
}

/** Asserts `f` throws a RefusedError with exactly this message. */
function refuses(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => e instanceof RefusedError && e.message === message && !e.message.includes('\n'));
}

const opsOf = (spec: GraphSpec) => resolveGraph(spec).nodes.map((n) => `${n.name}:${n.op}`);

describe('factorize', () => {
  test('a 7×7 becomes three 3×3 with the same field and output; explicit padding is spread over them', () => {
    const spec = graph([30, 30, 16], (b, x) => b.conv2d(x, { filters: 16, kernelSize: 7, padding: [3, 3, 2, 2], name: 'c' }));
    const w = whatIf(spec, ['factorize']);
    const row = w.changed[0]!;
    assert.deepEqual(row.after.layers, ['c_3x3_1', 'c_3x3_2', 'c_3x3_3']);
    assert.deepEqual(row.after.outputShape, row.before.outputShape);
    assert.deepEqual(row.after.receptiveField, row.before.receptiveField);
    assert.deepEqual(w.spec.nodes.map((n) => n.attrs?.padding), [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 0, 0]]);
  });

  test('inserted 3×3 layers get the BatchNorm and activation that follow the original', () => {
    const spec = graph([16, 16, 8], (b, x) => {
      const y = b.conv2d(x, { filters: 8, kernelSize: 5, padding: 'same', useBias: false, name: 'c' });
      return b.activation(b.batchNorm(y, { name: 'c_bn' }), 'relu6', 'c_relu');
    });
    assert.deepEqual(opsOf(applyMoves(spec, ['factorize']).spec), [
      'c_3x3_1:Conv2D', 'c_3x3_1_bn:BatchNorm', 'c_3x3_1_relu6:Activation', 'c_3x3_2:Conv2D', 'c_bn:BatchNorm', 'c_relu:Activation',
    ]);
  });

  test('depthwise 5×5 (EfficientNet) factorizes too, where it is not strided', () => {
    const w = whatIf(getModel('efficientnet_b0'), ['factorize'], { layers: 'block3b_dwconv,block5*_dwconv' });
    assert.deepEqual(w.changed.map((c) => c.label), ['block3b_dwconv', 'block5a_dwconv', 'block5b_dwconv', 'block5c_dwconv']);
    for (const c of w.changed) assert.deepEqual(c.after.receptiveField!.size, c.before.receptiveField!.size);
  });

  test('refuses a strided, an even and a dilated kernel, naming the layer; --layers leaves them out', () => {
    refuses(() => applyMoves(getModel('resnet50'), ['factorize']), messages.refused('factorize', 'conv1_conv', 'Conv2D 7×7/2', messages.strided(7)));
    const even = graph([16, 16, 4], (b, x) => b.conv2d(x, { filters: 4, kernelSize: 6, name: 'even' }));
    refuses(() => applyMoves(even, ['factorize']), messages.refused('factorize', 'even', 'Conv2D 6×6', messages.evenKernel(6)));
    const dilated = graph([16, 16, 4], (b, x) => b.conv2d(x, { filters: 4, kernelSize: 5, dilation: 2, name: 'd' }));
    refuses(() => applyMoves(dilated, ['factorize']), messages.refused('factorize', 'd', 'Conv2D 5×5', messages.dilated()));
    refuses(() => applyMoves(getModel('vgg16'), ['factorize']), messages.noTargets('factorize', 'vgg16', 'square k×k Conv2D or DepthwiseConv2D with k ≥ 5'));
  });
});

describe('asymmetric', () => {
  test('a strided 3×3 splits its stride and padding over the 1×3 and the 3×1, keeping output and field', () => {
    const spec = graph([33, 33, 8], (b, x) => b.conv2d(x, { filters: 12, kernelSize: 3, strides: 2, padding: [1, 0, 0, 1], name: 'c' }));
    const w = whatIf(spec, ['asymmetric']);
    const row = w.changed[0]!;
    assert.deepEqual(row.after.outputShape, row.before.outputShape);
    assert.deepEqual(row.after.receptiveField, row.before.receptiveField);
    assert.deepEqual(w.spec.nodes.map((n) => [n.attrs?.kernelSize, n.attrs?.strides, n.attrs?.padding]), [[[1, 3], [1, 2], [0, 0, 0, 1]], [[3, 1], [2, 1], [1, 0, 0, 0]]]);
  });
});

describe('bottleneck', () => {
  test('a ResNet 3×3 with BN and ReLU after it gets a 1×1 with its own BN and ReLU', () => {
    const w = whatIf(getModel('resnet50'), ['bottleneck=2'], { layers: 'conv2_block1_2_conv' });
    assert.deepEqual(w.changed[0]!.after.layers, ['conv2_block1_2_conv_reduce', 'conv2_block1_2_conv_reduce_bn', 'conv2_block1_2_conv_reduce_relu', 'conv2_block1_2_conv']);
    const reduce = w.spec.nodes.find((n) => n.name === 'conv2_block1_2_conv_reduce')!;
    assert.equal(reduce.attrs?.filters, 32);
  });

  test('the stem reading the image is never a target; channels that do not divide are refused', () => {
    const spec = graph([32, 32, 3], (b, x) => b.conv2d(b.conv2d(x, { filters: 6, kernelSize: 3, name: 'stem' }), { filters: 8, kernelSize: 3, name: 'c' }));
    refuses(() => applyMoves(spec, ['bottleneck=4']), messages.refused('bottleneck', 'c', 'Conv2D 3×3', messages.channelsDivide(6, 4)));
    assert.deepEqual(whatIf(spec, ['bottleneck=3']).changed.map((c) => c.label), ['c']);
  });
});

describe('separable', () => {
  test('MobileNet style: depthwise → BN → activation → pointwise → BN → activation', () => {
    const spec = graph([16, 16, 8], (b, x) => {
      const y = b.conv2d(x, { filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'c' });
      return b.activation(b.batchNorm(y, { name: 'c_bn' }), 'relu', 'c_relu');
    });
    const out = applyMoves(spec, ['separable']).spec;
    assert.deepEqual(opsOf(out), ['c_dw:DepthwiseConv2D', 'c_dw_bn:BatchNorm', 'c_dw_relu:Activation', 'c_pw:Conv2D', 'c_bn:BatchNorm', 'c_relu:Activation']);
    assert.deepEqual(out.nodes[0]!.attrs, { kernelSize: 3, strides: 2, padding: 'same', useBias: false });
  });

  test('without batch norm (VGG) each stage keeps the bias and the fused ReLU', () => {
    const w = whatIf(getModel('vgg16'), ['separable'], { layers: 'block5_conv1' });
    const nodes = w.spec.nodes.filter((n) => n.name.startsWith('block5_conv1'));
    assert.deepEqual(nodes.map((n) => [n.name, n.op, n.attrs?.activation]), [['block5_conv1_dw', 'DepthwiseConv2D', 'relu'], ['block5_conv1_pw', 'Conv2D', 'relu']]);
    assert.equal(w.changed[0]!.after.params, 512 * 9 + 512 + 512 * 512 + 512);
  });
});
