/** Finding where in a spec's text an error belongs, and the one-node-per-line spec format. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getModel } from '../../src/zoo/index.js';
import { formatSpec, locateNode, locateNodeIndex, locateProblem, syntaxErrorOffset } from '../../web/src/spec_text.js';
import { run } from '../../web/src/source.js';

const lenetText = formatSpec(getModel('lenet5'));
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

describe('formatSpec', () => {
  test('parses back to the same spec', () => {
    const spec = getModel('lenet5');
    assert.deepEqual(JSON.parse(formatSpec(spec)), JSON.parse(JSON.stringify(spec)));
  });
  test('writes one node per line', () => {
    const spec = getModel('lenet5');
    for (const n of spec.nodes) assert.equal(lenetText.split('\n').filter((l) => l.includes(`"name": ${JSON.stringify(n.name)}`)).length, 1);
  });
  test('keeps names with quotes and colons intact', () => {
    const spec = { name: 'a": b', inputs: [{ name: 'x', shape: [1] }], nodes: [{ name: 'n":,"', op: 'Flatten', inputs: ['x'] }], outputs: ['n":,"'] };
    assert.deepEqual(JSON.parse(formatSpec(spec)), spec);
  });
});

describe('locateNode', () => {
  test('finds the object of a named node, on its own line', () => {
    const span = locateNode(lenetText, 'conv2')!;
    assert.equal(span.line, lineOf(lenetText, '"name": "conv2"'));
    assert.equal(span.endLine, span.line);
    assert.ok(lenetText.slice(span.start, span.end).startsWith('{"name": "conv2"'));
  });
  test('finds a node spread over many lines (pretty-printed JSON)', () => {
    const text = JSON.stringify(getModel('lenet5'), null, 2);
    const span = locateNode(text, 'pool2')!;
    const obj = JSON.parse(text.slice(span.start, span.end)) as { name: string };
    assert.equal(obj.name, 'pool2');
    assert.ok(span.endLine > span.line);
  });
  test('a name inside a string value or an inputs list does not count', () => {
    const text = '{"name": "m", "inputs": [{"name": "x", "shape": [4]}], "nodes": [{"name": "a", "op": "Flatten", "inputs": ["x"], "attrs": {"note": "name"}}], "outputs": ["a"]}';
    assert.equal(locateNode(text, 'name'), null);
    assert.equal(text.slice(locateNode(text, 'x')!.start, locateNode(text, 'x')!.end), '{"name": "x", "shape": [4]}');
  });
  test('unknown names give null', () => assert.equal(locateNode(lenetText, 'nope'), null));
});

describe('locateNodeIndex', () => {
  test('the i-th element of "nodes"', () => {
    const spec = getModel('lenet5');
    const span = locateNodeIndex(lenetText, 2)!;
    assert.equal((JSON.parse(lenetText.slice(span.start, span.end)) as { name: string }).name, spec.nodes[2]!.name);
  });
});

describe('syntaxErrorOffset', () => {
  const valid = ['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]}', ' 0 ', '"s"'];
  for (const text of valid) test(`valid: ${text}`, () => assert.equal(syntaxErrorOffset(text), null));
  const broken: Array<[string, number]> = [
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1, 2', 5],
    ['{"a": tru}', 9],
    ['{"a": 01}', 7],
    ['{"a": "x\ny"}', 8],
    ['{} x', 3],
  ];
  for (const [text, at] of broken) {
    test(`broken at ${at}: ${JSON.stringify(text)}`, () => {
      assert.throws(() => JSON.parse(text));
      assert.equal(syntaxErrorOffset(text), at);
    });
  }
});

describe('locateProblem with the library\'s own errors', () => {
  test('a shape error names its node and lands on that node\'s line', () => {
    const lines = lenetText.split('\n');
    const at = lineOf(lenetText, '"name": "conv2"');
    lines[at] = lines[at]!.replace('"kernelSize": 5', '"kernelSize": 40');
    const text = lines.join('\n');
    const out = run({ kind: 'text', name: 'broken.json', text }, {});
    assert.equal(out.ok, false);
    if (out.ok) return;
    assert.equal(out.problem.node, 'conv2');
    assert.equal(locateProblem(text, out.problem)!.line, at);
  });
  test('a JSON syntax error lands on the broken line', () => {
    const lines = lenetText.split('\n');
    const at = lineOf(lenetText, '"name": "pool1"');
    lines[at] = lines[at]!.replace('"op":', '"op"');
    const text = lines.join('\n');
    const out = run({ kind: 'text', name: 'broken.json', text }, {});
    assert.equal(out.ok, false);
    if (out.ok) return;
    assert.equal(locateProblem(text, out.problem)!.line, at);
  });
});
