/** The renderers: CSV quoting, markdown and HTML escaping, inline JSON arrays, the text table layout. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { csvField, renderCsv } from '../../src/report/csv.js';
import { numCell, textCell, type Report, type Table } from '../../src/report/document.js';
import { render } from '../../src/report/format.js';
import { toJson } from '../../src/report/json.js';
import { escapeHtml, renderHtml, renderMarkdown } from '../../src/report/markup.js';
import { renderText } from '../../src/report/table.js';

const table: Table = {
  columns: [{ key: 'name', header: 'Name', numeric: false }, { key: 'n', header: 'N', numeric: true }],
  rows: [
    [textCell('a|b, "c"'), numCell(117_600, () => '117.6k')],
    [textCell('<x>\nnext'), numCell(7, String)],
  ],
};
const report: Report = { title: 'T', facts: [{ label: 'input', text: '(1,)' }], table, totals: [{ label: 'Sum', text: '117,607' }], sections: [{ title: 'S', lines: ['a = 1'] }], notes: ['* note'] };

describe('formats', () => {
  test('CSV quotes commas, quotes and line breaks, and round-trips through csv-parse', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    const rows = parse(renderCsv(table), { columns: true });
    assert.deepEqual(rows, [{ name: 'a|b, "c"', n: '117600' }, { name: '<x>\nnext', n: '7' }]);
  });

  test('markdown escapes pipes and right-aligns numbers', () => {
    const md = renderMarkdown(report);
    assert.match(md, /\| a\\\|b, "c" \| 117\.6k \|/);
    assert.match(md, /\|:---\|---:\|/);
    assert.match(md, /- \*\*Sum:\*\* 117,607/);
  });

  test('HTML escapes text and keeps exact values as tooltips', () => {
    assert.equal(escapeHtml('<a href="x">&</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
    const html = renderHtml(report);
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<td class="num" title="117600">117\.6k<\/td>/);
    assert.ok(!html.includes('<x>'));
  });

  test('text: numbers right-aligned under their header, totals and sections after the table', () => {
    const lines = renderText({ ...report, table: { ...table, rows: [table.rows[0]!] } }).split('\n');
    const header = lines.find((l) => l.startsWith('Name'))!;
    const row = lines.find((l) => l.startsWith('a|b'))!;
    assert.equal(header.length, row.length);
    assert.ok(row.endsWith('117.6k'));
    assert.ok(lines.includes('Sum:  117,607'));
    assert.deepEqual(lines.slice(-3), ['S', 'a = 1', '']);
  });

  test('JSON: one document, short arrays inline, same value as JSON.stringify', () => {
    const v = { a: [1, 2, 3], b: { c: 'x', d: [{ e: null }] }, empty: [], f: undefined };
    const text = toJson(v);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(v)));
    assert.match(text, /"a": \[1, 2, 3\]/);
    assert.equal(render('json', { report: () => report, csv: () => table, json: () => v }), `${text}\n`);
  });
});
