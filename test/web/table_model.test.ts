/** The per-layer table as data: sorting, block sections with subtotals, and the downloads. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { render } from '../../src/report/format.js';
import { summarize, summaryCsvTable, summaryJson, summaryReport } from '../../src/report/summary.js';
import { getModel } from '../../src/zoo/index.js';
import { columns, depthChoices, download, footerTotals, matchesFilter, nextSort, sections, sortMark, tableGroups } from '../../web/src/table_model.js';
import { repoRoot } from '../helpers/paths.js';
import { resolveGraph } from '../../src/graph/graph.js';

const lenet = analyze(resolveGraph(getModel('lenet5')));

describe('sections', () => {
  test('without grouping, one section in graph order whose subtotals are the library totals', () => {
    const [only, ...rest] = sections(lenet, { key: 'index', descending: false });
    assert.equal(rest.length, 0);
    assert.deepEqual(only!.rows.map((r) => r.row.name), lenet.layers.map((l) => l.name));
    assert.equal(only!.totals.params, lenet.totals.params);
    assert.equal(only!.totals.macs, lenet.totals.macs);
    assert.equal(only!.totals.flops, lenet.totals.flops);
    assert.equal(only!.totals.memory, lenet.totals.activationBytes);
  });

  test('sorted by MACs descending, the heaviest layer comes first and ties keep graph order', () => {
    const rows = sections(lenet, { key: 'macs', descending: true })[0]!.rows;
    const macs = rows.map((r) => r.row.macs);
    assert.deepEqual(macs, [...macs].sort((a, b) => b - a));
    const zeros = rows.filter((r) => r.row.macs === 0).map((r) => r.index);
    assert.deepEqual(zeros, [...zeros].sort((a, b) => a - b));
  });

  test('sorted by name ascending', () => {
    const names = sections(lenet, { key: 'name', descending: false })[0]!.rows.map((r) => r.row.name);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
  });

  test('grouped, consecutive layers of a block share a section; sections sort by subtotal', () => {
    const a = analyze(resolveGraph(getModel('vgg16')));
    const groupOf = tableGroups(a);
    assert.equal(groupOf('block1_conv1'), 'block1');
    assert.equal(groupOf('block1_pool'), 'block1');
    const byOrder = sections(a, { key: 'index', descending: false }, groupOf);
    const block3 = byOrder.find((s) => s.block === 'block3')!;
    assert.deepEqual(block3.rows.map((r) => r.row.name), ['block3_conv1', 'block3_conv2', 'block3_conv3', 'block3_pool']);
    assert.equal(block3.totals.macs, block3.rows.reduce((s, r) => s + r.row.macs, 0));
    const byParams = sections(a, { key: 'params', descending: true }, groupOf);
    const params = byParams.map((s) => s.totals.params);
    assert.deepEqual(params, [...params].sort((x, y) => y - x));
  });

  test('sections group by the same blocks as summary --group, to the depth chosen', () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    assert.deepEqual(depthChoices(a), [1, 2]);
    assert.equal(tableGroups(a)('conv2_block1_1_conv'), 'conv2');
    assert.equal(tableGroups(a, 2)('conv2_block1_1_conv'), 'conv2_block1');
    assert.equal(tableGroups(a, 2)('conv1_conv'), 'conv1', 'a stage holding only layers stays one section');
    assert.equal(tableGroups(a, 2)('predictions'), null);
    assert.deepEqual(depthChoices(lenet), []);
  });

  test('the FLOPs column names its convention', () => {
    assert.equal(columns(analyze(resolveGraph(getModel('lenet5')), { convention: 'flops' })).find((c) => c.key === 'flops')!.label, 'FLOPs (flops)');
    assert.equal(columns(lenet).find((c) => c.key === 'flops')!.label, 'FLOPs (lecture)');
  });
});

describe('download', () => {
  const s = summarize(lenet, { batch: 8, optimizer: 'sgd' });
  const renderable = { report: () => summaryReport(s), csv: () => summaryCsvTable(s), json: () => summaryJson(s) };
  for (const format of ['csv', 'json', 'md', 'html'] as const) {
    test(`${format}: the same bytes as the summary report in that format`, () => {
      assert.equal(download(lenet, format, { batch: 8, optimizer: 'sgd' }), render(format, renderable));
    });
  }
  for (const format of ['csv', 'json'] as const) {
    test(`${format}: byte for byte what \`convlab summary --format ${format}\` prints`, () => {
      const cli = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
      const out = execFileSync(process.execPath, [cli, 'summary', 'lenet5', '--format', format, '--batch', '8', '--optimizer', 'sgd'], { encoding: 'utf8' });
      assert.equal(download(lenet, format, { batch: 8, optimizer: 'sgd' }), out);
    });
  }
  test('json carries the exact totals', () => {
    const doc = JSON.parse(download(lenet, 'json', { batch: 1, optimizer: 'adam' })) as { totals: { params: number; flops: number }; layers: unknown[] };
    assert.equal(doc.totals.params, lenet.totals.params);
    assert.equal(doc.totals.flops, lenet.totals.flops);
    assert.equal(doc.layers.length, lenet.layers.length);
  });
});

describe('sorting and filtering', () => {
  test('a click on the sorted column flips it; a new numeric column starts largest first, the index and text ascending', () => {
    assert.deepEqual(nextSort({ key: 'index', descending: false }, 'macs', true), { key: 'macs', descending: true });
    assert.deepEqual(nextSort({ key: 'macs', descending: true }, 'macs', true), { key: 'macs', descending: false });
    assert.deepEqual(nextSort({ key: 'macs', descending: true }, 'index', true), { key: 'index', descending: false });
    assert.deepEqual(nextSort({ key: 'macs', descending: true }, 'name', false), { key: 'name', descending: false });
  });

  test('the header marks the sorted column only', () => {
    const sort = { key: 'macs', descending: true } as const;
    assert.deepEqual(sortMark(sort, 'macs'), { state: 'descending', arrow: ' ▾' });
    assert.deepEqual(sortMark({ ...sort, descending: false }, 'macs'), { state: 'ascending', arrow: ' ▴' });
    assert.deepEqual(sortMark(sort, 'params'), { state: 'none', arrow: '' });
  });

  test('the filter matches part of a name or an op, in lower case', () => {
    assert.ok(matchesFilter('', { name: 'conv1', op: 'Conv2D' }));
    assert.ok(matchesFilter('conv2d', { name: 'c', op: 'Conv2D' }));
    assert.ok(matchesFilter('v1', { name: 'conv1', op: 'Conv2D' }));
    assert.ok(!matchesFilter('pool', { name: 'conv1', op: 'Conv2D' }));
  });

  test("the footer holds the library's totals", () => {
    const t = footerTotals(lenet);
    assert.equal(t.params, lenet.totals.params);
    assert.equal(t.flops, lenet.totals.flops);
    assert.equal(t.memory, lenet.totals.activationBytes);
  });
});
