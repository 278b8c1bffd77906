/** The summary report: what each total line says, and the formulas section. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { maxBatch, trainingMemory } from '../../src/analysis/memory.js';
import { formulaSections, layerFormulas, summarize, summaryReport, summaryTable, trainingParts } from '../../src/report/summary.js';
import { getModel } from '../../src/zoo/index.js';
import { resolveGraph } from '../../src/graph/graph.js';

const lenet = analyze(resolveGraph(getModel('lenet5')));

describe('summary report', () => {
  test('training memory and the budget fit come from the memory model', () => {
    const s = summarize(lenet, { batch: 16, optimizer: 'momentum', budgetBytes: 2 ** 20, budgetText: '1MiB' });
    assert.deepEqual(s.training, trainingMemory(lenet, { batch: 16, optimizer: 'momentum' }));
    assert.equal(s.fits!.maxBatch, maxBatch(lenet, 2 ** 20, { optimizer: 'momentum' }));
    const labels = summaryReport(s).totals.map((f) => f.label);
    assert.deepEqual(labels, ['Total params', 'MACs', 'FLOPs (lecture)', 'Parameter memory', 'Activations', 'Inference peak', 'Training, batch 16', 'Fits in 1MiB']);
  });

  test('the macs convention drops the FLOPs column, which would repeat MACs', () => {
    const t = summaryTable(summarize(analyze(resolveGraph(getModel('lenet5')), { convention: 'macs' }), { batch: 1, optimizer: 'sgd' }));
    assert.deepEqual(t.columns.map((c) => c.header), ['Layer (type)', 'Output shape', 'Param #', 'MACs', 'Act. mem', 'RF', 'Jump']);
  });

  test('formulas: symbolic, then substituted; layers that cost nothing only when named', () => {
    const conv1 = lenet.layers.find((l) => l.name === 'conv1')!;
    assert.deepEqual(layerFormulas(conv1, 'lecture').slice(0, 3), [
      'conv1 (Conv2D)',
      '  params  fh·fw·cin·K + K = 5·5·1·6 + 6 = 156',
      '  MACs    hout·wout·K·fh·fw·cin = 28·28·6·5·5·1 = 117,600',
    ]);
    const flatten = lenet.layers.find((l) => l.name === 'flatten')!;
    assert.deepEqual(layerFormulas(flatten, 'lecture'), []);
    assert.equal(layerFormulas(flatten, 'lecture', true)[0], 'flatten (Flatten)');
    const [, training] = formulaSections(summarize(lenet, { batch: 32, optimizer: 'adam' }));
    const m = trainingMemory(lenet, { batch: 32, optimizer: 'adam' });
    assert.ok(training!.lines.at(-1)!.endsWith(`= ${m.total.toLocaleString('en-US')} B`));
  });

  test('training memory adds up from its parts, listed in the order the totals line names them', () => {
    const s = summarize(lenet, { batch: 8, optimizer: 'adam' });
    const parts = trainingParts(s.training);
    assert.deepEqual(parts.map((p) => p.label), ['weights', 'gradients', 'optimizer state', 'saved activations', 'input']);
    assert.equal(parts.reduce((t, p) => t + p.bytes, 0), s.training.total);
    const line = summaryReport(s).totals.find((f) => f.label === 'Training, batch 8')!.text;
    assert.match(line, / = weights .* \+ gradients .* \+ optimizer state .* \+ saved activations .* \+ input /);
  });
});
