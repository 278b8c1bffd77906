/** Width, resolution and compound scaling over whole zoo models, checked against the builders. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyMoves, COMPOUND, RefusedError, whatIf } from '../../src/rewrite/index.js';
import { getModel } from '../../src/zoo/index.js';
import { blockCount, nodesByName } from '../helpers/build.js';
import { roundFilters } from '../../src/zoo/efficientnet.js';
import { messages } from '../../src/core/messages.js';


describe('width', () => {
  for (const alpha of [0.25, 0.75]) {
    test(`MobileNet width=${alpha} is Keras' MobileNet with alpha ${alpha}, node for node`, () => {
      const out = applyMoves(getModel('mobilenet'), [`width=${alpha}`]).spec;
      assert.deepEqual(nodesByName(out), nodesByName(getModel('mobilenet', { alpha })));
    });
  }

  test('MobileNetV2 rounds every scaled width to a multiple of 8; the classifier keeps 1000 units', () => {
    const w = whatIf(getModel('mobilenet_v2'), ['width=0.35']);
    for (const c of w.changed) assert.equal(Number(/→ (\d+)/.exec(c.detail)![1]) % 8, 0, c.detail);
    assert.ok(!w.changed.some((c) => c.label === 'predictions'));
    assert.deepEqual(w.after.analysis.outputs[0]!.shape, [1000]);
  });

  test("EfficientNet rounds with round_filters, and the SE reshapes follow the new widths", () => {
    const out = applyMoves(getModel('efficientnet_b0'), ['width=1.1']).spec;
    const node = (name: string) => out.nodes.find((n) => n.name === name)!;
    assert.equal(node('block2a_expand_conv').attrs?.filters, roundFilters(96, 1.1));
    assert.deepEqual(node('block2a_se_reshape').attrs?.shape, [1, 1, roundFilters(96, 1.1)]);
  });

  test('a width that rounds back to every layer\'s own is refused', () => {
    assert.throws(() => applyMoves(getModel('vgg16'), ['width=1.0001']), RefusedError);
  });
});

describe('resolution', () => {
  test('a headless model\'s feature map follows the input; a fixed 7×7 pool that no longer fits is refused by name', () => {
    const w = whatIf(getModel('resnet50', { includeTop: false }), ['resolution=160']);
    assert.deepEqual(w.after.analysis.outputs[0]!.shape, [5, 5, 2048]);
    assert.throws(() => applyMoves(getModel('googlenet'), ['resolution=100']), (e: unknown) => e instanceof RefusedError && e.node === 'pool5_7x7_s1');
  });
});

describe('compound', () => {
  test('EfficientNet-B0 compound=1: depth × 1.2, width × 1.1, 224 → 258, about twice the MACs', () => {
    const w = whatIf(getModel('efficientnet_b0'), ['compound=1']);
    assert.deepEqual(w.after.analysis.inputs[0]!.shape, [Math.round(224 * COMPOUND.resolution), Math.round(224 * COMPOUND.resolution), 3]);
    const ratio = w.after.analysis.totals.macs / w.before.analysis.totals.macs;
    // α·β²·γ² = 1.92; rounding repeats up and widths to multiples of 8 lands a little above.
    assert.ok(ratio > 1.9 && ratio < 2.3, String(ratio));
    assert.deepEqual([2, 3, 4, 5, 6].map((s) => blockCount(w.spec, new RegExp(`^block${s}([a-z])_`))), [3, 3, 4, 4, 5]);
    // Block 1a changes its width (32 → 16), so a copy of it cannot follow it: the stage keeps one block and says why.
    assert.equal(w.notes.length, 1);
    assert.match(w.notes[0]!, /^depth: the stage from block1a keeps its 1 block: /);
  });

  test('compound=0 changes nothing and says so', () => {
    assert.throws(() => applyMoves(getModel('efficientnet_b0'), ['compound=0']), (e: unknown) => e instanceof RefusedError && e.message === `compound: ${messages.nothingChanged('depth', 'efficientnet_b0', messages.sameDepth(1))}`);
  });
});
