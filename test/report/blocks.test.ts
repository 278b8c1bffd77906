/** The block tree: recorded blocks, and blocks guessed from names and branches where none are recorded. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveGraph } from '../../src/graph/graph.js';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel, listModels } from '../../src/zoo/index.js';
import { buildBlockTree, prefixesOf, type NamedLayer } from '../../src/report/blocks.js';
import { ancestorsOf, subtreeOf } from '../../web/src/blocks.js';

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

test('inception_v3 as a Keras file would give it, with no blocks recorded: its eleven modules are still found', () => {
  const spec = getModel('inception_v3');
  for (const n of spec.nodes) delete n.block;
  const tree = buildBlockTree(analyze(resolveGraph(spec)).layers);
  assert.equal(tree.source, 'names');
  for (let i = 0; i <= 10; i++) assert.ok(tree.blocks.has(`mixed${i}`), `mixed${i}`);
});

describe('recorded blocks', () => {
  const layers: NamedLayer[] = [
    { name: 'input', inputs: [] },
    { name: 'c1', inputs: ['input'], block: ['layer1', 'layer1.0'] },
    { name: 'd1', inputs: ['input'], block: ['layer1', 'layer1.0', 'downsample'] },
    { name: 'add1', inputs: ['c1', 'd1'], block: ['layer1', 'layer1.0'] },
    { name: 'c2', inputs: ['add1'], block: ['layer2', 'layer2.0'] },
    { name: 'd2', inputs: ['add1'], block: ['layer2', 'layer2.0', 'downsample'] },
    { name: 'add2', inputs: ['c2', 'd2'], block: ['layer2', 'layer2.0'] },
    { name: 'fc', inputs: ['add2'] },
  ];

  test('are taken as recorded, nested, with their depth; names need not help', () => {
    const tree = buildBlockTree(layers);
    assert.equal(tree.source, 'structure');
    assert.deepEqual(tree.top.map((i) => (i.kind === 'block' ? `B:${i.id}` : i.name)), ['input', 'B:layer1', 'B:layer2', 'fc']);
    assert.deepEqual(tree.blocks.get('layer1')!.layers, ['c1', 'd1', 'add1']);
    assert.equal(tree.blocks.get('layer1.0')!.parent, 'layer1');
    assert.equal(tree.blocks.get('layer1.0')!.depth, 2);
  });

  test('a name used in several places is keyed by as much of its path as tells it apart', () => {
    const tree = buildBlockTree(layers);
    const down = tree.blocks.get('layer2.0/downsample')!;
    assert.equal(down.name, 'downsample');
    assert.equal(down.depth, 3);
    assert.equal(down.parent, 'layer2.0');
    assert.equal(tree.blockOf.get('d1'), 'layer1.0/downsample');
  });
});
