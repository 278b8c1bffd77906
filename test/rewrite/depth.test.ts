/** depth: stages found from the builders' names, grown and shrunk as the builders would build them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveGraph } from '../../src/graph/graph.js';
import { applyMoves, RefusedError, whatIf } from '../../src/rewrite/index.js';
import { getModel } from '../../src/zoo/index.js';
import { blockCount, nodesByName } from '../helpers/build.js';
import { resnet, STAGE_FILTERS, stackV1 } from '../../src/zoo/resnet.js';
import { BASIC_BLOCK, torchResnet } from '../../src/zoo/resnet_torchvision.js';


describe('depth', () => {
  test('ResNet-50 depth=2 is the Keras ResNet builder with stages [6, 8, 12, 6], node for node', () => {
    const out = applyMoves(getModel('resnet50'), ['depth=2']).spec;
    const stages = [6, 8, 12, 6];
    const built = resnet({ id: 'resnet50', preact: false, useBias: true, stackFn: (b, x) => stages.reduce((y, n, i) => stackV1(b, y, STAGE_FILTERS[i]!, n, i === 0 ? 1 : 2, `conv${i + 2}`), x) }, {});
    assert.deepEqual(nodesByName(out), nodesByName(built));
  });

  test('ResNet-50 depth=0.5 keeps ceil(n/2) blocks per stage, as the builder with [2, 2, 3, 2]', () => {
    const out = applyMoves(getModel('resnet50'), ['depth=0.5']).spec;
    const stages = [2, 2, 3, 2];
    const built = resnet({ id: 'resnet50', preact: false, useBias: true, stackFn: (b, x) => stages.reduce((y, n, i) => stackV1(b, y, STAGE_FILTERS[i]!, n, i === 0 ? 1 : 2, `conv${i + 2}`), x) }, {});
    assert.deepEqual(nodesByName(out), nodesByName(built));
  });

  test('torchvision ResNet-18 depth=2 is torchvision\'s ResNet with layers [4, 4, 4, 4]', () => {
    const out = applyMoves(getModel('resnet18'), ['depth=2']).spec;
    assert.deepEqual(nodesByName(out), nodesByName(torchResnet('resnet18', BASIC_BLOCK, [4, 4, 4, 4], {})));
  });

  test('ResNet50V2 grows before each stage\'s strided last block, which moves to the end', () => {
    const out = applyMoves(getModel('resnet50_v2'), ['depth=1.5']).spec;
    const g = resolveGraph(out);
    assert.deepEqual([2, 3, 4, 5].map((s) => blockCount(out, new RegExp(`^conv${s}_block(\\d+)_`))), [5, 6, 9, 5]);
    // The strided block is last again: conv2's map halves only at its fifth block.
    assert.deepEqual(g.shapes.get('conv2_block4_out'), [56, 56, 256]);
    assert.deepEqual(g.shapes.get('conv2_block5_out'), [28, 28, 256]);
  });

  test('DenseNet-121 depth=0.5: dense blocks of [3, 6, 12, 8], the transitions reading fewer channels', () => {
    const w = whatIf(getModel('densenet121'), ['depth=0.5']);
    assert.deepEqual([2, 3, 4, 5].map((s) => blockCount(w.spec, new RegExp(`^conv${s}_block(\\d+)_`))), [3, 6, 12, 8]);
    assert.ok(w.changed.every((c) => c.detail === 'removed' && c.after.layers.length === 0));
  });

  test('VGG16 depth=1.5: the convs of each stage × 1.5, rounded up', () => {
    const out = applyMoves(getModel('vgg16'), ['depth=1.5']).spec;
    assert.deepEqual([1, 2, 3, 4, 5].map((s) => blockCount(out, new RegExp(`^block${s}_conv(\\d+)$`))), [3, 3, 5, 5, 5]);
  });

  test('a model whose builder does not name its blocks is refused', () => {
    assert.throws(() => applyMoves(getModel('mobilenet'), ['depth=2']), (e: unknown) => e instanceof RefusedError && e.message.startsWith('depth: mobilenet\'s builder does not name repeated blocks'));
  });
});
