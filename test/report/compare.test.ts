/** The comparison table and its sort order. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { compareTable, sortEntries, type CompareEntry } from '../../src/report/compare.js';
import { getEntry, getModel } from '../../src/zoo/index.js';
import { resolveGraph } from '../../src/graph/graph.js';

const entry = (id: string): CompareEntry => ({ label: id, analysis: analyze(resolveGraph(getModel(id))), meta: getEntry(id).meta });

describe('compare', () => {
  const entries = ['vgg16', 'lenet5', 'mobilenet_v2', 'resnet50'].map(entry);

  test('sizes sort ascending; accuracy sorts best first with unpublished models last', () => {
    assert.deepEqual(sortEntries(entries, 'params').map((e) => e.label), ['lenet5', 'mobilenet_v2', 'resnet50', 'vgg16']);
    const byTop1 = sortEntries(entries, 'top1').map((e) => e.label);
    assert.equal(byTop1.at(-1), 'lenet5');
    const acc = byTop1.slice(0, -1).map((id) => getEntry(id).meta.accuracy!.top1!);
    assert.deepEqual(acc, [...acc].sort((a, b) => b - a));
  });

  test('the lecture columns: params in millions, GFLOPs, errors in percent', () => {
    const t = compareTable([entry('vgg16')]);
    assert.deepEqual(t.columns.map((c) => c.header), ['Architecture', 'Year', 'Input', 'Params (M)', 'GMACs', 'GFLOPs (lecture)', 'Top-1 err %', 'Top-5 err %']);
    const row = t.rows[0]!.map((c) => c.text);
    assert.equal(row[3], '138');
    const top5 = getEntry('vgg16').meta.accuracy!.top5!;
    assert.equal(row[7], ((1 - top5) * 100).toFixed(1));
  });
});
