/** The outline: any graph opens with a drawing of at most a few hundred boxes, and opening stays bounded. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel, listModels } from '../../src/zoo/index.js';
import { buildBlockTree, collapsedAncestor, visibleCount, type BlockTree, type Item } from '../../web/src/blocks.js';
import { defaultExpansion, DRAW_LIMIT, expandAll, FIRST_VIEW_LIMIT, openBlock, RANGE_SIZE, rangeId, withRanges } from '../../web/src/outline.js';
import { chainLayers } from '../../scripts/synthetic.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Every layer under `items`, in order, walking the tree without recursion. */
function layersUnder(tree: BlockTree, items: readonly Item[]): string[] {
  const out: string[] = [];
  const stack = [...items].reverse();
  while (stack.length) {
    const it = stack.pop()!;
    if (it.kind === 'layer') out.push(it.name);
    else stack.push(...[...tree.blocks.get(it.id)!.items].reverse());
  }
  return out;
}

/** No level of the tree offers more than `size` items. */
function widest(tree: BlockTree): number {
  return Math.max(tree.top.length, ...[...tree.blocks.values()].map((b) => b.items.length));
}

describe('withRanges', () => {
  test('a 100,000-layer chain: no level holds more than RANGE_SIZE items, every layer placed once and in order', () => {
    const layers = chainLayers(100_000);
    const { tree, ranges } = withRanges(buildBlockTree(layers));
    assert.ok(widest(tree) <= RANGE_SIZE, `widest level ${widest(tree)}`);
    assert.deepEqual(layersUnder(tree, tree.top), layers.map((l) => l.name));
    assert.ok(ranges.size > 1000);
    const first = tree.blocks.get((tree.top[0] as { id: string }).id)!;
    assert.equal(first.id, rangeId('layer0', first.layers[first.layers.length - 1]!));
    assert.equal(first.parent, null);
  });

  test('each range holds the layers of what it holds, and its parent holds all of them', () => {
    const { tree } = withRanges(buildBlockTree(chainLayers(25_000)));
    for (const b of tree.blocks.values()) {
      assert.deepEqual(b.layers, layersUnder(tree, b.items), b.id);
      if (b.parent !== null) {
        const parent = new Set(tree.blocks.get(b.parent)!.layers);
        assert.ok(b.layers.every((l) => parent.has(l)), `${b.id} inside ${b.parent}`);
      }
    }
    for (const [layer, block] of tree.blockOf) assert.ok(tree.blocks.get(block)!.items.some((it) => it.kind === 'layer' && it.name === layer), layer);
  });

  test('ranges are balanced: 100,002 items fold into ranges of 99 or 100, none with a stray item', () => {
    const { tree, ranges } = withRanges(buildBlockTree(chainLayers(100_002)));
    const sizes = new Set([...ranges].map((id) => tree.blocks.get(id)!.items.length));
    // 1,001 ranges of layers, then 11 ranges of 91 of those at the top.
    assert.deepEqual([...sizes].sort((a, b) => a - b), [91, 99, 100]);
  });

  test('a range is a block one level out: what it holds is one level deeper', () => {
    const { tree } = withRanges(buildBlockTree(chainLayers(20_000)));
    for (const b of tree.blocks.values()) assert.equal(b.depth, b.parent === null ? 1 : tree.blocks.get(b.parent)!.depth + 1, b.id);
  });

  test('a small graph is left as it is', () => {
    const tree = buildBlockTree(chainLayers(RANGE_SIZE));
    const out = withRanges(tree);
    assert.equal(out.ranges.size, 0);
    assert.deepEqual(out.tree.top, tree.top);
  });

  test('the tree given is not changed', () => {
    const tree = buildBlockTree(chainLayers(1000));
    const before = tree.top.length;
    withRanges(tree);
    assert.equal(tree.top.length, before);
  });
});

describe('first views', () => {
  /** What a first view may draw at most: the outline's promise, and the 150 boxes a reader can take in. */
  const most = Math.max(FIRST_VIEW_LIMIT, RANGE_SIZE);
  test('the promise is at most 150 boxes', () => assert.ok(most <= 150));
  for (const meta of listModels()) {
    test(`${meta.id}: at most ${most} boxes`, () => {
      const { tree } = withRanges(buildBlockTree(analyze(resolveGraph(getModel(meta.id))).layers));
      assert.ok(visibleCount(tree, defaultExpansion(tree)) <= most);
    });
  }
  test('a 100,000-layer chain opens as an outline of at most RANGE_SIZE boxes', () => {
    const { tree } = withRanges(buildBlockTree(chainLayers(100_000)));
    assert.ok(visibleCount(tree, defaultExpansion(tree)) <= RANGE_SIZE);
  });
  test('whole levels open while the drawing stays under the limit', () => {
    const tree = buildBlockTree([
      { name: 'input', inputs: [] }, { name: 'a1_b1_x', inputs: ['input'] }, { name: 'a1_b1_y', inputs: ['a1_b1_x'] },
      { name: 'a1_b2_x', inputs: ['a1_b1_y'] }, { name: 'a1_b2_y', inputs: ['a1_b2_x'] }, { name: 'out', inputs: ['a1_b2_y'] },
    ]);
    assert.deepEqual([...defaultExpansion(tree, 3)], []);
    assert.deepEqual([...defaultExpansion(tree, 4)], ['a1']);
    assert.deepEqual([...defaultExpansion(tree, 6)].sort(), ['a1', 'a1_b1', 'a1_b2']);
  });
  test('resnet50 opens its stages and shows its sixteen residual blocks closed', () => {
    const tree = buildBlockTree(analyze(resolveGraph(getModel('resnet50'))).layers);
    const open = defaultExpansion(tree);
    const closed = [...tree.blocks.keys()].filter((b) => !open.has(b) && collapsedAncestor(tree, tree.blocks.get(b)!.layers[0]!, open) === b);
    assert.equal(closed.filter((b) => /^conv\d_block\d+$/.test(b)).length, 16);
  });
});

describe('bounded opening', () => {
  const { tree } = withRanges(buildBlockTree(chainLayers(20_000)));

  test('expand all stops at the drawing limit and says it stopped', () => {
    const o = expandAll(tree);
    assert.equal(o.complete, false);
    assert.ok(visibleCount(tree, o.open) <= DRAW_LIMIT);
    assert.ok(o.open.size > 0);
  });
  test('expand all fills the drawing: a level that does not fit whole opens block by block up to the limit', () => {
    const o = expandAll(tree);
    const boxes = visibleCount(tree, o.open);
    assert.ok(boxes > DRAW_LIMIT - RANGE_SIZE, `${boxes} boxes drawn of ${DRAW_LIMIT} allowed`);
  });
  test('a first view never opens part of a level', () => {
    // The 20,000-layer chain's top holds 3 ranges of 67 ranges each: the ranges of one level
    // all open or all stay closed.
    const open = defaultExpansion(tree, 150);
    const top = tree.top.map((it) => (it as { id: string }).id);
    assert.ok(top.every((b) => open.has(b)) || top.every((b) => !open.has(b)), [...open].join(', '));
  });
  test('expand all opens everything when it fits', () => {
    const small = buildBlockTree(analyze(resolveGraph(getModel('resnet50'))).layers);
    const o = expandAll(small);
    assert.equal(o.complete, true);
    assert.equal(o.open.size, small.blocks.size);
  });
  test('opening a range opens it and what fits inside it', () => {
    const first = (tree.top[0] as { id: string }).id;
    const o = openBlock(tree, new Set(), first);
    assert.ok(o.open.has(first));
    assert.ok(visibleCount(tree, o.open) <= DRAW_LIMIT);
  });
  test('a block that would pass the limit on its own stays closed', () => {
    const first = (tree.top[0] as { id: string }).id;
    const o = openBlock(tree, new Set(), first, 10);
    assert.equal(o.open.has(first), false);
    assert.equal(o.complete, false);
  });
});
