/** Width, resolution, depth and compound scaling over whole zoo models, checked against the builders. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveGraph } from '../../src/graph/graph.js';
import type { GraphSpec } from '../../src/graph/types.js';
import { applyMoves, COMPOUND, RefusedError, rewriteMessages, whatIf } from '../../src/rewrite/index.js';
import { getModel } from '../../src/zoo/index.js';
import { roundFilters } from '../../src/zoo/efficientnet.js';
import { resnet, STAGE_FILTERS, stackV1 } from '../../src/zoo/resnet.js';
import { BASIC_BLOCK, torchResnet } from '../../src/zoo/resnet_torchvision.js';

/** Nodes in name order, so two specs compare whatever order their nodes were written in. */
const byName = (s: GraphSpec) => [...s.nodes].sort((a, b) => a.name.localeCompare(b.name));

const blocksOf = (s: GraphSpec, re: RegExp) => new Set(s.nodes.map((n) => re.exec(n.name)?.[1]).filter(Boolean)).size;

describe('width', () => {
  for (const alpha of [0.25, 0.75]) {
    test(`MobileNet width=${alpha} is Keras' MobileNet with alpha ${alpha}, node for node`, () => {
      const out = applyMoves(getModel('mobilenet'), [`width=${alpha}`]).spec;
      assert.deepEqual(byName(out), byName(getModel('mobilenet', { alpha })));
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

describe('depth', () => {
  test('ResNet-50 depth=2 is the Keras ResNet builder with stages [6, 8, 12, 6], node for node', () => {
    const out = applyMoves(getModel('resnet50'), ['depth=2']).spec;
    const stages = [6, 8, 12, 6];
    const built = resnet({ id: 'resnet50', preact: false, useBias: true, stackFn: (b, x) => stages.reduce((y, n, i) => stackV1(b, y, STAGE_FILTERS[i]!, n, i === 0 ? 1 : 2, `conv${i + 2}`), x) }, {});
    assert.deepEqual(byName(out), byName(built));
  });

  test('ResNet-50 depth=0.5 keeps ceil(n/2) blocks per stage, as the builder with [2, 2, 3, 2]', () => {
    const out = applyMoves(getModel('resnet50'), ['depth=0.5']).spec;
    const stages = [2, 2, 3, 2];
    const built = resnet({ id: 'resnet50', preact: false, useBias: true, stackFn: (b, x) => stages.reduce((y, n, i) => stackV1(b, y, STAGE_FILTERS[i]!, n, i === 0 ? 1 : 2, `conv${i + 2}`), x) }, {});
    assert.deepEqual(byName(out), byName(built));
  });

  test('torchvision ResNet-18 depth=2 is torchvision\'s ResNet with layers [4, 4, 4, 4]', () => {
    const out = applyMoves(getModel('resnet18'), ['depth=2']).spec;
    assert.deepEqual(byName(out), byName(torchResnet('resnet18', BASIC_BLOCK, [4, 4, 4, 4], {})));
  });

  test('ResNet50V2 grows before each stage\'s strided last block, which moves to the end', () => {
    const out = applyMoves(getModel('resnet50_v2'), ['depth=1.5']).spec;
    const g = resolveGraph(out);
    assert.deepEqual([2, 3, 4, 5].map((s) => blocksOf(out, new RegExp(`^conv${s}_block(\\d+)_`))), [5, 6, 9, 5]);
    // The strided block is last again: conv2's map halves only at its fifth block.
    assert.deepEqual(g.shapes.get('conv2_block4_out'), [56, 56, 256]);
    assert.deepEqual(g.shapes.get('conv2_block5_out'), [28, 28, 256]);
  });

  test('DenseNet-121 depth=0.5: dense blocks of [3, 6, 12, 8], the transitions reading fewer channels', () => {
    const w = whatIf(getModel('densenet121'), ['depth=0.5']);
    assert.deepEqual([2, 3, 4, 5].map((s) => blocksOf(w.spec, new RegExp(`^conv${s}_block(\\d+)_`))), [3, 6, 12, 8]);
    assert.ok(w.changed.every((c) => c.detail === 'removed' && c.after.layers.length === 0));
  });

  test('VGG16 depth=1.5: the convs of each stage × 1.5, rounded up', () => {
    const out = applyMoves(getModel('vgg16'), ['depth=1.5']).spec;
    assert.deepEqual([1, 2, 3, 4, 5].map((s) => blocksOf(out, new RegExp(`^block${s}_conv(\\d+)$`))), [3, 3, 5, 5, 5]);
  });

  test('a model whose builder does not name its blocks is refused', () => {
    assert.throws(() => applyMoves(getModel('mobilenet'), ['depth=2']), (e: unknown) => e instanceof RefusedError && e.message.startsWith('depth: mobilenet\'s builder does not name repeated blocks'));
  });
});

describe('compound', () => {
  test('EfficientNet-B0 compound=1: depth × 1.2, width × 1.1, 224 → 258, about twice the MACs', () => {
    const w = whatIf(getModel('efficientnet_b0'), ['compound=1']);
    assert.deepEqual(w.after.analysis.inputs[0]!.shape, [Math.round(224 * COMPOUND.resolution), Math.round(224 * COMPOUND.resolution), 3]);
    const ratio = w.after.analysis.totals.macs / w.before.analysis.totals.macs;
    // α·β²·γ² = 1.92; rounding repeats up and widths to multiples of 8 lands a little above.
    assert.ok(ratio > 1.9 && ratio < 2.3, String(ratio));
    assert.deepEqual([2, 3, 4, 5, 6].map((s) => blocksOf(w.spec, new RegExp(`^block${s}([a-z])_`))), [3, 3, 4, 4, 5]);
    // Block 1a changes its width (32 → 16), so a copy of it cannot follow it: the stage keeps one block and says why.
    assert.equal(w.notes.length, 1);
    assert.match(w.notes[0]!, /^depth: the stage from block1a keeps its 1 block: /);
  });

  test('compound=0 changes nothing and says so', () => {
    assert.throws(() => applyMoves(getModel('efficientnet_b0'), ['compound=0']), (e: unknown) => e instanceof RefusedError && e.message === `compound: ${rewriteMessages.nothingChanged('depth', 'efficientnet_b0', rewriteMessages.sameDepth(1))}`);
  });
});
