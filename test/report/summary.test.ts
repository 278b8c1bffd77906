/** The summary report: what each total line says, and the formulas section. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { maxBatch, trainingMemory } from '../../src/analysis/memory.js';
import { parseColumns, windowCompact, windowOf } from '../../src/report/columns.js';
import { formulaSections, layerFormulas, summarize, summaryReport, summaryTable, trainingParts } from '../../src/report/summary.js';
import { bytes } from '../../src/report/units.js';
import { getModel } from '../../src/zoo/index.js';
import { resolveGraph } from '../../src/graph/graph.js';

const lenet = analyze(resolveGraph(getModel('lenet5')));

describe('summary report', () => {
  test('a budget no batch fits says why: the weights part alone, or one sample on top of it', () => {
    const fact = (budgetBytes: number) => summaryReport(summarize(lenet, { batch: 1, optimizer: 'adam', budgetBytes, budgetText: 'B' })).totals.at(-1)!.text;
    const m = trainingMemory(lenet, { batch: 1, optimizer: 'adam' });
    assert.equal(fact(1024), `no batch: weights, gradients and optimizer state alone need ${bytes(m.fixed)} (training, adam, fp32); give a budget above that`);
    assert.equal(fact(m.fixed + 1), `no batch: one sample needs ${bytes(m.perSample)} beyond the ${bytes(m.fixed)} of weights, gradients and optimizer state (training, adam, fp32)`);
    assert.equal(fact(m.fixed + m.perSample), 'batch 1 (training, adam, fp32)');
  });

  test('training memory and the budget fit come from the memory model', () => {
    const s = summarize(lenet, { batch: 16, optimizer: 'momentum', budgetBytes: 2 ** 20, budgetText: '1MiB' });
    assert.deepEqual(s.training, trainingMemory(lenet, { batch: 16, optimizer: 'momentum' }));
    assert.equal(s.fits!.maxBatch, maxBatch(lenet, 2 ** 20, { optimizer: 'momentum' }));
    const labels = summaryReport(s).totals.map((f) => f.label);
    assert.deepEqual(labels, ['Total params', 'MACs', 'FLOPs (lecture)', 'Training FLOPs, batch 16', 'Parameter memory', 'Activations', 'Inference peak', 'Training, batch 16', 'Fits in 1MiB']);
  });

  test('the macs convention drops the FLOPs column, which would repeat MACs', () => {
    const t = summaryTable(summarize(analyze(resolveGraph(getModel('lenet5')), { convention: 'macs' }), { batch: 1, optimizer: 'sgd' }));
    assert.deepEqual(t.columns.map((c) => c.header), ['Layer (type)', 'Output shape', 'Param #', 'MACs', 'Act. mem', 'RF', 'Jump']);
  });

  test('formulas: symbolic, then substituted; layers that cost nothing only when named', () => {
    const conv1 = lenet.layers.find((l) => l.name === 'conv1')!;
    assert.deepEqual(layerFormulas(conv1, 'lecture').slice(0, 3), [
      'conv1 (Conv2D)',
      '  params    fh·fw·cin·K + K = 5·5·1·6 + 6 = 156',
      '  MACs      hout·wout·K·fh·fw·cin = 28·28·6·5·5·1 = 117,600',
    ]);
    const flatten = lenet.layers.find((l) => l.name === 'flatten')!;
    assert.deepEqual(layerFormulas(flatten, 'lecture'), []);
    assert.equal(layerFormulas(flatten, 'lecture', true)[0], 'flatten (Flatten)');
    const [, , training] = formulaSections(summarize(lenet, { batch: 32, optimizer: 'adam' }));
    const m = trainingMemory(lenet, { batch: 32, optimizer: 'adam' });
    assert.ok(training!.lines.at(-1)!.endsWith(`= ${m.total.toLocaleString('en-US')} B`));
  });

  test('training memory adds up from its parts, listed in the order the totals line names them', () => {
    const s = summarize(lenet, { batch: 8, optimizer: 'adam' });
    const parts = trainingParts(s.training);
    assert.deepEqual(parts.map((p) => p.label), ['weights', 'gradients', 'optimizer state', 'saved activations', 'activation gradients', 'input']);
    assert.equal(parts.reduce((t, p) => t + p.bytes, 0), s.training.total);
    const line = summaryReport(s).totals.find((f) => f.label === 'Training, batch 8')!.text;
    assert.match(line, / = weights .* \+ gradients .* \+ optimizer state .* \+ saved activations .* \+ activation gradients .* \+ input /);
  });
});

describe('summary columns', () => {
  test('the lecture\'s hyper-parameters, compact as 3×3/2 same: ZFNet against AlexNet', () => {
    const zf = summarize(analyze(resolveGraph(getModel('zfnet'))), { batch: 1, optimizer: 'sgd', columns: ['window', 'kernel', 'stride', 'padding', 'shape'] });
    const t = summaryTable(zf);
    assert.deepEqual(t.columns.map((c) => c.header), ['Layer (type)', 'Kernel/stride pad', 'Kernel', 'Stride', 'Padding', 'Output shape']);
    const row = (name: string) => t.rows.find((r) => r[0]!.text.startsWith(`${name} `))!.map((c) => c.text);
    assert.deepEqual(row('conv1').slice(1, 5), ['7×7/2 p1', '7×7', '2', 'p1']);
    assert.deepEqual(row('conv2').slice(1, 2), ['5×5/2 valid'], 'ZFNet\'s conv2 is strided');
    assert.equal(row('pool1')[1], '3×3/2 valid ceil');
    const alex = summaryTable(summarize(analyze(resolveGraph(getModel('alexnet'))), { batch: 1, optimizer: 'sgd', columns: ['window'] }));
    assert.equal(alex.rows.find((r) => r[0]!.text.startsWith('conv1 '))![1]!.text, '11×11/4 valid');
  });

  test('connected-to lists the inputs of each layer, as Keras does for branchy graphs', () => {
    const t = summaryTable(summarize(analyze(resolveGraph(getModel('resnet50'))), { batch: 1, optimizer: 'sgd', columns: ['connected'] }));
    const add = t.rows.find((r) => r[0]!.text.startsWith('conv2_block1_add '))!;
    assert.equal(add[1]!.text, 'conv2_block1_0_bn, conv2_block1_3_bn');
  });

  test('unknown columns are refused with a suggestion', () => {
    assert.throws(() => parseColumns('kernal,params'), /unknown "kernal"; did you mean kernel/);
    assert.deepEqual(parseColumns('params, macs,params'), ['params', 'macs']);
  });

  test('--by-op rows sum to the totals and show only sums: no one tensor has their shape or field', () => {
    const s = summarize(analyze(resolveGraph(getModel('vgg16'))), { batch: 1, optimizer: 'sgd', byOp: true, columns: ['window', 'shape', 'params', 'rf', 'memory'] });
    const t = summaryTable(s);
    assert.deepEqual(t.columns.map((c) => c.header), ['Op (layers)', 'Param #', 'Act. mem']);
    const conv = t.rows.find((r) => r[0]!.text === 'Conv2D (13)')!;
    assert.equal(conv[1]!.text, '14,714,688');
    assert.equal(s.ops!.reduce((x, r) => x + r.params, 0), s.analysis.totals.params);
  });

  test('grouped, a block is connected to what feeds it from outside, and a lone layer reads as in the per-layer table', () => {
    const s = summarize(analyze(resolveGraph(getModel('inception_v3'))), { batch: 1, optimizer: 'sgd', group: true, depth: 2, columns: ['window', 'connected'] });
    const row = (name: string) => summaryTable(s).rows.find((r) => r[0]!.text.trim().startsWith(`${name} `))!.map((c) => c.text);
    assert.deepEqual(row('mixed1').slice(1), ['', 'mixed0']);
    assert.deepEqual(row('branch7x7dbl').slice(1), ['', 'mixed3']);
    assert.deepEqual(row('conv2d').slice(1), ['3×3/2 valid', 'input']);
  });

  test('windows of every windowed op read from their attributes', () => {
    assert.deepEqual(windowOf({ op: 'Conv2D', attrs: { kernelSize: [1, 7], strides: [1, 1], padding: 'same', dilation: [2, 2] } }), { kernel: '1×7', stride: '1', padding: 'same', extra: ['d2'] });
    assert.equal(windowOf({ op: 'Dense', attrs: { units: 3 } }), undefined);
    assert.equal(windowCompact(windowOf({ op: 'GlobalAvgPool', attrs: {} })!), 'global');
    assert.equal(windowCompact(windowOf({ op: 'MaxPool2D', attrs: { poolSize: [3, 3], strides: [2, 1], padding: [0, 1, 0, 1] } })!), '3×3/2×1 p0,1,0,1');
  });
});
