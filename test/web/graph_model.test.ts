/** The graph view's data: boxes, frames and edges for a set of open blocks, and their ELK layout. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ElkModule from 'elkjs';
import { analyze } from '../../src/analysis/analyze.js';
import { GraphBuilder } from '../../src/graph/builder.js';
import { buildBlockTree } from '../../web/src/blocks.js';
import { openBlock } from '../../web/src/outline.js';
import { blockId, boxOfSelection, boxSize, closedBlocks, layerId, metricText, metricValues, owed, revealing, toElk, closing, visibleGraph, type ElkGraph, type VisNode } from '../../web/src/graph_model.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Two residual-style blocks on a small input: enough structure for frames, shortcuts and merged edges. */
function twoBlocks() {
  const b = new GraphBuilder('two_blocks');
  let x = b.input([8, 8, 4], 'input');
  for (const name of ['s1_block1', 's1_block2']) {
    const y = b.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same', name: `${name}_conv` });
    const z = b.activation(y, 'relu', `${name}_relu`);
    x = b.add([x, z], `${name}_add`);
  }
  const out = b.dense(b.flatten(x, 'flatten'), { units: 3, name: 'predictions' });
  return analyze(resolveGraph(b.build(out)));
}

describe('visibleGraph', () => {
  const a = twoBlocks();
  const tree = buildBlockTree(a.layers);

  test('with every block closed, the stage is one box and edges run between boxes only', () => {
    const g = visibleGraph(a, tree, new Set());
    assert.deepEqual(g.roots.map((n) => n.id), [layerId('input'), blockId('s1'), layerId('flatten'), layerId('predictions')]);
    assert.deepEqual(g.edges.map((e) => `${e.source}>${e.target}`), ['L:input>B:s1', 'B:s1>L:flatten', 'L:flatten>L:predictions']);
    assert.equal(g.boxOf.get('s1_block2_relu'), 'B:s1');
  });

  test('a closed block sums its layers', () => {
    const g = visibleGraph(a, tree, new Set());
    const s1 = g.roots.find((n) => n.id === 'B:s1')!;
    const members = a.layers.filter((l) => l.name.startsWith('s1_'));
    assert.equal(s1.values.macs, members.reduce((s, l) => s + l.macs, 0));
    assert.equal(s1.values.params, members.reduce((s, l) => s + l.params, 0));
    assert.equal(s1.layers, members.length);
  });

  test('opening the stage shows its blocks inside a frame; the two edges from block1 to block2 merge into one', () => {
    const g = visibleGraph(a, tree, new Set(['s1']));
    const frame = g.roots.find((n) => n.id === 'B:s1')!;
    assert.equal(frame.kind, 'frame');
    assert.deepEqual(frame.children!.map((n) => `${n.kind}:${n.name}`), ['block:s1_block1', 'block:s1_block2']);
    assert.equal(g.edges.filter((e) => e.source === 'B:s1_block1' && e.target === 'B:s1_block2').length, 1);
  });

  test('with everything open, every layer is its own box and every input an edge', () => {
    const g = visibleGraph(a, tree, new Set(tree.blocks.keys()));
    assert.equal([...new Set(g.boxOf.values())].length, a.layers.length);
    assert.equal(g.edges.length, a.layers.reduce((s, l) => s + l.inputs.length, 0));
  });

  test('max and min are the extremes of the drawn boxes', () => {
    const g = visibleGraph(a, tree, new Set(tree.blocks.keys()));
    const macs = a.layers.map((l) => l.macs).filter((m) => m > 0);
    assert.equal(g.max.macs, Math.max(...macs));
    assert.equal(g.min.macs, Math.min(...macs));
  });
});

describe('boxSize', () => {
  const node: VisNode = { id: 'L:x', kind: 'layer', name: 'a_rather_long_layer_name', detail: 'Conv2D (8,8,4)', values: { macs: 25, params: 1, memory: 1 }, layers: 1 };
  test('a box is wide enough for its longest line', () => {
    assert.ok(boxSize(node, null, { macs: 100, params: 1, memory: 1 }).width >= node.name.length * 6);
  });
  test('sized by a metric, a box grows with the square root of its share', () => {
    const small = boxSize(node, 'macs', { macs: 100, params: 1, memory: 1 });
    const big = boxSize({ ...node, values: { ...node.values, macs: 100 } }, 'macs', { macs: 100, params: 1, memory: 1 });
    const base = boxSize(node, null, { macs: 100, params: 1, memory: 1 });
    assert.equal(small.height - base.height, Math.round(34 * Math.sqrt(0.25)));
    assert.ok(big.height > small.height && big.width > small.width);
  });
});

describe('toElk + ELK layered layout', () => {
  // elkjs is CommonJS: under NodeNext its default export arrives as the module object.
  const ELK = ((ElkModule as unknown as { default?: unknown }).default ?? ElkModule) as new () => { layout(g: unknown): Promise<unknown> };
  const elk = new ELK();
  const a = twoBlocks();
  const tree = buildBlockTree(a.layers);

  const boxes = (g: ElkGraph): ElkGraph[] => (g.children ?? []).flatMap((c) => (c.children ? [c, ...boxes(c)] : [c]));

  test('every box gets a position, frames contain their children, and every edge is routed', async () => {
    const vis = visibleGraph(a, tree, new Set(['s1', 's1_block1']));
    const out = (await elk.layout(toElk(vis, null) as never)) as unknown as ElkGraph;
    const all = boxes(out);
    assert.equal(all.length, 9);
    for (const n of all) assert.ok(Number.isFinite(n.x) && Number.isFinite(n.y), n.id);
    const frame = all.find((n) => n.id === 'B:s1')!;
    for (const c of frame.children!) {
      assert.ok(c.x! >= frame.x! && c.x! + c.width! <= frame.x! + frame.width!, `${c.id} inside the frame horizontally`);
      assert.ok(c.y! >= frame.y! && c.y! + c.height! <= frame.y! + frame.height!, `${c.id} inside the frame vertically`);
    }
    assert.equal(out.edges!.length, vis.edges.length);
    for (const e of out.edges!) assert.ok(e.sections && e.sections.length > 0, `${e.id} routed`);
  });

  test('layers read top to bottom: every edge points down', async () => {
    const vis = visibleGraph(a, tree, new Set(tree.blocks.keys()));
    const out = (await elk.layout(toElk(vis, null) as never)) as unknown as ElkGraph;
    const pos = new Map(boxes(out).map((n) => [n.id, n]));
    for (const e of vis.edges) assert.ok(pos.get(e.source)!.y! < pos.get(e.target)!.y!, `${e.source} above ${e.target}`);
  });
});

describe('opening, closing and revealing', () => {
  const a = twoBlocks();
  const tree = buildBlockTree(a.layers);

  test('revealing a layer opens every frame around it and keeps what was open', () => {
    const open = revealing(tree, new Set(['x']), 's1_block2_relu');
    assert.deepEqual([...open].sort(), ['s1', 's1_block2', 'x']);
    assert.equal(visibleGraph(a, tree, open).boxOf.get('s1_block2_relu'), layerId('s1_block2_relu'));
  });

  test('a block opens with everything inside it (under the drawing limit) and closes with everything inside it', () => {
    const { open, complete } = openBlock(tree, new Set(), 's1');
    assert.equal(complete, true);
    assert.deepEqual([...open].sort(), ['s1', 's1_block1', 's1_block2']);
    assert.deepEqual([...closing(tree, open, 's1_block1')].sort(), ['s1', 's1_block2']);
    assert.deepEqual([...closing(tree, open, 's1')], []);
  });

  test('the selection is drawn in the box that holds it; a block selection is its own box', () => {
    const g = visibleGraph(a, tree, new Set());
    assert.equal(boxOfSelection(g, 's1_block1_conv'), 'B:s1');
    assert.equal(boxOfSelection(g, 'B:s1'), 'B:s1');
    assert.equal(boxOfSelection(g, null), null);
    assert.equal(boxOfSelection(null, 'predictions'), null);
  });

  test('closed blocks are counted inside open frames too', () => {
    assert.equal(closedBlocks(visibleGraph(a, tree, new Set())), 1);
    assert.equal(closedBlocks(visibleGraph(a, tree, new Set(['s1']))), 2);
    assert.equal(closedBlocks(visibleGraph(a, tree, new Set(tree.blocks.keys()))), 0);
  });

  test('metric values are the report\'s sums, memory being activation bytes', () => {
    const rows = a.layers.filter((l) => l.name.startsWith('s1_block1'));
    assert.deepEqual(metricValues(rows), {
      macs: rows.reduce((s, l) => s + l.macs, 0), params: rows.reduce((s, l) => s + l.params, 0), memory: rows.reduce((s, l) => s + l.activationBytes, 0),
    });
    assert.equal(metricText('memory', 2048), '2 KiB');
    assert.equal(metricText('macs', 117_600), '117.6k');
  });
});

describe('owed', () => {
  const set = (...c: string[]) => new Set(c);
  test('a new model outranks everything owed', () => {
    assert.equal(owed('numbers', set('model', 'analysis'), false), 'model');
    assert.equal(owed('style', set('model'), false), 'model');
  });
  test('new numbers wait, but opened blocks lay out now', () => {
    assert.equal(owed(null, set('analysis'), false), 'numbers');
    assert.equal(owed('numbers', set('expansion'), false), 'expansion');
    assert.equal(owed('model', set('expansion'), false), 'model');
  });
  test('only a style change that resizes boxes asks for a layout', () => {
    assert.equal(owed(null, set('style'), false), null);
    assert.equal(owed(null, set('style'), true), 'style');
    assert.equal(owed('expansion', set('style'), true), 'expansion');
    assert.equal(owed(null, set('selection'), true), null);
  });
});
