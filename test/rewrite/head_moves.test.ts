/** gap-head, lrn-to-bn, no-lrn and fold-bn: what they build and the layers they refuse. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { GraphBuilder, type Tensor } from '../../src/graph/builder.js';
import type { GraphSpec } from '../../src/graph/types.js';
import { applyMoves, RefusedError, whatIf } from '../../src/rewrite/index.js';
import { getModel } from '../../src/zoo/index.js';
import { messages } from '../../src/core/messages.js';
import { resolveGraph } from '../../src/graph/graph.js';

function graph(input: number[], body: (b: GraphBuilder, x: Tensor) => Tensor): GraphSpec {
  const b = new GraphBuilder('t');
  return b.build(body(b, b.input(input, 'input')));
}

/** Asserts `f` throws a RefusedError with exactly this message. */
function refuses(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => e instanceof RefusedError && e.message === message && !e.message.includes('\n'));
}

describe('gap-head, lrn-to-bn, no-lrn, fold-bn', () => {
  test('gap-head on AlexNet keeps the classifier and drops fc6, fc7 and their dropouts', () => {
    const w = whatIf(getModel('alexnet'), ['gap-head']);
    const row = w.changed[0]!;
    assert.equal(row.after.layers.length, 2);
    assert.equal(row.after.layers[1], row.before.layers[row.before.layers.length - 1]);
    assert.ok(!w.after.analysis.layers.some((r) => r.op === 'Flatten' || r.op === 'Dropout'));
    refuses(() => applyMoves(getModel('resnet50'), ['gap-head']), messages.noFlattenHead('resnet50', 'avg_pool'));
  });

  test('GoogLeNet: LRN → BatchNorm keeps every shape; no-lrn removes both LRN layers', () => {
    const before = analyze(resolveGraph(getModel('googlenet')));
    const bn = whatIf(getModel('googlenet'), ['lrn-to-bn']);
    assert.deepEqual(bn.changed.map((c) => c.label), ['pool1_norm1', 'conv2_norm2']);
    assert.equal(bn.after.analysis.totals.params - before.totals.params, 4 * 64 + 4 * 192);
    const gone = whatIf(getModel('googlenet'), ['no-lrn']);
    assert.equal(gone.after.analysis.layers.length, before.layers.length - 2);
    assert.equal(gone.after.analysis.totals.macs, before.totals.macs);
    refuses(() => applyMoves(getModel('vgg16'), ['no-lrn']), messages.noTargets('no-lrn', 'vgg16', 'LRN layers'));
  });

  test('fold-bn on torchvision ResNet-18: no BatchNorm left, each conv gains a bias, MACs unchanged', () => {
    const w = whatIf(getModel('resnet18'), ['fold-bn'], { params: 'torch' });
    assert.ok(!w.after.analysis.layers.some((r) => r.op === 'BatchNorm'));
    assert.equal(w.changed.length, 20);
    // torch counts BN as 2·C; the folded bias is C, so each fold saves C parameters.
    const channels = w.changed.reduce((s, c) => s + c.before.outputShape![2]!, 0);
    assert.equal(w.before.analysis.totals.params - w.after.analysis.totals.params, channels);
    assert.equal(w.after.analysis.totals.macs, w.before.analysis.totals.macs);
  });

  test('fold-bn refuses a conv with a fused activation and one whose output is read twice', () => {
    const fused = graph([8, 8, 4], (b, x) => b.batchNorm(b.conv2d(x, { filters: 4, kernelSize: 3, activation: 'relu', name: 'c' }), { name: 'bn' }));
    refuses(() => applyMoves(fused, ['fold-bn']), messages.refused('fold-bn', 'bn', 'BatchNorm', messages.fusedActivation('c', 'relu')));
    const shared = graph([8, 8, 4], (b, x) => {
      const c = b.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same', name: 'c' });
      return b.add([b.batchNorm(c, { name: 'bn' }), c], 'sum');
    });
    refuses(() => applyMoves(shared, ['fold-bn']), messages.refused('fold-bn', 'bn', 'BatchNorm', messages.sharedOutput('c')));
  });
});
