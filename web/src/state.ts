/**
 * The page's state and its URL form. The hash holds what a person would want a link to keep
 * (model, options, view, conventions), so `#model=resnet50&view=table` opens exactly that.
 */
import type { DType, ParamConvention } from '../../src/analysis/index.js';
import type { Convention, Optimizer } from '../../src/core/sets.js';
import type { Metric } from './graph_model.js';
import { pageMessages } from './messages.js';
import type { ZooChoice } from './source.js';

export const VIEWS = ['graph', 'table', 'charts', 'compare', 'spec'] as const;
export type View = (typeof VIEWS)[number];

export interface PageState {
  /** The zoo choice; null while a pasted or uploaded spec is shown. */
  zoo: ZooChoice | null;
  view: View;
  convention: Convention;
  params: ParamConvention;
  dtype: DType;
  colourBy: Metric;
  sizeBy: Metric | null;
  batch: number;
  optimizer: Optimizer;
  /** Zoo ids in the compare view. */
  compare: string[];
  /** What-if moves applied to the model on screen (`separable`, `width=0.5`), in order. */
  moves: string[];
}

const CONVENTIONS: readonly Convention[] = ['lecture', 'macs', 'flops'];
const PARAMS: readonly ParamConvention[] = ['keras', 'torch'];
const DTYPES: readonly DType[] = ['fp32', 'fp16'];
const METRICS: readonly Metric[] = ['macs', 'params', 'memory'];
const OPTIMIZERS: readonly Optimizer[] = ['sgd', 'momentum', 'adam'];

/** A whole number of at least 1 written in plain digits, else undefined. */
export const positiveInt = (raw: string | null): number | undefined => {
  if (raw === null || !/^\d+$/.test(raw.trim())) return undefined;
  const n = Number(raw);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
};

/** A state read from a link, with a message for each value it could not use. */
export interface ParsedHash {
  state: PageState;
  problems: string[];
}

/** Keys a link may carry; `spec` holds a shared spec (share.ts), read before the page starts. */
export const HASH_KEYS = ['model', 'input', 'classes', 'top', 'view', 'convention', 'params', 'dtype', 'colour', 'size', 'batch', 'optimizer', 'compare', 'move', 'spec'] as const;

/**
 * Reads a state from a location hash. Anything unreadable falls back to `defaults`, and says so:
 * each value the page could not use gives a message naming the key, the value and what is shown.
 */
export function parseHash(hash: string, defaults: PageState): ParsedHash {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const problems: string[] = [];
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const raw = q.get(key);
    if (raw === null) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(pageMessages.badLinkValue(key, raw, allowed, fallback));
    return fallback;
  };
  const count = (key: string, fallback: string): number | undefined => {
    const raw = q.get(key);
    const n = positiveInt(raw);
    if (raw !== null && n === undefined) problems.push(pageMessages.badLinkNumber(key, raw, 'a whole number of at least 1', fallback));
    return n;
  };
  const s: PageState = { ...defaults, compare: [...defaults.compare], moves: q.getAll('move').filter((m) => m !== '') };
  const model = q.get('model');
  if (model) {
    const zoo: ZooChoice = { id: model };
    const rawInput = q.get('input');
    if (rawInput !== null) {
      const input = rawInput.split(',').map((x) => positiveInt(x));
      if (input.length === 3 && input.every((x) => x !== undefined)) zoo.input = input as number[];
      else problems.push(pageMessages.badLinkNumber('input', rawInput, 'three whole numbers H,W,C of at least 1', 'the default input'));
    }
    const classes = count('classes', 'the default classes');
    if (classes !== undefined) zoo.classes = classes;
    const top = q.get('top');
    if (top === '0') zoo.includeTop = false;
    else if (top !== null) problems.push(pageMessages.badLinkValue('top', top, ['0'], 'the classifier'));
    const extra: Record<string, number> = {};
    for (const [k, v] of q) {
      if (!k.startsWith('o.')) continue;
      if (Number.isFinite(Number(v)) && v.trim() !== '') extra[k.slice(2)] = Number(v);
      else problems.push(pageMessages.badLinkNumber(k, v, 'a number', 'the default'));
    }
    if (Object.keys(extra).length) zoo.extra = extra;
    s.zoo = zoo;
  }
  s.view = pick('view', VIEWS, defaults.view);
  s.convention = pick('convention', CONVENTIONS, defaults.convention);
  s.params = pick('params', PARAMS, defaults.params);
  s.dtype = pick('dtype', DTYPES, defaults.dtype);
  s.colourBy = pick('colour', METRICS, defaults.colourBy);
  const size = pick('size', [...METRICS, 'none'] as const, defaults.sizeBy ?? 'none');
  s.sizeBy = size === 'none' ? null : size;
  s.batch = count('batch', String(defaults.batch)) ?? defaults.batch;
  s.optimizer = pick('optimizer', OPTIMIZERS, defaults.optimizer);
  const compare = q.get('compare');
  if (compare !== null) s.compare = compare.split(',').filter((x) => x !== '');
  const unknown = [...new Set([...q.keys()].filter((k) => !(HASH_KEYS as readonly string[]).includes(k) && !k.startsWith('o.')))];
  for (const k of unknown) problems.push(pageMessages.unknownLinkKey(k));
  return { state: s, problems };
}

/** Writes a state as a location hash (without the `#`), leaving out what equals `defaults`. */
export function formatHash(s: PageState, defaults: PageState): string {
  const q = new URLSearchParams();
  if (s.zoo) {
    q.set('model', s.zoo.id);
    if (s.zoo.input) q.set('input', s.zoo.input.join(','));
    if (s.zoo.classes !== undefined) q.set('classes', String(s.zoo.classes));
    if (s.zoo.includeTop === false) q.set('top', '0');
    for (const [k, v] of Object.entries(s.zoo.extra ?? {})) q.set(`o.${k}`, String(v));
  }
  if (s.view !== defaults.view) q.set('view', s.view);
  if (s.convention !== defaults.convention) q.set('convention', s.convention);
  if (s.params !== defaults.params) q.set('params', s.params);
  if (s.dtype !== defaults.dtype) q.set('dtype', s.dtype);
  if (s.colourBy !== defaults.colourBy) q.set('colour', s.colourBy);
  if (s.sizeBy !== defaults.sizeBy) q.set('size', s.sizeBy ?? 'none');
  if (s.batch !== defaults.batch) q.set('batch', String(s.batch));
  if (s.optimizer !== defaults.optimizer) q.set('optimizer', s.optimizer);
  if (s.compare.join(',') !== defaults.compare.join(',')) q.set('compare', s.compare.join(','));
  for (const m of s.moves) q.append('move', m);
  return q.toString();
}
