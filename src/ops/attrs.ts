/** Reads a node's raw JSON attributes against an op's schema: defaults, types, ranges. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { AttrValue } from '../graph/types.js';
import type { AttrDef, OpDef, Padding } from './types.js';

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Attributes every op accepts in addition to its own. */
const COMMON_ATTRS: Record<string, AttrDef> = {
  trainable: { kind: 'bool', default: true, doc: 'false freezes the weights: they count as non-trainable' },
};

function fail(attr: string, expected: string, received: unknown): never {
  throw new OpRuleError('attribute', messages.attrType(attr, expected, received), attr);
}

function range(attr: string, expected: string, received: unknown): never {
  throw new OpRuleError('attribute', messages.attrRange(attr, expected, received), attr);
}

function coerceOne(attr: string, def: AttrDef, raw: unknown): unknown {
  switch (def.kind) {
    case 'int':
      if (!isInt(raw)) fail(attr, 'an integer', raw);
      if (def.min !== undefined && raw < def.min) range(attr, `an integer >= ${def.min}`, raw);
      return raw;
    case 'float':
      if (!isNum(raw)) fail(attr, 'a number', raw);
      if (def.min !== undefined && raw < def.min) range(attr, `a number >= ${def.min}`, raw);
      if (def.max !== undefined && raw > def.max) range(attr, `a number <= ${def.max}`, raw);
      return raw;
    case 'bool':
      if (typeof raw !== 'boolean') fail(attr, 'true or false', raw);
      return raw;
    case 'enum':
      if (typeof raw !== 'string' || !def.values.includes(raw)) fail(attr, `one of ${def.values.join(', ')}`, raw);
      return raw;
    case 'pair': {
      if (def.real) {
        const pair = isNum(raw) ? [raw, raw] : Array.isArray(raw) && raw.length === 2 && raw.every(isNum) ? raw : null;
        if (!pair) fail(attr, 'a number or a pair [h, w] of numbers', raw);
        if (pair.some((x: number) => x <= def.min)) range(attr, `numbers > ${def.min}`, raw);
        return pair;
      }
      const pair = isInt(raw) ? [raw, raw] : Array.isArray(raw) && raw.length === 2 && raw.every(isInt) ? raw : null;
      if (!pair) fail(attr, 'an integer or a pair [h, w] of integers', raw);
      if (pair.some((x: number) => x < def.min)) range(attr, `integers >= ${def.min}`, raw);
      return pair;
    }
    case 'padding': {
      if (raw === 'valid' || raw === 'same') {
        if (!def.keywords) fail(attr, 'an integer, [v, h] or [top, bottom, left, right]', raw);
        return raw;
      }
      let p: number[] | null = null;
      if (isInt(raw)) p = [raw, raw, raw, raw];
      else if (Array.isArray(raw) && raw.every(isInt)) {
        if (raw.length === 2) p = [raw[0]!, raw[0]!, raw[1]!, raw[1]!];
        else if (raw.length === 4) p = raw as number[];
      }
      const expected = def.keywords
        ? '"valid", "same", an integer, [v, h] or [top, bottom, left, right]'
        : 'an integer, [v, h] or [top, bottom, left, right]';
      if (!p) fail(attr, expected, raw);
      if (p.some((x) => x < 0)) range(attr, 'non-negative padding', raw);
      return p as Padding;
    }
    case 'ints':
      if (!Array.isArray(raw) || !raw.every(isInt)) fail(attr, 'a list of integers', raw);
      return raw;
    case 'floats':
      if (!Array.isArray(raw) || !raw.every(isNum)) fail(attr, 'a list of numbers', raw);
      return raw;
  }
}

/** Validates and normalizes raw attributes; returns the op's typed attrs plus `trainable`. */
export function coerceAttrs<A>(def: OpDef<A>, raw: Record<string, AttrValue> | undefined): A & { trainable: boolean } {
  const schema = { ...(def.attrs as Record<string, AttrDef>), ...COMMON_ATTRS };
  const given = raw ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) fail('attrs', 'an object', given);
  for (const key of Object.keys(given)) {
    if (!(key in schema)) throw new OpRuleError('attribute', messages.unknownAttr(key, Object.keys(schema)), key);
  }
  const out: Record<string, unknown> = {};
  for (const [key, d] of Object.entries(schema)) {
    const value = (given as Record<string, unknown>)[key];
    if (value === undefined || value === null) {
      if (d.default === undefined) throw new OpRuleError('attribute', messages.missingAttr(key, d.doc), key);
      out[key] = d.default === null ? null : coerceOne(key, d, d.default);
    } else {
      out[key] = coerceOne(key, d, value);
    }
  }
  return out as A & { trainable: boolean };
}
