/** Counts past 2^53 stay exact: in formulas, layers, totals, training memory and the JSON document. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { countOf } from '../../src/analysis/exact.js';
import { trainingBytes, trainingMemory } from '../../src/analysis/memory.js';
import { formatNumber } from '../../src/core/format.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { evaluateExact, explain, mul, v } from '../../src/ops/formula.js';
import { summarize, summaryJson } from '../../src/report/summary.js';
import { toJson } from '../../src/report/json.js';
import { human, bytes } from '../../src/report/units.js';
import { getModel } from '../../src/zoo/index.js';
import { row } from '../helpers/build.js';

const N = 1_000_001;
const n = BigInt(N);

describe('exact counts', () => {
  test('a product past 2^53 is evaluated in integers and printed with every digit', () => {
    // Odd, and past 2^53: no double holds it.
    const e = mul(v('hout', N), v('wout', N), v('K', 27), v('fh', 3), v('fw', 3), v('cin', 81));
    const exact = n * n * 27n * 9n * 81n;
    assert.equal(evaluateExact(e), exact);
    const x = explain(e);
    assert.equal(x.exact, exact);
    assert.notEqual(BigInt(x.value), exact, 'the double has lost digits');
    assert.ok(x.text.endsWith(`= ${formatNumber(exact)}`));
    assert.equal(explain(mul(v('a', 3), v('b', 4))).exact, undefined, 'small counts stay plain numbers');
  });

  test('VGG16 on a 1,000,001² input: layer, total and training figures are exact', () => {
    const a = analyze(resolveGraph(getModel('vgg16', { input: [N, N, 3], includeTop: false })));
    const conv = row(a, 'block1_conv2');
    assert.equal(countOf(conv, 'macs'), n * n * 64n * 9n * 64n);
    const sum = a.layers.reduce((s, r) => s + BigInt(countOf(r, 'macs')), 0n);
    assert.equal(countOf(a.totals, 'macs'), sum);
    assert.ok(sum > BigInt(Number.MAX_SAFE_INTEGER));
    const m = trainingMemory(a, { batch: 32, optimizer: 'adam' });
    const saved = a.layers.filter((r) => r.op !== 'Input').reduce((s, r) => s + r.outputShape.reduce((p, d) => p * BigInt(d), 4n), 0n);
    assert.equal(trainingBytes(m, 'activations'), 32n * saved);
  });

  test('JSON writes the exact integers as numbers with every digit', () => {
    const a = analyze(resolveGraph(getModel('vgg16', { input: [N, N, 3], includeTop: false })));
    const text = toJson(summaryJson(summarize(a, { batch: 1, optimizer: 'sgd' })));
    assert.ok(text.includes(`"macs": ${countOf(a.totals, 'macs').toString()}`));
    assert.ok(text.includes(`"macs": ${(n * n * 64n * 9n * 64n).toString()}`));
  });

  test('units go through peta and exa', () => {
    assert.equal(human(305_856_077_184_038_592n), '305.86P');
    assert.equal(human(2.9e19), '29E');
    assert.equal(bytes(2 ** 50 * 1.5), '1.5 PiB');
    assert.equal(bytes(2n ** 61n), '2 EiB');
  });
});
