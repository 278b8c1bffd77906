/**
 * JSON.parse of a large file in steps, so the page stays responsive while an 8.7 MB spec of
 * 100,000 layers is read: JSON.parse of such a text is one task of 50–100 ms. Parsing in a worker
 * would not help, since copying the parsed object back to the page costs more than parsing it.
 *
 * The text is scanned once, a chunk per step; each array directly under the top-level object (a
 * spec's "nodes") is parsed by JSON.parse a batch of elements at a time, and the rest of the text
 * once with those arrays left empty. Every piece goes through JSON.parse, so the value is the one
 * JSON.parse of the whole text gives. Text that is not valid JSON, or not shaped so, is parsed
 * whole by `parseJson`, which reports the error with its line and column.
 */
import { SpecError } from '../../src/core/errors.js';
import { messages } from '../../src/core/messages.js';
import type { Steps } from '../../src/core/steps.js';
import { syntaxDetail, syntaxFault } from './spec_text.js';

/** Characters scanned, or parsed as one batch of elements, per step: well under a millisecond of work. */
export const JSON_STEP_CHARS = 64 * 1024;

/**
 * Parses JSON text; a syntax error names the file, line and column and what was expected there,
 * describing what it found without echoing the text (which may be any bytes at all).
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const fault = syntaxFault(text);
    throw new SpecError(messages.notJson(file, fault ? syntaxDetail(fault) : 'nesting too deep to read'));
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** An array under the top-level object: where its brackets are and the elements parsed so far. */
interface Split {
  key: string;
  open: number;
  close: number;
  items: unknown[];
}

/** Parses `[piece]`; null when the piece is not a list of JSON values. */
function batch(piece: string): unknown[] | null {
  try {
    return JSON.parse(`[${piece}]`) as unknown[];
  } catch {
    return null;
  }
}

/** Index of the first character after JSON whitespace from `i`. */
function skipSpace(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
  }
  return i;
}

/**
 * Parses JSON text as `parseJson` does, yielding between chunks of `stepChars`; a text of at
 * most one chunk, or one that is not a JSON object, is parsed in one step.
 */
export function* parseJsonSteps(text: string, file: string, stepChars = JSON_STEP_CHARS): Steps<unknown> {
  const first = skipSpace(text, 0);
  if (text.length <= stepChars || text.charCodeAt(first) !== OPEN_BRACE) return parseJson(text, file);
  const splits: Split[] = [];
  const keys = new Set<string>();
  let depth = 0;
  // The last string seen directly in the top-level object, the key a ':' after it introduces.
  let keyStart = -1;
  let keyEnd = -1;
  let key: string | null = null;
  let open: Split | null = null;
  let batchStart = 0;
  let nextPause = stepChars;
  for (let i = first; i < text.length; i++) {
    if (i >= nextPause) {
      yield;
      nextPause = i + stepChars;
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
      if (depth === 1) {
        keyStart = start;
        keyEnd = i;
      }
    } else if (c === COLON && depth === 1) {
      if (keyStart < 0) return parseJson(text, file);
      try {
        key = JSON.parse(text.slice(keyStart, keyEnd + 1)) as string;
      } catch {
        return parseJson(text, file);
      }
      // With a repeated key the last value wins, which the empty placeholder of an array would hide.
      if (keys.has(key)) return parseJson(text, file);
      keys.add(key);
      keyStart = -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 1 && c === OPEN_BRACKET && key !== null) {
        open = { key, open: i, close: -1, items: [] };
        batchStart = i + 1;
      }
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 1 && open !== null) {
        if (c !== CLOSE_BRACKET || !(yield* addBatch(open, text.slice(batchStart, i), true))) return parseJson(text, file);
        open.close = i;
        splits.push(open);
        open = null;
      }
      if (depth === 0) break;
    } else if (c === COMMA && depth === 1) {
      key = null;
    } else if (c === COMMA && depth === 2 && open !== null && i - batchStart >= stepChars) {
      if (!(yield* addBatch(open, text.slice(batchStart, i), false))) return parseJson(text, file);
      batchStart = i + 1;
    }
  }
  if (open !== null || splits.length === 0) return parseJson(text, file);
  let skeleton = text.slice(0, splits[0]!.open + 1);
  splits.forEach((s, k) => (skeleton += text.slice(s.close, k + 1 < splits.length ? splits[k + 1]!.open + 1 : text.length)));
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(skeleton) as Record<string, unknown>;
  } catch {
    return parseJson(text, file);
  }
  // Each key is the object's own property already (an empty array), so assigning never reaches a setter such as __proto__'s.
  for (const s of splits) value[s.key] = s.items;
  return value;
}

/**
 * Parses one batch of an array's elements into it, as a step of its own; false when the batch
 * is not a list of values, or is empty though it is not the whole array (a stray comma).
 */
function* addBatch(into: Split, piece: string, last: boolean): Steps<boolean> {
  yield;
  const items = batch(piece);
  if (items === null || (items.length === 0 && !(last && into.items.length === 0))) return false;
  for (const x of items) into.items.push(x);
  return true;
}
