/** Finding where in a spec's text an error belongs, and the one-node-per-line spec format. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getModel } from '../../src/zoo/index.js';
import { describeChar, formatSpec, lineColumn, locateNode, locateNodeIndex, locateProblem, syntaxErrorOffset, syntaxFault } from '../../web/src/spec_text.js';
import { run } from '../../web/src/source.js';
import { messages } from '../../src/core/messages.js';

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

describe('syntaxFault', () => {
  test('line and column count from 1; what was expected and what was found', () => {
    assert.deepEqual(syntaxFault('{\n  "a": 1\n  "b": 2\n}'), { offset: 13, line: 3, column: 3, expected: '"," or "}"', found: '"\\""' });
    assert.deepEqual(syntaxFault('[1, 2'), { offset: 5, line: 1, column: 6, expected: '"," or "]"', found: 'the end of the text' });
  });
  test('what was found is never echoed raw: control characters and non-ASCII by code point', () => {
    assert.equal(describeChar('\u0001', 0), 'U+0001');
    assert.equal(describeChar('\ufffd', 0), 'U+FFFD');
    assert.equal(describeChar('x', 0), '"x"');
    assert.equal(syntaxFault('\u0000\u0007garbage')!.found, 'U+0000');
  });
  test('lineColumn', () => assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 }));
});

describe('locateProblem: the right line for every kind of spec error', () => {
  /** A small spec written one node per line, with `nodes` replaced, and where its analysis fails. */
  const place = (nodes: unknown[], extra: Record<string, unknown> = {}) => {
    const text = formatSpec({ name: 'm', inputs: [{ name: 'x', shape: [8, 8, 2] }], nodes, outputs: ['b'], ...extra } as never);
    const out = run({ kind: 'text', name: 'm.json', text }, {});
    assert.equal(out.ok, false, 'the spec must fail');
    if (out.ok) throw new Error('unreachable');
    const span = locateProblem(text, out.problem);
    return { line: span === null ? null : text.split('\n')[span.line]!, problem: out.problem };
  };
  const relu = (name: string, input: string) => ({ name, op: 'Activation', inputs: [input], attrs: { fn: 'relu' } });

  test('a duplicate name: the second node of that name, not the first', () => {
    const { line } = place([relu('a', 'x'), relu('b', 'a'), { ...relu('a', 'b'), attrs: { fn: 'sigmoid' } }]);
    assert.match(line!, /"name": "a".*"sigmoid"/);
  });
  test('an input that names nothing: the node that reads it', () => {
    assert.match(place([relu('a', 'x'), relu('b', 'nowhere')]).line!, /"name": "b"/);
  });
  test('a cycle: printed as the cycle, at its first node', () => {
    const { line, problem } = place([relu('z', 'x'), { name: 'a', op: 'Add', inputs: ['z', 'b'] }, relu('b', 'a')]);
    assert.equal(problem.message, messages.cycle(['a', 'b', 'a']));
    assert.match(line!, /"name": "a"/);
  });
  test('an output that names no node: the "outputs" line', () => {
    assert.match(place([relu('a', 'x')]).line!, /^ {2}"outputs"/);
  });
  test('an attribute error: its node', () => {
    assert.match(place([relu('a', 'x'), { name: 'b', op: 'Conv2D', inputs: ['a'], attrs: { filters: 2, kernelSize: 40 } }]).line!, /"name": "b"/);
  });
  test('a graph input with a bad shape: that input', () => {
    const text = '{\n  "name": "m",\n  "inputs": [\n    {"name": "x", "shape": [8, 0]}\n  ],\n  "nodes": [],\n  "outputs": ["x"]\n}';
    const out = run({ kind: 'text', name: 'm.json', text }, {});
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(locateProblem(text, out.problem)!.line, 3);
  });
  test('a field of the spec itself: that field', () => {
    const text = '{\n  "name": 7,\n  "inputs": [],\n  "nodes": [],\n  "outputs": []\n}';
    const out = run({ kind: 'text', name: 'm.json', text }, {});
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(locateProblem(text, out.problem)!.line, 1);
  });
});
