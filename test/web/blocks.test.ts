/** Blocks from hierarchical node names: prefixes, convexity, nesting and the default expansion. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel, listModels } from '../../src/zoo/index.js';
import { ancestorsOf, buildBlockTree, collapsedAncestor, defaultExpansion, prefixesOf, subtreeOf, visibleCount, type NamedLayer } from '../../web/src/blocks.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** A chain of layers, each reading the one before. */
const chain = (names: string[]): NamedLayer[] => names.map((name, i) => ({ name, inputs: i === 0 ? [] : [names[i - 1]!] }));

describe('prefixesOf', () => {
  const cases: Array<[string, string[]]> = [
    ['conv2_block1_1_conv', ['conv2', 'conv2_block1', 'conv2_block1_1', 'conv2_block1_1_conv']],
    ['conv1/bn', ['conv1', 'conv1/bn']],
    ['input', ['input']],
    ['_private', ['_private']],
  ];
  for (const [name, expected] of cases) test(name, () => assert.deepEqual(prefixesOf(name), expected));
});

describe('buildBlockTree', () => {
  test('a residual block with a shortcut is one block, nested in its stage', () => {
    const layers: NamedLayer[] = [
      { name: 'input', inputs: [] },
      { name: 'conv2_block1_0_conv', inputs: ['input'] },
      { name: 'conv2_block1_1_conv', inputs: ['input'] },
      { name: 'conv2_block1_1_relu', inputs: ['conv2_block1_1_conv'] },
      { name: 'conv2_block1_add', inputs: ['conv2_block1_0_conv', 'conv2_block1_1_relu'] },
      { name: 'conv2_block2_1_conv', inputs: ['conv2_block1_add'] },
      { name: 'conv2_block2_add', inputs: ['conv2_block1_add', 'conv2_block2_1_conv'] },
      { name: 'predictions', inputs: ['conv2_block2_add'] },
    ];
    const tree = buildBlockTree(layers);
    assert.deepEqual([...tree.blocks.keys()].sort(), ['conv2', 'conv2_block1', 'conv2_block1_1', 'conv2_block2']);
    assert.equal(tree.blocks.get('conv2_block1')!.parent, 'conv2');
    assert.equal(tree.blockOf.get('conv2_block1_1_relu'), 'conv2_block1_1');
    assert.deepEqual(tree.top.map((i) => (i.kind === 'block' ? `B:${i.id}` : i.name)), ['input', 'B:conv2', 'predictions']);
    assert.deepEqual(ancestorsOf(tree, { kind: 'layer', name: 'conv2_block1_1_conv' }), ['conv2', 'conv2_block1', 'conv2_block1_1']);
    assert.deepEqual(subtreeOf(tree, 'conv2').sort(), ['conv2', 'conv2_block1', 'conv2_block1_1', 'conv2_block2']);
  });

  test('scattered automatic names (conv2d, conv2d_1 … around other ops) form no block, because collapsing them would make a cycle', () => {
    const tree = buildBlockTree(chain(['input', 'conv2d', 'batch_normalization', 'conv2d_1', 'batch_normalization_1', 'dense']));
    assert.equal(tree.blocks.has('conv2d'), false);
    assert.equal(tree.blocks.has('batch_normalization'), false);
  });

  test('a prefix holding exactly its parent\'s layers keeps the longer name', () => {
    const tree = buildBlockTree(chain(['input', 'stem_conv_pad', 'stem_conv_x', 'head']));
    assert.deepEqual([...tree.blocks.keys()], ['stem_conv']);
    assert.equal(tree.blocks.get('stem_conv')!.parent, null);
  });

  test('a block may share its name with its first layer (MobileNetV2\'s Conv1, Conv1_relu)', () => {
    const tree = buildBlockTree(chain(['input', 'Conv1', 'Conv1_relu', 'out']));
    assert.deepEqual(tree.blocks.get('Conv1')!.layers, ['Conv1', 'Conv1_relu']);
    assert.equal(tree.blockOf.get('Conv1'), 'Conv1');
  });

  test('the prefix every layer shares is not a block', () => {
    const tree = buildBlockTree(chain(['m_a', 'm_b', 'm_c']));
    assert.equal(tree.blocks.size, 0);
  });

  test('where names say nothing, a branched region is a block named after the layer that merges it', () => {
    const layers: NamedLayer[] = [
      { name: 'input', inputs: [] },
      { name: 'conv2d', inputs: ['input'] },
      { name: 'activation', inputs: ['conv2d'] },
      { name: 'conv2d_1', inputs: ['activation'] },
      { name: 'activation_1', inputs: ['conv2d_1'] },
      { name: 'conv2d_2', inputs: ['activation'] },
      { name: 'activation_2', inputs: ['conv2d_2'] },
      { name: 'mixed0', inputs: ['activation_1', 'activation_2'] },
      { name: 'dense', inputs: ['mixed0'] },
    ];
    const tree = buildBlockTree(layers);
    assert.deepEqual([...tree.blocks.keys()], ['mixed0']);
    assert.deepEqual(tree.blocks.get('mixed0')!.layers, ['conv2d_1', 'activation_1', 'conv2d_2', 'activation_2', 'mixed0']);
    assert.deepEqual(tree.top.map((i) => (i.kind === 'block' ? `B:${i.id}` : i.name)), ['input', 'conv2d', 'activation', 'B:mixed0', 'dense']);
  });

  test('a branched region inside a named block is left to the name', () => {
    const layers: NamedLayer[] = [
      { name: 'input', inputs: [] },
      { name: 'b1_a', inputs: ['input'] },
      { name: 'b1_b', inputs: ['input'] },
      { name: 'b1_add', inputs: ['b1_a', 'b1_b'] },
      { name: 'out', inputs: ['b1_add'] },
    ];
    assert.deepEqual([...buildBlockTree(layers).blocks.keys()], ['b1']);
  });

  test('collapsedAncestor is the outermost closed block', () => {
    const tree = buildBlockTree(chain(['input', 'a1_b1_x', 'a1_b1_y', 'a1_b2_x', 'a1_b2_y', 'out']));
    assert.equal(collapsedAncestor(tree, 'a1_b1_x', new Set()), 'a1');
    assert.equal(collapsedAncestor(tree, 'a1_b1_x', new Set(['a1'])), 'a1_b1');
    assert.equal(collapsedAncestor(tree, 'a1_b1_x', new Set(['a1', 'a1_b1'])), null);
    assert.equal(visibleCount(tree, new Set()), 3);
    assert.equal(visibleCount(tree, new Set(['a1'])), 4);
    assert.equal(visibleCount(tree, new Set(['a1', 'a1_b1', 'a1_b2'])), 6);
  });
});

describe('every zoo model', () => {
  for (const meta of listModels()) {
    test(`${meta.id}: blocks are convex, nested, and every layer is placed once`, () => {
      const a = analyze(resolveGraph(getModel(meta.id)));
      const tree = buildBlockTree(a.layers);
      const placed: string[] = [];
      const walk = (items: typeof tree.top) => items.forEach((it) => (it.kind === 'layer' ? placed.push(it.name) : walk(tree.blocks.get(it.id)!.items)));
      walk(tree.top);
      assert.deepEqual([...placed].sort(), a.layers.map((l) => l.name).sort());
      for (const b of tree.blocks.values()) {
        if (b.parent !== null) for (const l of b.layers) assert.ok(tree.blocks.get(b.parent)!.layers.includes(l), `${l} of ${b.id} is in ${b.parent}`);
      }
    });
  }
});

test('inception_v3 (Keras\' automatic names): its eleven modules are blocks', () => {
  const tree = buildBlockTree(analyze(resolveGraph(getModel('inception_v3'))).layers);
  for (let i = 0; i <= 10; i++) assert.ok(tree.blocks.has(`mixed${i}`), `mixed${i}`);
});

describe('defaultExpansion', () => {
  test('opens whole levels while at most `limit` boxes are drawn', () => {
    const tree = buildBlockTree(chain(['input', 'a1_b1_x', 'a1_b1_y', 'a1_b2_x', 'a1_b2_y', 'out']));
    assert.deepEqual([...defaultExpansion(tree, 3)], []);
    assert.deepEqual([...defaultExpansion(tree, 4)], ['a1']);
    assert.deepEqual([...defaultExpansion(tree, 6)].sort(), ['a1', 'a1_b1', 'a1_b2']);
  });

  test('resnet50 opens its stages and shows its sixteen residual blocks closed', () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    const tree = buildBlockTree(a.layers);
    const open = defaultExpansion(tree, 90);
    const closedBlocks = [...tree.blocks.keys()].filter((b) => !open.has(b) && collapsedAncestor(tree, tree.blocks.get(b)!.layers[0]!, open) === b);
    assert.equal(closedBlocks.filter((b) => /^conv\d_block\d+$/.test(b)).length, 16);
  });
});
