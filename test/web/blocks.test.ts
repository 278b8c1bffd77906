/** How the graph view opens blocks: the outermost closed ancestor, visible boxes and the default expansion. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveGraph } from '../../src/graph/graph.js';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel } from '../../src/zoo/index.js';
import { buildBlockTree, collapsedAncestor, defaultExpansion, visibleCount, type NamedLayer } from '../../web/src/blocks.js';

/** A chain of layers, each reading the one before. */
const chain = (names: string[]): NamedLayer[] => names.map((name, i) => ({ name, inputs: i === 0 ? [] : [names[i - 1]!] }));

describe('block tree in the graph view', () => {
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
