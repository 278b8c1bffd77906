/** The plain layered layout ELK falls back on: positions for every box, frames around their contents, edges down. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel } from '../../src/zoo/index.js';
import { buildBlockTree } from '../../web/src/blocks.js';
import { toElk, visibleGraph, type ElkGraph } from '../../web/src/graph_model.js';
import { countNodes, simpleLayout } from '../../web/src/simple_layout.js';
import { withRanges } from '../../web/src/outline.js';
import { chainSpec } from '../../scripts/synthetic.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Every node with its absolute box. */
function boxes(g: ElkGraph): ElkGraph[] {
  const out: ElkGraph[] = [];
  const stack = [...(g.children ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    stack.push(...(n.children ?? []));
  }
  return out;
}

describe('simpleLayout', () => {
  test('resnet50 with every block open: boxes inside their frames, siblings apart, every edge routed downwards', () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    const tree = buildBlockTree(a.layers);
    const vis = visibleGraph(a, tree, new Set(tree.blocks.keys()));
    const out = simpleLayout(toElk(vis, null));
    const all = boxes(out);
    assert.equal(all.length, countNodes(toElk(vis, null)));
    const byId = new Map(all.map((n) => [n.id, n]));
    for (const n of all) {
      assert.ok(Number.isFinite(n.x) && Number.isFinite(n.y) && n.width! > 0 && n.height! > 0, n.id);
      for (const c of n.children ?? []) {
        assert.ok(c.x! >= n.x! && c.x! + c.width! <= n.x! + n.width! + 0.01, `${c.id} inside ${n.id} horizontally`);
        assert.ok(c.y! >= n.y! && c.y! + c.height! <= n.y! + n.height! + 0.01, `${c.id} inside ${n.id} vertically`);
      }
      const kids = n.children ?? [];
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const [p, q] = [kids[i]!, kids[j]!];
          const overlap = p.x! < q.x! + q.width! && q.x! < p.x! + p.width! && p.y! < q.y! + q.height! && q.y! < p.y! + p.height!;
          assert.ok(!overlap, `${p.id} and ${q.id} overlap`);
        }
      }
    }
    for (const e of out.edges ?? []) {
      const s = e.sections?.[0];
      assert.ok(s, `${e.id} routed`);
      assert.ok(s!.endPoint.y > s!.startPoint.y, `${e.id} points down`);
      assert.equal(s!.startPoint.y, byId.get(e.sources[0]!)!.y! + byId.get(e.sources[0]!)!.height!);
    }
    assert.ok(out.width! > 0 && out.height! > 0);
  });

  test('a chain of 2,000 boxes (past ELK\'s limit): one column, no recursion', () => {
    const a = analyze(resolveGraph(chainSpec(2000)));
    const tree = buildBlockTree(a.layers);
    const vis = visibleGraph(a, tree, new Set());
    const out = simpleLayout(toElk(vis, null));
    const xs = new Set((out.children ?? []).map((c) => c.x! + c.width! / 2));
    assert.equal(xs.size, 1, 'a chain is one straight column');
    const ys = (out.children ?? []).map((c) => c.y!);
    assert.deepEqual(ys, [...ys].sort((p, q) => p - q));
  });

  test('an outline of 100,000 layers lays out at once', () => {
    const a = analyze(resolveGraph(chainSpec(100_000)));
    const { tree } = withRanges(buildBlockTree(a.layers));
    const out = simpleLayout(toElk(visibleGraph(a, tree, new Set()), null));
    assert.ok((out.children ?? []).length <= 100);
  });
});
