/**
 * The model registry, as torchvision's and timm's: ids map to a builder plus metadata that
 * travels with the entry. `registerModel` refuses duplicates; `getModel` suggests near ids.
 */
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { nearest } from '../core/suggest.js';
import type { GraphSpec, Shape } from '../graph/types.js';

/** Published ImageNet accuracy of one model on the ILSVRC-2012 validation set, with where it was published. */
export interface Accuracy {
  top1?: number;
  top5?: number;
  /** Where the figures come from (paper table, Keras docs, torchvision docs). */
  source: string;
}

/**
 * A competition entry: the top-5 accuracy on the ILSVRC test set of the system a team submitted,
 * often an ensemble evaluated on many crops. The lecture's comparison tables quote these.
 */
export interface IlsvrcEntry {
  top5: number;
  year: number;
  source: string;
}

/**
 * A model's row in the lecture's "Comparison so far" table, quoted as the slide has it, and why
 * convlab's recomputed figures differ from it where they do.
 */
export interface LectureRow {
  /** Parameters and GFLOPs as the slide rounds them. */
  params: number;
  gflops: number;
  /** The slide's ImageNet top-5 error, a fraction. */
  top5Error: number;
  /** Why a recomputed figure differs, for each that does beyond the slide's rounding. */
  notes?: { params?: string; gflops?: string };
}

/**
 * How a builder names the blocks it repeats, so a rewrite can find a model's stages and name new
 * blocks as the builder would: in `conv{stage}_block{index}_{rest}`, `{stage}` and `{index}` locate
 * a block and `{rest}` a node within it (`conv2_block3_1_conv`).
 */
export interface BlockNaming {
  template: string;
  /** How the index is written: a number (`block3`) or a letter (Keras' EfficientNet: `block2b`). */
  index: 'number' | 'letter';
}

/** Metadata of a zoo entry. Params and MACs are never typed here: tests recompute them. */
export interface ModelMeta {
  id: string;
  family: string;
  year: number;
  paper: { title: string; url: string };
  /** Default input [H, W, C]. */
  input: Shape;
  /** Number of classes by default. */
  classes: number;
  accuracy?: Accuracy;
  /** The ILSVRC entry of the team whose architecture this is. */
  ilsvrc?: IlsvrcEntry;
  /** The model's row in the lecture's comparison table. */
  lecture?: LectureRow;
  /** Licence of the reference definition this entry reproduces. */
  licence: string;
  /** Which definition the entry follows: 'keras', 'torchvision', 'lecture', 'paper'. */
  reference: string;
  /** Preprocessing the reference weights expect. */
  preprocessing?: { scale?: number; mean?: number[]; std?: number[]; mode?: 'caffe' | 'tf' | 'torch' | 'none' };
  /** One-line description for `convlab list`. */
  description?: string;
  /** How the builder names its repeated blocks; absent when it does not expose stages. */
  blocks?: BlockNaming;
}

/** Options every builder accepts; families add their own (alpha, depthMultiplier, ...). */
export interface ModelOptions {
  classes?: number | undefined;
  includeTop?: boolean | undefined;
  /** Input [H, W, C]. */
  input?: Shape | undefined;
  /** Head when includeTop is false: none, 'avg' or 'max' global pooling. */
  pooling?: 'avg' | 'max' | null | undefined;
  /** MobileNet width multiplier. */
  alpha?: number | undefined;
  [key: string]: unknown;
}

export interface ModelEntry {
  meta: ModelMeta;
  build: (options: ModelOptions) => GraphSpec;
}

const REGISTRY = new Map<string, ModelEntry>();

/** Registers a model; refuses a duplicate id. */
export function registerModel(meta: ModelMeta, build: (options: ModelOptions) => GraphSpec): void {
  if (REGISTRY.has(meta.id)) throw new Error(`registerModel: id ${JSON.stringify(meta.id)} is already registered`);
  REGISTRY.set(meta.id, { meta, build });
}

/** Ids and metadata, optionally filtered by family or a substring of the id. */
export function listModels(filter?: { family?: string; match?: string }): ModelMeta[] {
  return [...REGISTRY.values()]
    .map((e) => e.meta)
    .filter((m) => !filter?.family || m.family === filter.family)
    .filter((m) => !filter?.match || m.id.includes(filter.match));
}

/** The registry entry for an id; unknown ids get the closest suggestions. */
export function getEntry(id: string): ModelEntry {
  const entry = REGISTRY.get(id);
  if (!entry) {
    const near = nearest(id, [...REGISTRY.keys()], 3);
    throw new UsageError(messages.unknownModel(id, near));
  }
  return entry;
}

/** Builds a zoo model's spec with options passed through to its builder. */
export function getModel(id: string, options: ModelOptions = {}): GraphSpec {
  const entry = getEntry(id);
  const spec = entry.build(options);
  spec.meta = { ...(spec.meta ?? {}), zoo: id, family: entry.meta.family, ...(entry.meta.preprocessing ? { preprocessing: entry.meta.preprocessing } : {}) };
  return spec;
}

/** True when the id is registered. */
export const hasModel = (id: string): boolean => REGISTRY.has(id);
