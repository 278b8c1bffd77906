/** The spec editor as data: what it marks, what the message line says, the gutter, and when it takes new text. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getModel } from '../../src/zoo/index.js';
import { run } from '../../web/src/source.js';
import { editorAction, gutterMarkup, scrollToSpan, specPaint } from '../../web/src/spec_model.js';
import { formatSpec } from '../../web/src/spec_text.js';

const lines = formatSpec(getModel('lenet5')).split('\n');
const at = lines.findIndex((l) => l.includes('"name": "conv2"'));
lines[at] = lines[at]!.replace('"kernelSize": 5', '"kernelSize": 40');
const broken = lines.join('\n');
const outcome = run({ kind: 'text', name: 'x.json', text: broken }, {});
const problem = outcome.ok ? null : outcome.problem;

describe('specPaint', () => {
  test('an error at a node: its lines marked, the message line names the node and line', () => {
    assert.ok(problem, 'the broken spec does not analyse');
    const p = specPaint(broken, problem);
    assert.equal(p.span!.line, at);
    assert.match(p.backdrop, /<mark>.*&quot;name&quot;: &quot;conv2&quot;.*<\/mark>/);
    assert.deepEqual(p.message, { where: `node conv2 · line ${at + 1}`, text: problem!.message });
  });

  test('a JSON syntax error: the line and column, and a message that quotes no raw text', () => {
    const text = '{\n  "name": "x",\n  "inputs" [1]\n}';
    const out = run({ kind: 'text', name: 'x.json', text }, {});
    assert.equal(out.ok, false);
    if (out.ok) return;
    const p = specPaint(text, out.problem);
    assert.deepEqual(p.message, { where: 'line 3, column 12', text: 'x.json: not valid JSON (line 3, column 12: expected ":", found "[")' });
    assert.equal(p.span!.line, 2);
  });

  test('no problem: the text alone; a problem with no place: the message without a place', () => {
    const clean = specPaint('{"a": "<b>"}', null);
    assert.deepEqual(clean, { backdrop: '{&quot;a&quot;: &quot;&lt;b&gt;&quot;}\n', span: null, message: null });
    const nowhere = specPaint('{}', { message: 'graph has no outputs', kind: 'spec' });
    assert.deepEqual(nowhere.message, { where: null, text: 'graph has no outputs' });
  });

  test('a jump puts the line a third of the way down', () => {
    const span = { start: 0, end: 1, line: 9, endLine: 10 };
    assert.equal(scrollToSpan(span, { line: 18, top: 4 }, 300), 9 * 18 - 100);
    assert.equal(scrollToSpan({ ...span, line: 0 }, { line: 18, top: 4 }, 300), 0);
  });
});

describe('gutterMarkup', () => {
  test('one number a line, the error\'s lines marked', () => {
    assert.equal(gutterMarkup(4, { start: 0, end: 1, line: 1, endLine: 2 }), '1\n<mark title="error">2</mark>\n<mark title="error">3</mark>\n4\n');
    assert.equal(gutterMarkup(2, null), '1\n2\n');
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
