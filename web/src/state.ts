/**
 * The page's state and its URL form. The hash holds what a person would want a link to keep
 * (model, options, view, conventions), so `#model=resnet50&view=table` opens exactly that.
 */
import type { DType, ParamConvention } from '../../src/analysis/index.js';
import type { Convention, Optimizer } from '../../src/core/sets.js';
import type { Metric } from './graph_model.js';
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

const pick = <T extends string>(allowed: readonly T[], raw: string | null, fallback: T): T =>
  raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as T) : fallback;

const positiveInt = (raw: string | null): number | undefined => {
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n > 0 ? n : undefined;
};

/** Reads a state from a location hash; anything unreadable falls back to `defaults`. */
export function parseHash(hash: string, defaults: PageState): PageState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const s: PageState = { ...defaults, compare: [...defaults.compare], moves: q.getAll('move').filter((m) => m !== '') };
  const model = q.get('model');
  if (model) {
    const zoo: ZooChoice = { id: model };
    const input = q.get('input')?.split(',').map((x) => positiveInt(x));
    if (input && input.length === 3 && input.every((x) => x !== undefined)) zoo.input = input as number[];
    const classes = positiveInt(q.get('classes'));
    if (classes !== undefined) zoo.classes = classes;
    if (q.get('top') === '0') zoo.includeTop = false;
    const extra: Record<string, number> = {};
    for (const [k, v] of q) if (k.startsWith('o.') && Number.isFinite(Number(v)) && v !== '') extra[k.slice(2)] = Number(v);
    if (Object.keys(extra).length) zoo.extra = extra;
    s.zoo = zoo;
  }
  s.view = pick(VIEWS, q.get('view'), defaults.view);
  s.convention = pick(CONVENTIONS, q.get('convention'), defaults.convention);
  s.params = pick(PARAMS, q.get('params'), defaults.params);
  s.dtype = pick(DTYPES, q.get('dtype'), defaults.dtype);
  s.colourBy = pick(METRICS, q.get('colour'), defaults.colourBy);
  const size = q.get('size');
  s.sizeBy = size === 'none' ? null : size !== null && (METRICS as readonly string[]).includes(size) ? (size as Metric) : defaults.sizeBy;
  s.batch = positiveInt(q.get('batch')) ?? defaults.batch;
  s.optimizer = pick(OPTIMIZERS, q.get('optimizer'), defaults.optimizer);
  const compare = q.get('compare');
  if (compare !== null) s.compare = compare.split(',').filter((x) => x !== '');
  return s;
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
