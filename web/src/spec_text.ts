/**
 * Finds where in a spec's JSON text an error belongs: the object of the node an error names (the
 * second one of a duplicate name), the `nodes[i]` or `inputs[i]` entry or the top-level field a
 * structural error names, or the place of a JSON syntax error, with its line and column.
 */
import { messages } from '../../src/core/messages.js';

/** A span of the text, with 0-based first and last lines. */
export interface Span {
  start: number;
  end: number;
  line: number;
  endLine: number;
}

interface Scan {
  /** Spans of every object whose "name" is a string, by that name, in the order they are written. */
  byName: Map<string, Array<[number, number]>>;
  /** Spans of the elements of the top-level "nodes" and "inputs" arrays. */
  nodes: Array<[number, number]>;
  inputs: Array<[number, number]>;
  /** Span of each key of the top-level object (the key itself: its value may run over many lines). */
  keys: Map<string, [number, number]>;
}

/** One pass over JSON text, string-aware, recording object spans by their "name". Tolerates broken text. */
function scan(text: string): Scan {
  const byName = new Map<string, Array<[number, number]>>();
  const nodes: Array<[number, number]> = [];
  const inputs: Array<[number, number]> = [];
  const keys = new Map<string, [number, number]>();
  let lastStart = 0;
  // Each open container: its kind, start offset, the key it sits under, and its name once seen.
  const stack: Array<{ kind: '{' | '['; start: number; key: string | null; name?: string }> = [];
  let lastString: string | null = null;
  let pendingKey: string | null = null;
  let expectingValueOf: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      lastStart = i;
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) {
          const esc = text[j + 1]!;
          if (esc === 'u') {
            s += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          s += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[esc] ?? esc;
          j += 2;
          continue;
        }
        s += text[j];
        j++;
      }
      i = j;
      const top = stack[stack.length - 1];
      if (expectingValueOf === 'name' && top?.kind === '{' && top.name === undefined) top.name = s;
      expectingValueOf = null;
      lastString = s;
      continue;
    }
    if (ch === ':') {
      if (stack.length === 1 && lastString !== null && !keys.has(lastString)) keys.set(lastString, [lastStart, i]);
      pendingKey = lastString;
      expectingValueOf = lastString;
      continue;
    }
    if (ch === ',') {
      pendingKey = null;
      expectingValueOf = null;
      continue;
    }
    if (ch === '{' || ch === '[') {
      const parent = stack[stack.length - 1];
      stack.push({ kind: ch, start: i, key: parent?.kind === '{' ? pendingKey : null });
      pendingKey = null;
      expectingValueOf = null;
      continue;
    }
    if (ch === '}' || ch === ']') {
      const done = stack.pop();
      expectingValueOf = null;
      if (!done) continue;
      if (done.kind === '{' && done.name !== undefined) {
        const list = byName.get(done.name);
        if (list) list.push([done.start, i + 1]);
        else byName.set(done.name, [[done.start, i + 1]]);
      }
      const parent = stack[stack.length - 1];
      // Elements of the "nodes" and "inputs" arrays of the root object.
      if (done.kind === '{' && parent?.kind === '[' && stack.length === 2) {
        if (parent.key === 'nodes') nodes.push([done.start, i + 1]);
        if (parent.key === 'inputs') inputs.push([done.start, i + 1]);
      }
      continue;
    }
    if (ch !== ' ' && ch !== '\n' && ch !== '\t' && ch !== '\r') expectingValueOf = null;
  }
  for (const list of byName.values()) list.sort((a, b) => a[0] - b[0]);
  return { byName, nodes, inputs, keys };
}

const lineAt = (text: string, offset: number): number => {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
};

const span = (text: string, [start, end]: [number, number]): Span => ({ start, end, line: lineAt(text, start), endLine: lineAt(text, Math.max(start, end - 1)) });

/** Where a node (or graph input) named `node` is written in the text: its first object, or its `nth` (0-based). */
export function locateNode(text: string, node: string, nth = 0): Span | null {
  const found = scan(text).byName.get(node)?.[nth];
  return found ? span(text, found) : null;
}

/** Where the `index`-th element of the top-level "nodes" array is written. */
export function locateNodeIndex(text: string, index: number): Span | null {
  const found = scan(text).nodes[index];
  return found ? span(text, found) : null;
}

/**
 * Where an error belongs. A syntax error at its offset; a duplicate name at the object that
 * repeats it; an output that names nothing at "outputs"; any other error naming a node at that
 * node; a structural error at the `nodes[i]` or `inputs[i]` entry or the top-level field it names.
 */
export function locateProblem(text: string, problem: { message: string; node?: string }): Span | null {
  if (/: not valid JSON \(/.test(problem.message)) return locateSyntaxError(text);
  const s = scan(text);
  const at = (x: [number, number] | undefined): Span | null => (x ? span(text, x) : null);
  const node = problem.node;
  if (node !== undefined) {
    const objects = s.byName.get(node) ?? [];
    if (problem.message.includes(messages.duplicateName(node))) return at(objects[1] ?? objects[0]);
    if (problem.message.includes(messages.unknownOutput(node))) return at(s.keys.get('outputs'));
    if (objects.length) return at(objects[0]);
  }
  const entry = /\b(nodes|inputs)\[(\d+)\]/.exec(problem.message);
  if (entry) return at((entry[1] === 'nodes' ? s.nodes : s.inputs)[Number(entry[2])]) ?? at(s.keys.get(entry[1]!));
  if (problem.message.includes(messages.noOutputs())) return at(s.keys.get('outputs'));
  const field = /field "(\w+)"/.exec(problem.message);
  return field ? at(s.keys.get(field[1]!)) : null;
}

/** The first JSON syntax error: where it is, what the grammar expected there, and what it found. */
export interface SyntaxFault {
  offset: number;
  /** 1-based, as editors count. */
  line: number;
  column: number;
  expected: string;
  /** The character found, described without echoing it raw: `"x"`, `U+0001`, or the end of the text. */
  found: string;
}

/** A character as a message may show it: printable ASCII quoted, anything else by its code point. */
export function describeChar(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the text';
  const code = text.codePointAt(offset)!;
  return code >= 0x20 && code < 0x7f ? JSON.stringify(String.fromCodePoint(code)) : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = lineAt(text, offset);
  return { line: line + 1, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/**
 * The first JSON syntax error, or null for valid JSON. Browsers word JSON.parse errors
 * differently, some give no position, and all quote the text, so the page finds it itself.
 */
export function syntaxFault(text: string): SyntaxFault | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (expected: string): never => {
    throw { at: i, expected };
  };
  const literal = (word: string) => {
    for (const c of word) if (text[i++] !== c) (i--, fail(`${JSON.stringify(word)}`));
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail('a closing quote (line breaks and control characters must be escaped)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after \\u');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u');
      }
      i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('a value (object, list, string, number, true, false or null)');
    i += m![0].length;
    if (/^[0-9.eE]/.test(text[i] ?? '')) fail('"," or the end of the value (numbers have no leading zeros)');
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a quoted key');
        string();
        ws();
        if (text[i] !== ':') fail('":"');
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail('"," or "}"');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail('"," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the text');
    return null;
  } catch (thrown) {
    if (typeof thrown !== 'object' || thrown === null || !('at' in thrown)) throw thrown;
    const { at, expected } = thrown as { at: number; expected: string };
    const offset = Math.min(at, text.length);
    return { offset, ...lineColumn(text, offset), expected, found: describeChar(text, offset) };
  }
}

/** Offset of the first JSON syntax error, or null for valid JSON. */
export const syntaxErrorOffset = (text: string): number | null => syntaxFault(text)?.offset ?? null;

/** The detail of a JSON syntax error as messages give it: `line 7, column 12: expected "," or "}", found "x"`. */
export const syntaxDetail = (f: SyntaxFault): string => `line ${f.line}, column ${f.column}: expected ${f.expected}, found ${f.found}`;

/** The span of the first JSON syntax error, if the text has one. */
export function locateSyntaxError(text: string): Span | null {
  const at = syntaxErrorOffset(text);
  if (at === null) return null;
  const start = Math.min(at, Math.max(0, text.length - 1));
  return span(text, [start, start + 1]);
}

/**
 * A spec as JSON text with one node per line, so an error at a node points at one line and a
 * diff of two specs reads node by node.
 */
export function formatSpec(spec: { name: string; inputs: unknown[]; nodes: unknown[]; outputs: unknown[]; meta?: unknown }): string {
  const one = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(one).join(', ')}]`;
    if (typeof x === 'object' && x !== null) {
      return `{${Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}: ${one(v)}`).join(', ')}}`;
    }
    return JSON.stringify(x) ?? 'null';
  };
  const list = (xs: unknown[]) => (xs.length ? `[\n${xs.map((x) => `    ${one(x)}`).join(',\n')}\n  ]` : '[]');
  const lines = [
    `  "name": ${JSON.stringify(spec.name)}`,
    `  "inputs": ${list(spec.inputs)}`,
    `  "nodes": ${list(spec.nodes)}`,
    `  "outputs": ${one(spec.outputs)}`,
  ];
  if (spec.meta !== undefined) lines.push(`  "meta": ${one(spec.meta)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}
