/** Bad specs: each case gives one clear error naming the node, the attribute, expected and received. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AttributeError, ShapeError, SpecError, type ConvlabError } from '../../src/core/errors.js';
import { parseSpec, resolveGraph } from '../../src/graph/graph.js';
import { messages } from '../../src/core/messages.js';
import type { GraphSpec, NodeSpec } from '../../src/graph/types.js';

const spec = (nodes: NodeSpec[], shape = [8, 8, 3], outputs = [nodes[nodes.length - 1]!.name]): GraphSpec => ({
  name: 'bad', inputs: [{ name: 'x', shape }], nodes, outputs,
});

/** Asserts that resolving throws `cls` whose message includes every fragment. */
function fails(raw: unknown, cls: new (...a: never[]) => ConvlabError, fragments: string[], node?: string, attribute?: string) {
  try {
    resolveGraph(raw);
  } catch (e) {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error).constructor.name}: ${(e as Error).message}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    if (node !== undefined) assert.equal(e.node, node);
    if (attribute !== undefined) assert.equal(e.attribute, attribute);
    assert.ok(!e.message.includes('\n'), 'one line');
    return;
  }
  assert.fail('expected an error');
}

describe('spec validation', () => {
  test('unknown op suggests the closest', () =>
    fails(spec([{ name: 'c', op: 'Conv2d', inputs: ['x'], attrs: { filters: 4, kernelSize: 3 } }]), SpecError,
      ['node c (Conv2d)', 'unknown op "Conv2d"', 'did you mean "Conv2D"'], 'c'));

  test('unknown attribute lists the allowed ones', () =>
    fails(spec([{ name: 'c', op: 'Conv2D', inputs: ['x'], attrs: { filters: 4, kernelSize: 3, stride: 2 } }]), AttributeError,
      ['node c (Conv2D)', 'unknown attribute "stride"', 'strides'], 'c', 'stride'));

  test('missing attribute', () =>
    fails(spec([{ name: 'c', op: 'Conv2D', inputs: ['x'], attrs: { kernelSize: 3 } }]), AttributeError,
      ['node c (Conv2D)', messages.missingAttr('filters', 'number of filters K')], 'c', 'filters'));

  test('wrong attribute type quotes what was received', () =>
    fails(spec([{ name: 'c', op: 'Conv2D', inputs: ['x'], attrs: { filters: '4', kernelSize: 3 } }]), AttributeError,
      ['node c (Conv2D)', 'attribute "filters" must be an integer; received "4"'], 'c', 'filters'));

  test('dangling input', () =>
    fails(spec([{ name: 'r', op: 'Activation', inputs: ['nowhere'], attrs: { fn: 'relu' } }]), SpecError,
      ['node r (Activation)', 'input "nowhere" is not a graph input or an earlier node'], 'r'));

  test('cycle names the nodes on it', () =>
    fails(spec([
      { name: 'a', op: 'Add', inputs: ['x', 'b'] },
      { name: 'b', op: 'Activation', inputs: ['a'], attrs: { fn: 'relu' } },
    ]), SpecError, ['cycle', '"a"', '"b"']));

  test('duplicate name', () =>
    fails(spec([
      { name: 'a', op: 'Activation', inputs: ['x'], attrs: { fn: 'relu' } },
      { name: 'a', op: 'Activation', inputs: ['x'], attrs: { fn: 'relu' } },
    ]), SpecError, ['duplicate name "a"'], 'a'));

  test('kernel larger than its input', () =>
    fails(spec([{ name: 'c', op: 'Conv2D', inputs: ['x'], attrs: { filters: 4, kernelSize: 11 } }]), ShapeError,
      ['node c (Conv2D)', 'effective kernel 11 is larger than the padded input height 8'], 'c'));

  test('Add of mismatched shapes names both inputs', () =>
    fails(spec([
      { name: 'p', op: 'MaxPool2D', inputs: ['x'], attrs: { poolSize: 2 } },
      { name: 's', op: 'Add', inputs: ['x', 'p'] },
    ]), ShapeError, ['node s (Add)', '"x" has shape [8,8,3]', '"p" has [4,4,3]'], 's'));

  test('Concat of mismatched spatial sizes', () =>
    fails(spec([
      { name: 'p', op: 'MaxPool2D', inputs: ['x'], attrs: { poolSize: 2 } },
      { name: 'cat', op: 'Concat', inputs: ['x', 'p'] },
    ]), ShapeError, ['node cat (Concat)', 'every axis except -1'], 'cat'));

  test('zero stride', () =>
    fails(spec([{ name: 'c', op: 'Conv2D', inputs: ['x'], attrs: { filters: 4, kernelSize: 3, strides: 0 } }]), AttributeError,
      ['node c (Conv2D)', 'attribute "strides" must be integers >= 1; received 0'], 'c', 'strides'));

  test('negative stride pair', () =>
    fails(spec([{ name: 'c', op: 'MaxPool2D', inputs: ['x'], attrs: { poolSize: 2, strides: [2, -1] } }]), AttributeError,
      ['node c (MaxPool2D)', '"strides"', '[2,-1]'], 'c', 'strides'));

  test('wrong input count', () =>
    fails(spec([{ name: 'c', op: 'Add', inputs: ['x'] }]), SpecError, ['node c (Add)', 'expects 2 to 64 input(s); received 1'], 'c'));

  test('structure: outputs naming nothing, missing fields, bad input shape', () => {
    fails({ name: 'm', inputs: [{ name: 'x', shape: [4, 4, 1] }], nodes: [], outputs: ['y'] }, SpecError, ['graph output "y" names no node']);
    fails({ name: 'm', nodes: [], outputs: ['x'] }, SpecError, ['field "inputs" must be a non-empty list']);
    fails({ name: 'm', inputs: [{ name: 'x', shape: [4, 0, 1] }], nodes: [], outputs: ['x'] }, SpecError, ['input "x": shape must be a list of positive integers']);
    fails(42, SpecError, ['expected a JSON object']);
  });

  test('a non-JSON file names the file', () => {
    assert.throws(() => parseSpec('{"name": "m", ', 'model.json'), (e: Error) => e instanceof SpecError && e.message.startsWith('model.json: not valid JSON'));
  });

  test('nodes may come in any order and are sorted topologically', () => {
    const g = resolveGraph(spec([
      { name: 'b', op: 'Activation', inputs: ['a'], attrs: { fn: 'relu' } },
      { name: 'a', op: 'Conv2D', inputs: ['x'], attrs: { filters: 4, kernelSize: 3, padding: 'same' } },
    ], [8, 8, 3], ['b']));
    assert.deepEqual(g.nodes.map((n) => n.name), ['a', 'b']);
    assert.deepEqual(g.shapes.get('b'), [8, 8, 4]);
  });
});
