/** JSON parsed in steps: the same value as JSON.parse, the same error as parseJson, in many small steps. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { complete, type Steps } from '../../src/core/steps.js';
import { getModel } from '../../src/zoo/index.js';
import { parseJson, parseJsonSteps } from '../../web/src/json_steps.js';
import { chainSpec } from '../../scripts/synthetic.js';

/** Runs the steps, counting them. */
function run(steps: Steps<unknown>): { value: unknown; steps: number } {
  let n = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return { value: r.value, steps: n };
    n++;
  }
}

/** The message parseJson throws for `text`, or null when it parses. */
function errorOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const valid: Record<string, string> = {
  'a zoo spec, compact': JSON.stringify(getModel('resnet18')),
  'a zoo spec, indented': JSON.stringify(getModel('mobilenet_v2'), null, 2),
  'strings with brackets, quotes, escapes and braces': JSON.stringify({
    name: 'x[{"]}',
    nodes: Array.from({ length: 40 }, (_, i) => ({ name: `n${i} ]},"[{\\`, op: 'ReLU', note: '\u2028\t"' })),
    tail: ['a,]', { b: [1, [2, [3]]] }],
  }),
  'an escaped key, empty arrays, nested arrays and values after the arrays': `{"n\\u006fdes": [ ], "a": [[1,2],[3,[4]]], "b": {"c": [1,2,3]}, "d": 1e3, "e": null}`,
  'a __proto__ key stays an own property': `{"__proto__": [1, 2, 3, 4, 5, 6, 7, 8], "x": [9, 10]}`,
  'a repeated key keeps the last value': `{"nodes": [1, 2, 3], "nodes": {"k": 1}}`,
  'a top-level array is parsed whole': JSON.stringify([1, 2, [3, 4], { a: [5] }]),
  'whitespace around everything': `\n\t {  "nodes" :\r\n [ 1 ,\n 2 , 3 ]  , "z" : [ ]  }  \n`,
};

const invalid: Record<string, string> = {
  'a trailing comma in an array': `{"nodes": [1, 2, 3,], "x": 1}`,
  'a stray comma first in an array': `{"nodes": [, 1, 2, 3, 4, 5, 6, 7, 8, 9]}`,
  'an array closed by a brace': `{"nodes": [1, 2, 3}, "x": 1}`,
  'an unclosed array': `{"nodes": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
  'an unterminated string': `{"nodes": [1, 2, "abc, 4, 5, 6, 7, 8, 9]}`,
  'a bad value in the middle of a long array': `{"nodes": [${Array.from({ length: 50 }, (_, i) => (i === 37 ? 'tru' : String(i))).join(', ')}]}`,
  'text after the object': `{"nodes": [1, 2, 3, 4, 5, 6, 7, 8, 9]} x`,
  'a missing colon': `{"nodes" [1, 2, 3, 4, 5, 6, 7, 8, 9]}`,
  'two objects': `{"nodes": [1, 2, 3, 4, 5, 6, 7, 8]}{"a": [1]}`,
};

describe('parseJsonSteps', () => {
  for (const [name, text] of Object.entries(valid)) {
    test(`${name}: the value JSON.parse gives`, () => {
      for (const chunk of [4, 16, 1000]) {
        const value = complete(parseJsonSteps(text, 'x.json', chunk));
        assert.deepEqual(value, JSON.parse(text), `chunk ${chunk}`);
        assert.equal(Object.getPrototypeOf(value), Object.getPrototypeOf(JSON.parse(text)), `chunk ${chunk}`);
      }
    });
  }
  for (const [name, text] of Object.entries(invalid)) {
    test(`${name}: parseJson's error, with line and column`, () => {
      const expected = errorOf(() => parseJson(text, 'up.json'));
      assert.match(expected ?? '', /^up\.json: not valid JSON.*line \d+, column \d+/);
      for (const chunk of [4, 16, 1000]) assert.equal(errorOf(() => complete(parseJsonSteps(text, 'up.json', chunk))), expected, `chunk ${chunk}`);
    });
  }
  test('a 20,000-layer spec is parsed in steps of about one chunk each', () => {
    const text = JSON.stringify(chainSpec(20_000));
    const chunk = 64 * 1024;
    const { value, steps } = run(parseJsonSteps(text, 'chain.json', chunk));
    assert.deepEqual(value, JSON.parse(text));
    // A step scans one chunk, or parses one batch of elements of about a chunk.
    assert.ok(steps >= text.length / chunk, `${steps} steps for ${text.length} characters`);
    assert.ok(steps <= (3 * text.length) / chunk + 4, `${steps} steps for ${text.length} characters`);
  });
  test('a text of one chunk or less is parsed in one step', () => {
    assert.equal(run(parseJsonSteps('{"nodes": [1, 2]}', 'x.json')).steps, 0);
  });
});
