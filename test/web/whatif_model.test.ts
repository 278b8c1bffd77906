/** The explorer's what-if toggles as data: their order and arguments, the totals' notes, the marked boxes. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { human } from '../../src/report/units.js';
import { MOVE_NAMES, whatIf } from '../../src/rewrite/index.js';
import { getModel } from '../../src/zoo/index.js';
import { buildBlockTree } from '../../web/src/blocks.js';
import { visibleGraph } from '../../web/src/graph_model.js';
import { changedItems, rewrittenBoxes, rewrittenLayers, toggleModels, totalNotes, withToggle } from '../../web/src/whatif_model.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('what-if toggles', () => {
  test('one toggle per move in the table\'s order, arguments where the move takes one', () => {
    const t = toggleModels(['width=0.25', 'separable']);
    assert.deepEqual(t.map((x) => x.name), MOVE_NAMES);
    const by = Object.fromEntries(t.map((x) => [x.name, x]));
    assert.equal(by.width!.on, true);
    assert.deepEqual(by.width!.arg, { value: '0.25', example: 'width=0.5' });
    assert.equal(by.separable!.on && by.separable!.arg === null, true);
    assert.deepEqual(by.bottleneck!.arg, { value: '2', example: 'bottleneck=2' });
    assert.equal(by.bottleneck!.on, false);
  });

  test('switching a toggle keeps the table\'s order, replaces an argument, and removes', () => {
    let moves = withToggle([], 'separable', true);
    moves = withToggle(moves, 'width', true, '0.5');
    assert.deepEqual(moves, ['separable', 'width=0.5']);
    assert.deepEqual(withToggle(moves, 'width', true, '0.75'), ['separable', 'width=0.75']);
    assert.deepEqual(withToggle(moves, 'separable', false), ['width=0.5']);
  });

  test('each total notes what it was before the moves', () => {
    const w = whatIf(getModel('mobilenet'), ['width=0.5']);
    const notes = totalNotes(w.before.analysis, w.after.analysis);
    assert.equal(notes.macs, 'was 568.74M, 3.80× fewer');
    assert.equal(notes.layers, 'unchanged');
    assert.equal(notes.params, 'was 4.25M, 3.17× fewer');
  });

  test('the changed parts, and the boxes the graph marks: a closed block holding a rewritten layer is marked whole', () => {
    const w = whatIf(getModel('vgg16'), ['separable'], {});
    // block1_conv1 on the RGB image: 224·224·64·3·3·3 → depthwise 224·224·3·3·3 + pointwise 224·224·3·64.
    assert.equal(changedItems(w, human)[0]!.macs, `${human(224 * 224 * 64 * 27)} → ${human(224 * 224 * 3 * 9 + 224 * 224 * 3 * 64)} MACs`);
    const layers = rewrittenLayers(w);
    assert.ok(layers.has('block1_conv1_dw') && layers.has('block5_conv3_pw') && !layers.has('fc1'));
    const a = analyze(resolveGraph(w.spec));
    const tree = buildBlockTree(a.layers);
    const closed = visibleGraph(a, tree, new Set());
    const marked = rewrittenBoxes(closed.boxOf, layers);
    assert.ok(marked.size > 0 && marked.size < layers.size);
    assert.ok([...marked].every((b) => b.startsWith('B:') || b.startsWith('L:')));
  });
});
