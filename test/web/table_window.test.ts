/** The table a window at a time: the lines, the slice in view, scrolling to a line, steady column widths. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel } from '../../src/zoo/index.js';
import { columns, sections, tableGroups } from '../../web/src/table_model.js';
import { columnWidths, LINE_HEIGHT, OVERSCAN, scrollFor, tableLines, windowOf } from '../../web/src/table_window.js';
import { chainSpec } from '../../scripts/synthetic.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('tableLines', () => {
  const a = analyze(resolveGraph(getModel('resnet50')));
  const secs = sections(a, { key: 'index', descending: false }, tableGroups(a));
  test('a header per block, then its rows; every layer once', () => {
    const lines = tableLines(secs, new Set(), '');
    assert.equal(lines.filter((l) => l.kind === 'row').length, a.layers.length);
    assert.equal(lines.filter((l) => l.kind === 'section').length, secs.filter((s) => s.block !== null).length);
  });
  test('a folded block keeps its header only', () => {
    const block = secs.find((s) => s.block !== null)!;
    const lines = tableLines(secs, new Set([block.block!]), '');
    assert.equal(lines.filter((l) => l.kind === 'row').length, a.layers.length - block.rows.length);
  });
  test('the filter keeps matching rows and the headers of their blocks, with how many match', () => {
    const lines = tableLines(secs, new Set(), 'conv2_block1_1');
    const rows = lines.filter((l) => l.kind === 'row');
    assert.ok(rows.length > 0 && rows.every((l) => l.kind === 'row' && l.row.row.name.includes('conv2_block1_1')));
    const header = lines.find((l) => l.kind === 'section');
    if (header?.kind === 'section') assert.equal(header.shown, rows.length);
  });
});

describe('windowOf and scrollFor', () => {
  test('the lines in view and a margin each side, within the table', () => {
    assert.deepEqual(windowOf(0, 10 * LINE_HEIGHT, 100_000), { start: 0, end: 11 + OVERSCAN });
    assert.deepEqual(windowOf(50_000 * LINE_HEIGHT, 10 * LINE_HEIGHT, 100_000), { start: 50_000 - OVERSCAN, end: 50_011 + OVERSCAN });
    assert.deepEqual(windowOf(99_995 * LINE_HEIGHT, 10 * LINE_HEIGHT, 100_000), { start: 99_995 - OVERSCAN, end: 100_000 });
  });
  test('a line above the view scrolls to its top, one below to its bottom, one in view stays', () => {
    assert.equal(scrollFor(5, 100 * LINE_HEIGHT, 10 * LINE_HEIGHT), 5 * LINE_HEIGHT);
    assert.equal(scrollFor(200, 100 * LINE_HEIGHT, 10 * LINE_HEIGHT), 201 * LINE_HEIGHT - 10 * LINE_HEIGHT);
    assert.equal(scrollFor(104, 100 * LINE_HEIGHT, 10 * LINE_HEIGHT), 100 * LINE_HEIGHT);
  });
});

describe('columnWidths', () => {
  test('wide enough for the longest name and the largest number, and for the heading', () => {
    const a = analyze(resolveGraph(chainSpec(1000)));
    const labels = Object.fromEntries(columns(a).map((c) => [c.key, c.label])) as never;
    const w = columnWidths(a, labels);
    assert.ok(w.name >= 'layer999'.length);
    assert.ok(w.index >= 4);
    for (const c of columns(a)) assert.ok(w[c.key] >= c.label.length, c.key);
    for (const c of columns(a).filter((x) => x.numeric)) assert.ok(a.layers.every((r, i) => c.text(r, i).length <= w[c.key]), c.key);
  });
});
