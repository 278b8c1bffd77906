/** How the graph view opens blocks: the outermost closed ancestor and the boxes drawn (the default expansion is in outline.test.ts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildBlockTree, collapsedAncestor, visibleCount, type NamedLayer } from '../../web/src/blocks.js';

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
