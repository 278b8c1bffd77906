/**
 * Conventions Keras Applications share, so families that follow a Keras definition read their
 * options, size their input and finish their top the same way Keras does.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Shape } from '../graph/types.js';
import type { BlockNaming, ModelOptions } from './registry.js';

/** Keras names the blocks of ResNet v1 and v2 and DenseNet `conv{stage}_block{index}_…`. */
export const KERAS_BLOCKS: BlockNaming = { template: 'conv{stage}_block{index}_{rest}', index: 'number' };

/** What a Keras family declares about its input: the default square size and Keras' minimum. */
export interface KerasInputRule {
  /** Model id, for messages. */
  model: string;
  defaultSize: number;
  /** Smallest height and width Keras accepts (obtain_input_shape's min_size). */
  minSize: number;
}

/** The checked common options of a Keras family. */
export interface KerasOptions {
  input: Shape;
  includeTop: boolean;
  classes: number;
  pooling: 'avg' | 'max' | null;
}

/** Checks `input`, `classes`, `includeTop` and `pooling` as Keras' obtain_input_shape does, before any node is built. */
export function kerasOptions(o: ModelOptions, rule: KerasInputRule): KerasOptions {
  const input = o.input ?? [rule.defaultSize, rule.defaultSize, 3];
  const shapeOk = Array.isArray(input) && input.length === 3 && input.every((d) => Number.isInteger(d) && d > 0);
  if (!shapeOk || input[0]! < rule.minSize || input[1]! < rule.minSize) {
    throw new UsageError(messages.modelOption(rule.model, 'input', `[H, W, C] of positive integers with H and W at least ${rule.minSize}`, input));
  }
  const classes = o.classes ?? 1000;
  if (!Number.isInteger(classes) || classes < 1) throw new UsageError(messages.modelOption(rule.model, 'classes', 'a positive integer', classes));
  if (o.includeTop !== undefined && typeof o.includeTop !== 'boolean') {
    throw new UsageError(messages.modelOption(rule.model, 'includeTop', 'true or false', o.includeTop));
  }
  const pooling = o.pooling ?? null;
  if (pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new UsageError(messages.modelOption(rule.model, 'pooling', 'one of "avg", "max" or null', pooling));
  }
  return { input: [...input], includeTop: o.includeTop ?? true, classes, pooling };
}

/** Node names a family gives its top; absent names fall back to Keras' automatic ones. */
export interface KerasTopNames {
  /** Global average pool before the classifier. */
  topPool?: string;
  /** Global pools of a headless model (pooling 'avg' / 'max'). */
  avg?: string;
  max?: string;
}

/**
 * Keras' top: with includeTop, global average pooling and a softmax Dense named `predictions`;
 * without it, optional global pooling and the feature map otherwise.
 */
export function kerasTop(b: GraphBuilder, x: Tensor, o: KerasOptions, names: KerasTopNames = {}): Tensor {
  if (o.includeTop) {
    const pooled = b.globalAvgPool(x, names.topPool ? { name: names.topPool } : {});
    return b.dense(pooled, { units: o.classes, activation: 'softmax', name: 'predictions' });
  }
  if (o.pooling === 'avg') return b.globalAvgPool(x, names.avg ? { name: names.avg } : {});
  if (o.pooling === 'max') return b.globalMaxPool(x, names.max ? { name: names.max } : {});
  return x;
}

/**
 * Keras' imagenet_utils.correct_pad: the [top, bottom, left, right] zero padding that lets a
 * strided 'valid' window reproduce TF's 'same' output size, with one row less on top for even sizes.
 */
export function correctPad(x: Tensor, kernel: number | [number, number]): [number, number, number, number] {
  const [kh, kw] = typeof kernel === 'number' ? [kernel, kernel] : kernel;
  const adjustH = 1 - (x.shape[0]! % 2);
  const adjustW = 1 - (x.shape[1]! % 2);
  const ch = Math.floor(kh / 2);
  const cw = Math.floor(kw / 2);
  return [ch - adjustH, ch, cw - adjustW, cw];
}
