/**
 * What `predict` applies to an image, decided once: the preprocessing and fit the model records
 * (zoo metadata, a trained directory's recipe, an exported file's convlab.meta), each part
 * overridden by the user's flags, and the layout (NHWC or NCHW) of the model's input. Browser-safe.
 */
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { FITS, type Fit } from './preprocess.js';
import type { Preprocessing } from './types.js';

/** The preprocessing modes a user can ask for: Keras' three, plain [0, 1], and none. */
export const PREPROCESS_MODES = ['none', 'unit', 'caffe', 'tf', 'torch'] as const;
/** One of PREPROCESS_MODES. */
export type PreprocessMode = (typeof PREPROCESS_MODES)[number];

/** The user's overrides; absent fields keep what the model records. */
export interface RecipeFlags {
  preprocess?: PreprocessMode;
  scale?: number;
  mean?: number[];
  std?: number[];
  bgr?: boolean;
  fit?: Fit;
}

/** What will be applied, and whether it came from the model, the flags, or neither. */
export interface Recipe {
  prep: Preprocessing;
  fit: Fit;
  from: 'model' | 'flags' | 'model and flags' | 'default';
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const numbers = (x: unknown): number[] | undefined => (Array.isArray(x) && x.every((v) => typeof v === 'number') ? (x as number[]) : undefined);

/**
 * The recipe a model's metadata records: `preprocessing` as the zoo writes it (mode, scale,
 * mean, std), or a trained directory's (scale, mean, std and fit `pad` / `resize`).
 */
export function recordedRecipe(meta: Record<string, unknown>): { prep: Preprocessing; fit?: Fit } | null {
  const p = meta.preprocessing;
  if (!isObj(p)) return null;
  const prep: Preprocessing = {};
  if (typeof p.mode === 'string' && (PREPROCESS_MODES as readonly string[]).includes(p.mode)) prep.mode = p.mode as PreprocessMode;
  if (typeof p.scale === 'number') prep.scale = p.scale;
  const mean = numbers(p.mean);
  const std = numbers(p.std);
  if (mean) prep.mean = mean;
  if (std) prep.std = std;
  if (p.bgr === true) prep.bgr = true;
  const fit = p.fit === 'pad' ? 'pad' : p.fit === 'resize' ? 'stretch' : typeof p.fit === 'string' && (FITS as readonly string[]).includes(p.fit) ? (p.fit as Fit) : undefined;
  return { prep, ...(fit ? { fit } : {}) };
}

/** The model's recipe with the flags laid over it: a --preprocess mode replaces the recorded one whole; scale, mean, std and bgr replace their part. */
export function recipeOf(meta: Record<string, unknown>, flags: RecipeFlags = {}): Recipe {
  const recorded = recordedRecipe(meta);
  const given = Object.values(flags).some((v) => v !== undefined);
  let prep: Preprocessing = flags.preprocess !== undefined ? { mode: flags.preprocess } : { ...(recorded?.prep ?? {}) };
  prep = {
    ...prep,
    ...(flags.scale !== undefined ? { scale: flags.scale } : {}),
    ...(flags.mean !== undefined ? { mean: flags.mean } : {}),
    ...(flags.std !== undefined ? { std: flags.std } : {}),
    ...(flags.bgr !== undefined ? { bgr: flags.bgr } : {}),
  };
  const fit = flags.fit ?? recorded?.fit ?? 'crop';
  const from = recorded === null ? (given ? 'flags' : 'default') : given ? 'model and flags' : 'model';
  return { prep, fit, from };
}

/** One line saying what a recipe does to [0, 255] RGB pixels: `caffe: RGB→BGR, minus the ImageNet BGR means`. */
export function describeRecipe(r: Recipe): string {
  const p = r.prep;
  const mode = p.mode ?? 'none';
  const parts: string[] = [];
  if (mode === 'caffe') parts.push('caffe: RGB→BGR, minus the ImageNet BGR means');
  else if (mode === 'tf') parts.push('tf: x/127.5 − 1');
  else if (mode === 'torch') parts.push('torch: x/255, minus the ImageNet mean, over its std');
  else if (mode === 'unit') parts.push('unit: x/255');
  else parts.push(p.scale !== undefined && p.scale !== 1 ? `x·${p.scale}` : 'raw pixels');
  // Keras' modes carry their own constants; only plain scaling shows the recorded ones.
  if ((mode === 'none' || mode === 'unit') && p.mean) parts.push(`minus mean ${JSON.stringify(p.mean)}`);
  if ((mode === 'none' || mode === 'unit') && p.std) parts.push(`over std ${JSON.stringify(p.std)}`);
  if (p.bgr && mode !== 'caffe') parts.push('BGR');
  return `${parts.join(', ')}; fit ${r.fit} (from ${r.from})`;
}

/** Class names a model records: `classNames` (zoo, ImageNet weights, exports) or a trained directory's `classes`. */
export function classNamesOf(meta: Record<string, unknown>): string[] | null {
  for (const key of ['classNames', 'classes']) {
    const v = meta[key];
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v as string[];
  }
  return null;
}

/** The layout of a model input shape without the batch: NCHW when the first axis looks like channels and the last does not. */
export function inputLayout(shape: readonly number[]): 'NHWC' | 'NCHW' {
  return shape.length === 3 && [1, 3, 4].includes(shape[0]!) && ![1, 3, 4].includes(shape[2]!) ? 'NCHW' : 'NHWC';
}

/** Checks a `--size H,W` value. */
export function parseSize(text: string): [number, number] {
  const m = /^(\d+),(\d+)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(messages.badSize(text));
  return [Number(m[1]), Number(m[2])];
}

/** Checks a `--mean` / `--std` value: one number, or one per channel, comma-separated. */
export function parseNumbers(option: string, text: string): number[] {
  const parts = text.split(',').map((t) => Number(t.trim()));
  if (parts.length === 0 || parts.some((x) => !Number.isFinite(x))) throw new UsageError(messages.badNumbers(option, text));
  return parts;
}
