/** The compare view as data: chosen ids, cached analyses, order, chart points and the note. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { compareEntry, sortEntries } from '../../src/report/compare.js';
import { modelPoint } from '../../src/report/points.js';
import { getEntry, getModel, listModels } from '../../src/zoo/index.js';
import { AnalysisCache, compareStale, comparison, onScreenEntry, onScreenIsChosen, settingsKey, SORT_CHOICES, withModel } from '../../web/src/compare_model.js';
import { resolveGraph } from '../../src/graph/graph.js';

const settings = { convention: 'lecture', params: 'keras', dtype: 'fp32' } as const;
const entry = (id: string) => compareEntry(id, analyze(resolveGraph(getModel(id))), getEntry(id).meta);

describe('chosen models', () => {
  test('a model is added at the end or taken out, never twice', () => {
    assert.deepEqual(withModel(['a', 'b'], 'c', true), ['a', 'b', 'c']);
    assert.deepEqual(withModel(['a', 'b'], 'a', false), ['b']);
    assert.deepEqual(withModel(['a', 'b'], 'a', true), ['b', 'a']);
  });
  test('sorting: as chosen, then every report key', () => {
    assert.deepEqual(SORT_CHOICES.map(([k]) => k), ['chosen', 'params', 'macs', 'flops', 'top1', 'top5']);
  });
});

describe('AnalysisCache', () => {
  test("one analysis per model and settings, the library's own", () => {
    const cache = new AnalysisCache();
    const meta = getEntry('lenet5').meta;
    const a = cache.entry('lenet5', settings, meta);
    const b = cache.entry('lenet5', settings, meta);
    assert.ok(typeof a !== 'string' && typeof b !== 'string');
    if (typeof a === 'string' || typeof b === 'string') return;
    assert.equal(a.analysis, b.analysis, 'cached');
    assert.deepEqual(a.analysis.totals, analyze(resolveGraph(getModel('lenet5'))).totals);
    assert.equal(a.meta, meta);
    const flops = cache.entry('lenet5', { ...settings, convention: 'flops' });
    assert.ok(typeof flops !== 'string' && flops.analysis !== a.analysis && flops.analysis.convention === 'flops');
    assert.notEqual(settingsKey(settings), settingsKey({ ...settings, dtype: 'fp16' }));
  });
  test('a model that fails is a message naming it', () => {
    const e = new AnalysisCache().entry('no_such_model', settings);
    assert.equal(typeof e, 'string');
    assert.match(e as string, /^no_such_model: /);
  });
});

describe('comparison', () => {
  const entries = ['vgg16', 'lenet5', 'resnet50'].map(entry);

  test('sorted by the report, points by the report, models without accuracy named in the note', () => {
    const c = comparison(entries, ['bad: it failed'], 'params');
    assert.deepEqual(c.shown, sortEntries(entries, 'params'));
    assert.deepEqual(c.points, c.shown.map(modelPoint));
    assert.equal(c.plotAccuracy, true);
    assert.match(c.note, /Not on the accuracy chart \(no published top-1\): lenet5\. bad: it failed$/);
    assert.deepEqual(c.memory, c.shown.map((e) => e.analysis));
  });

  test('as chosen; nothing to plot without accuracy; memory for every model chosen', () => {
    assert.deepEqual(comparison(entries, [], 'chosen').shown, entries);
    assert.equal(comparison([entry('lenet5')], [], 'chosen').plotAccuracy, false);
    const eight = ['alexnet', 'zfnet', 'vgg16', 'googlenet', 'resnet152', 'resnet50', 'mobilenet_v2', 'efficientnet_b0'].map(entry);
    assert.deepEqual(comparison(eight, [], 'chosen').memory, eight.map((e) => e.analysis));
    assert.equal(comparison([], [], 'chosen').memory, null);
  });

  test('the model on screen is not added twice: only when it differs from the chosen entry of its id', () => {
    const chosen = ['vgg16', 'resnet50'];
    assert.equal(onScreenIsChosen({ kind: 'zoo', choice: { id: 'resnet50' } }, [], chosen), true);
    assert.equal(onScreenIsChosen({ kind: 'zoo', choice: { id: 'resnet50', input: [160, 160, 3] } }, [], chosen), false);
    assert.equal(onScreenIsChosen({ kind: 'zoo', choice: { id: 'resnet50' } }, ['separable'], chosen), false);
    assert.equal(onScreenIsChosen({ kind: 'zoo', choice: { id: 'lenet5' } }, [], chosen), false);
    assert.equal(onScreenIsChosen({ kind: 'text', name: 'resnet50', text: '' }, [], chosen), false);
  });

  test('the model on screen joins with its registry metadata when it is a zoo model', () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    const zoo = onScreenEntry(a, { kind: 'zoo', choice: { id: 'resnet50' } }, listModels());
    assert.equal(zoo.label, 'resnet50 (on screen)');
    assert.equal(zoo.meta?.id, 'resnet50');
    assert.equal(onScreenEntry(a, { kind: 'text', name: 'x.json', text: '' }, listModels()).meta, undefined);
  });
});

describe('compareStale', () => {
  const set = (...c: string[]) => new Set(c);
  test('drawn again for other models, other conventions, or the included model on screen changing', () => {
    assert.equal(compareStale(set('compare'), { withCurrent: false, settingsChanged: false }), true);
    assert.equal(compareStale(set('analysis'), { withCurrent: false, settingsChanged: true }), true);
    assert.equal(compareStale(set('analysis'), { withCurrent: true, settingsChanged: false }), true);
  });
  test('not for new numbers of a model the table does not show, nor for other changes', () => {
    assert.equal(compareStale(set('analysis'), { withCurrent: false, settingsChanged: false }), false);
    assert.equal(compareStale(set('selection', 'style'), { withCurrent: true, settingsChanged: true }), false);
  });
});
