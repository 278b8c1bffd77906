/**
 * Finds where in a spec's JSON text an error belongs: the object of the node an error names,
 * the `nodes[i]` entry a structural error names, or the offset a JSON syntax error reports.
 */

/** A span of the text, with 0-based first and last lines. */
export interface Span {
  start: number;
  end: number;
  line: number;
  endLine: number;
}

interface Scan {
  /** Span of each object whose "name" is a string, by that name (first wins). */
  byName: Map<string, [number, number]>;
  /** Spans of the elements of the top-level "nodes" array. */
  nodes: Array<[number, number]>;
}

/** One pass over JSON text, string-aware, recording object spans by their "name". Tolerates broken text. */
function scan(text: string): Scan {
  const byName = new Map<string, [number, number]>();
  const nodes: Array<[number, number]> = [];
  // Each open container: its kind, start offset, the key it sits under, and its name once seen.
  const stack: Array<{ kind: '{' | '['; start: number; key: string | null; name?: string }> = [];
  let lastString: string | null = null;
  let pendingKey: string | null = null;
  let expectingValueOf: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
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
      if (done.kind === '{' && done.name !== undefined && !byName.has(done.name)) byName.set(done.name, [done.start, i + 1]);
      const parent = stack[stack.length - 1];
      // Elements of the "nodes" array of the root object.
      if (done.kind === '{' && parent?.kind === '[' && parent.key === 'nodes' && stack.length === 2) nodes.push([done.start, i + 1]);
      continue;
    }
    if (!/\s/.test(ch)) expectingValueOf = null;
  }
  return { byName, nodes };
}

const lineAt = (text: string, offset: number): number => {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
};

const span = (text: string, [start, end]: [number, number]): Span => ({ start, end, line: lineAt(text, start), endLine: lineAt(text, Math.max(start, end - 1)) });

/** Where a node (or graph input) named `node` is written in the text. */
export function locateNode(text: string, node: string): Span | null {
  const found = scan(text).byName.get(node);
  return found ? span(text, found) : null;
}

/** Where the `index`-th element of the top-level "nodes" array is written. */
export function locateNodeIndex(text: string, index: number): Span | null {
  const found = scan(text).nodes[index];
  return found ? span(text, found) : null;
}

/**
 * Offset of the first JSON syntax error, or null for valid JSON. Browsers word JSON.parse errors
 * differently and some give no position, so the page finds the offset itself.
 */
export function syntaxErrorOffset(text: string): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const c of word) if (text[i++] !== c) (i--, fail());
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
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
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
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
        else fail();
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
    if (i < text.length) fail();
    return null;
  } catch (at) {
    if (typeof at !== 'number') throw at;
    return Math.min(at, text.length);
  }
}

/** The span of the first JSON syntax error, if the text has one. */
export function locateSyntaxError(text: string): Span | null {
  const at = syntaxErrorOffset(text);
  if (at === null) return null;
  const start = Math.min(at, Math.max(0, text.length - 1));
  return span(text, [start, start + 1]);
}

/** Where an error belongs: its node, else the `nodes[i]` its message names, else its JSON offset. */
export function locateProblem(text: string, problem: { message: string; node?: string }): Span | null {
  if (problem.node !== undefined) {
    const s = locateNode(text, problem.node);
    if (s) return s;
  }
  const idx = /nodes\[(\d+)\]/.exec(problem.message);
  if (idx) {
    const s = locateNodeIndex(text, Number(idx[1]));
    if (s) return s;
  }
  return /not valid JSON/.test(problem.message) ? locateSyntaxError(text) : null;
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
