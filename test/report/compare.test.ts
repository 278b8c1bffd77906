/** The comparison table and its sort order. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { compareReport, compareTable, lectureDifferences, sortEntries, type CompareEntry } from '../../src/report/compare.js';
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
    assert.deepEqual(t.columns.map((c) => c.header), ['Architecture', 'Year', 'Input', 'Params (M)', 'GMACs', 'GFLOPs (lecture)', 'Top-1 err %', 'Top-5 err %', 'ILSVRC top-5 err %']);
    const row = t.rows[0]!.map((c) => c.text);
    assert.equal(row[3], '138');
    const top5 = getEntry('vgg16').meta.accuracy!.top5!;
    assert.equal(row[7], String(Number(((1 - top5) * 100).toFixed(2))));
    assert.equal(row[8], '7.3', 'the ILSVRC-2014 entry, as the lecture quotes it');
  });

  test("the lecture's comparison: its top-5 errors are the ILSVRC entries, and each figure says where it comes from", () => {
    const ids = ['alexnet', 'zfnet', 'vgg16', 'googlenet', 'resnet152'];
    const entries = ids.map(entry);
    const ilsvrc = compareTable(entries).rows.map((r) => r[8]!.text);
    assert.deepEqual(ilsvrc, ['16.4', '11.7', '7.3', '6.67', '3.57']);
    const notes = compareReport(entries).notes;
    for (const id of ids) assert.ok(notes.some((n) => n.startsWith('ILSVRC top-5 of') && n.includes(id)), `${id} has an ILSVRC source`);
    assert.ok(notes.some((n) => n.startsWith('Top-1/top-5 of') && n.includes('googlenet')));
  });

  test('where the lecture differs beyond its rounding, the note gives both figures and why: GoogLeNet 6.8 M against 7.0 M', () => {
    const diffs = lectureDifferences(['alexnet', 'zfnet', 'vgg16', 'googlenet', 'resnet152'].map(entry));
    const params = diffs.find((d) => d.model === 'googlenet' && d.figure === 'params')!;
    assert.equal(params.lecture, 6.8e6);
    assert.equal(params.convlab, analyze(resolveGraph(getModel('googlenet'))).totals.params);
    assert.match(params.note!, /Table 1/);
    assert.ok(diffs.some((d) => d.model === 'vgg16' && d.figure === 'gflops'));
    assert.ok(!diffs.some((d) => d.model === 'resnet152' || d.model === 'zfnet'), 'within the slide\'s rounding');
    assert.ok(compareReport([entry('googlenet')]).notes.some((n) => n.startsWith('googlenet params: lecture 6.8 M, convlab 7 M; ')));
  });
});
