/** The what-if report: how savings read, the total row, and JSON that keeps summary's keys. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { summarize, summaryJson } from '../../src/report/summary.js';
import { changeText, whatIfJson, whatIfReport, whatIfTable } from '../../src/report/whatif.js';
import { whatIf } from '../../src/rewrite/index.js';
import { getModel } from '../../src/zoo/index.js';

describe('what-if report', () => {
  test('savings read as "× fewer", growth as "× more", and zero as removed', () => {
    assert.equal(changeText(25, 18), '1.39× fewer');
    assert.equal(changeText(18, 25), '1.39× more');
    assert.equal(changeText(100, 100), 'unchanged');
    assert.equal(changeText(7, 0), 'all removed');
    assert.equal(changeText(0, 7), 'new');
    assert.equal(changeText(2, 1, 'faster', 'slower'), '2.00× faster');
    assert.equal(changeText(123, 4, 'faster', 'slower'), '30.8× faster');
  });

  test('one row per changed part and a last row for the whole model', () => {
    const w = whatIf(getModel('googlenet'), ['no-lrn']);
    const t = whatIfTable(w);
    assert.deepEqual(t.rows.map((r) => r[0]!.text), ['pool1_norm1', 'conv2_norm2', 'whole model']);
    assert.equal(t.rows[0]![2]!.text, 'LRN removed');
    // A removed layer has nothing after it.
    assert.equal(t.rows[0]![3]!.text, '0 → —');
  });

  test('JSON totals have exactly the keys and values of summary\'s totals', () => {
    const w = whatIf(getModel('lenet5'), ['separable']);
    const doc = whatIfJson(w) as { before: { totals: unknown }; after: { totals: unknown } };
    const summary = (s: typeof w.before) => (summaryJson(summarize(s.analysis, { batch: 32, optimizer: 'adam' })) as { totals: unknown }).totals;
    assert.deepEqual(doc.before.totals, summary(w.before));
    assert.deepEqual(doc.after.totals, summary(w.after));
  });

  test('the report says what was measured when latency and accuracy are given', () => {
    const w = whatIf(getModel('lenet5'), ['separable']);
    const facts = whatIfReport(w, {
      latency: { engine: 'onnxruntime-node 1.30.0', threads: 2, batch: 1, runs: 20, beforeMs: 2, afterMs: 1, weights: 'seeded' },
      accuracy: { dataset: 'mnist', recipe: '1 epoch', testSamples: 100, before: 0.98, after: 0.97 },
    }).totals;
    assert.equal(facts.find((f) => f.label === 'Latency, batch 1')!.text, '2.00 ms → 1.00 ms: 3.86× fewer MACs, 2.00× faster (onnxruntime-node 1.30.0, 2 threads, median of 20 runs, seeded)');
    assert.equal(facts.find((f) => f.label === 'Test top-1, mnist')!.text, '98.00% → 97.00% (100 samples; 1 epoch)');
  });
});
