/**
 * Computations cut into steps: `complete` runs one through, and every stepwise form in the
 * library (resolving, analysing, the inference peak, the block tree) yields at least once per
 * node and returns exactly what its one-call form returns.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze, analyzeSteps, inferencePeak, inferencePeakSteps } from '../../src/analysis/index.js';
import { complete, type Steps } from '../../src/core/steps.js';
import { resolveGraph, resolveGraphSteps } from '../../src/graph/graph.js';
import { buildBlockTree, buildBlockTreeSteps } from '../../src/report/blocks.js';
import { getModel } from '../../src/zoo/index.js';
import { chainSpec } from '../../scripts/synthetic.js';

/** Runs steps through, counting the yields. */
function count<T>(steps: Steps<T>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return { value: r.value, yields };
    yields++;
  }
}

describe('complete', () => {
  test('runs every step and returns the result', () => {
    const seen: number[] = [];
    function* three(): Steps<string> {
      for (const i of [1, 2, 3]) {
        seen.push(i);
        yield;
      }
      return 'done';
    }
    assert.equal(complete(three()), 'done');
    assert.deepEqual(seen, [1, 2, 3]);
  });

  test('passes an error thrown in a step on', () => {
    function* failing(): Steps<number> {
      yield;
      throw new Error('step 2');
    }
    assert.throws(() => complete(failing()), /step 2/);
  });
});

describe('stepwise forms of the library', () => {
  for (const [label, spec] of [['resnet50', getModel('resnet50')], ['a chain of 300 layers', chainSpec(300)]] as const) {
    test(`${label}: each yields per node and equals its one-call form`, () => {
      const nodes = spec.nodes.length;
      const g = count(resolveGraphSteps(spec));
      assert.ok(g.yields >= nodes, `resolveGraphSteps yielded ${g.yields} times for ${nodes} nodes`);
      assert.deepEqual(g.value, resolveGraph(spec));
      for (const convention of ['lecture', 'flops'] as const) {
        const a = count(analyzeSteps(g.value, { convention, params: 'torch' }));
        assert.ok(a.yields >= nodes, `analyzeSteps yielded ${a.yields} times`);
        assert.deepEqual(a.value, analyze(g.value, { convention, params: 'torch' }));
      }
      const analysis = analyze(g.value);
      const p = count(inferencePeakSteps(g.value, analysis.layers));
      assert.ok(p.yields >= nodes);
      assert.equal(p.value, inferencePeak(g.value, analysis.layers));
      const b = count(buildBlockTreeSteps(analysis.layers));
      assert.ok(b.yields >= nodes);
      assert.deepEqual(b.value, buildBlockTree(analysis.layers));
    });
  }

  test('a bad spec fails the same way stepwise', () => {
    const bad = { name: 'bad', inputs: [{ name: 'x', shape: [8, 8, 3] }], nodes: [{ name: 'c', op: 'Conv2D', inputs: ['nowhere'], attrs: { filters: 2 } }], outputs: ['c'] };
    let message = '';
    try {
      resolveGraph(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    assert.notEqual(message, '');
    assert.throws(() => complete(resolveGraphSteps(bad)), { message });
  });
});
