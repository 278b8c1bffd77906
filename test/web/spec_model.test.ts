/** The spec editor as data: what it marks, what the note and banner say, and when it takes new text. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getModel } from '../../src/zoo/index.js';
import { run } from '../../web/src/source.js';
import { editorAction, inlineTop, scrollToSpan, specPaint } from '../../web/src/spec_model.js';
import { formatSpec } from '../../web/src/spec_text.js';

const lines = formatSpec(getModel('lenet5')).split('\n');
const at = lines.findIndex((l) => l.includes('"name": "conv2"'));
lines[at] = lines[at]!.replace('"kernelSize": 5', '"kernelSize": 40');
const broken = lines.join('\n');
const outcome = run({ kind: 'text', name: 'x.json', text: broken }, {});
const problem = outcome.ok ? null : outcome.problem;

describe('specPaint', () => {
  test("an error at a node: its lines marked, the note and banner name the node and line", () => {
    assert.ok(problem, 'the broken spec does not analyse');
    const p = specPaint(broken, problem);
    assert.equal(p.span!.line, at);
    assert.match(p.backdrop, /<mark>.*&quot;name&quot;: &quot;conv2&quot;.*<\/mark>/);
    assert.deepEqual(p.inline, { title: `node conv2 · line ${at + 1}`, message: problem!.message });
    assert.deepEqual(p.banner, { place: `Error at node conv2, line ${at + 1}. ` });
  });

  test('no problem: the text alone; a problem with no place: the message in the banner', () => {
    const clean = specPaint('{"a": "<b>"}', null);
    assert.deepEqual(clean, { backdrop: '{&quot;a&quot;: &quot;&lt;b&gt;&quot;}\n', span: null, inline: null, banner: null });
    const nowhere = specPaint('{}', { message: 'graph has no outputs', kind: 'spec' });
    assert.equal(nowhere.inline, null);
    assert.deepEqual(nowhere.banner, { message: 'graph has no outputs' });
  });

  test('the note sits under the marked lines and scrolls with them; a jump puts the line a third down', () => {
    const span = { start: 0, end: 1, line: 9, endLine: 10 };
    assert.equal(inlineTop(span, { line: 18, top: 4 }, 0), 4 + 11 * 18 + 2);
    assert.equal(inlineTop(span, { line: 18, top: 4 }, 100), 4 + 11 * 18 + 2 - 100);
    assert.equal(scrollToSpan(span, { line: 18, top: 4 }, 300), 9 * 18 - 100);
    assert.equal(scrollToSpan({ ...span, line: 0 }, { line: 18, top: 4 }, 300), 0);
  });
});

describe('editorAction', () => {
  const zoo = { kind: 'zoo', choice: { id: 'lenet5' } } as const;
  const text = { kind: 'text', name: 'up.json', text: '{}' } as const;
  test("a zoo model's spec is shown on new numbers or when the view opens", () => {
    assert.equal(editorAction(zoo, new Set(['analysis']), { shown: null, text: '', typing: false }), 'load');
    assert.equal(editorAction(zoo, new Set(['view']), { shown: zoo, text: '', typing: false }), 'load');
    assert.equal(editorAction(zoo, new Set(['problem']), { shown: zoo, text: '', typing: false }), null);
  });
  test('text from elsewhere is taken, but never over what the user is typing', () => {
    assert.equal(editorAction(text, new Set(['source']), { shown: zoo, text: 'old', typing: false }), 'adopt');
    assert.equal(editorAction(text, new Set(['source']), { shown: zoo, text: 'old', typing: true }), null);
    assert.equal(editorAction(text, new Set(['analysis']), { shown: text, text: 'old', typing: false }), null);
    assert.equal(editorAction(text, new Set(['analysis']), { shown: zoo, text: '{}', typing: false }), null);
  });
});
