/** The op contract: every op is ONE object holding all of its rules. */
import type { Convention } from '../core/sets.js';
import type { AttrValue, Shape } from '../graph/types.js';
import type { Expr } from './formula.js';

/** Every op type convlab knows. Per-op tables are typed `Record<OpType, …>` so a new op without its rules fails to compile. */
export const OpType = {
  Conv2D: 'Conv2D',
  DepthwiseConv2D: 'DepthwiseConv2D',
  SeparableConv2D: 'SeparableConv2D',
  Dense: 'Dense',
  MaxPool2D: 'MaxPool2D',
  AvgPool2D: 'AvgPool2D',
  GlobalAvgPool: 'GlobalAvgPool',
  GlobalMaxPool: 'GlobalMaxPool',
  BatchNorm: 'BatchNorm',
  LRN: 'LRN',
  Dropout: 'Dropout',
  Flatten: 'Flatten',
  Reshape: 'Reshape',
  Permute: 'Permute',
  ZeroPadding2D: 'ZeroPadding2D',
  Cropping2D: 'Cropping2D',
  Add: 'Add',
  Concat: 'Concat',
  Multiply: 'Multiply',
  ScaledAdd: 'ScaledAdd',
  Rescaling: 'Rescaling',
  Normalization: 'Normalization',
  Activation: 'Activation',
  PReLU: 'PReLU',
  Conv2DTranspose: 'Conv2DTranspose',
  ConstantPad2D: 'ConstantPad2D',
  BorderPad2D: 'BorderPad2D',
  Resize: 'Resize',
  Split: 'Split',
  AdaptiveAvgPool: 'AdaptiveAvgPool',
} as const;
export type OpType = (typeof OpType)[keyof typeof OpType];

/** Explicit padding [top, bottom, left, right], or a Keras keyword. */
export type Padding = 'valid' | 'same' | [number, number, number, number];

/** Activation functions, usable as an op (`Activation`) or fused into Conv2D / Dense. */
export const ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'sigmoid', 'hard_sigmoid', 'swish', 'hard_swish', 'tanh', 'softmax', 'gelu',
  'leaky_relu', 'elu', 'selu',
] as const;
export type ActivationFn = (typeof ACTIVATIONS)[number];

/** How an attribute is read from JSON and normalized. */
export type AttrKind =
  | { kind: 'int'; min?: number }
  | { kind: 'float'; min?: number; max?: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[] }
  /** A number or a [h, w] pair, normalized to [h, w]: integers >= min, or with `real` numbers > min. */
  | { kind: 'pair'; min: number; real?: boolean }
  /** 'valid' | 'same' | n | [v, h] | [t, b, l, r], normalized to Padding. */
  | { kind: 'padding'; keywords: boolean }
  | { kind: 'ints' }
  | { kind: 'floats' };

/** One attribute's schema: its kind, default (absent = required) and one-line doc. */
export type AttrDef = AttrKind & { default?: AttrValue | Padding; doc: string };

/** A weight tensor an op owns, with Keras' name and layout. Params are derived from these. */
export interface WeightSpec {
  /** Keras weight name: kernel, bias, gamma, beta, moving_mean, moving_variance, depthwise_kernel, ... */
  name: string;
  /** Named dimensions, e.g. [['fh', 3], ['fw', 3], ['cin', 64], ['K', 128]]. */
  dims: Array<[string, number]>;
  /** False for weights Keras keeps non-trainable (moving statistics, normalization constants). */
  trainable: boolean;
  /** True where PyTorch holds the tensor as a buffer, not a parameter (running stats). */
  buffer?: boolean;
  /** Initializer, as Keras names it. */
  init: 'glorot_uniform' | 'he_normal' | 'he_uniform' | 'zeros' | 'ones' | 'constant';
}

/** Receptive field of one tensor, per axis [h, w]: size, jump (effective stride), start (centre of the first unit). */
export interface ReceptiveField {
  size: [number, number];
  jump: [number, number];
  start: [number, number];
  /** Set when branches feeding this tensor disagree; each axis took the largest field. */
  disagree?: boolean;
}

/** What a rule sees: normalized attrs and the shapes around the node. */
export interface OpContext<A> {
  attrs: A;
  inputs: Shape[];
  output: Shape;
}

/** One op: attributes, validation, shape inference and every cost rule, in one object. */
export interface OpDef<A = Record<string, unknown>> {
  type: OpType;
  /** One-line description shown by `convlab ops` and the explorer. */
  doc: string;
  /** Attribute schemas; a node may also set `trainable` (bool) on any op. */
  attrs: { [K in keyof A]: AttrDef };
  /** Allowed input count: [min, max]. */
  arity: [number, number];
  /** Output shape from input shapes; throws OpRuleError with what is wrong. */
  inferShape(inputs: Shape[], attrs: A, names: string[]): Shape;
  /** Weight tensors owned by the node. */
  weights(ctx: OpContext<A>): WeightSpec[];
  /** Multiply-accumulates of conv and dense work; zero elsewhere. */
  macs(ctx: OpContext<A>): Expr;
  /** FLOPs under `lecture` or `flops` (the `macs` convention reuses `macs`). */
  flops(ctx: OpContext<A>, convention: Exclude<Convention, 'macs'>): Expr;
  /** FLOPs of the backward pass under a convention, for training cost (see docs/metrics.md). */
  backward: BackwardRule<A>;
  /** True when the output aliases the input (no new buffer): Flatten, Reshape, Dropout at inference. */
  aliasesInput?: boolean;
  /** Receptive field of the output from those of the inputs. */
  receptiveField(inputs: ReceptiveField[], ctx: OpContext<A>): ReceptiveField;
}

/** An op seen without its attr type: the registry's and the resolved graph's view of every op. */
export type AnyOpDef = OpDef<unknown>;

/** What the backward pass of one layer costs: the gradient with respect to its input(s), and to its weights. */
export interface BackwardCost {
  input: Expr;
  weights: Expr;
}

/**
 * How an op's backward pass is counted: `free` where gradients are only routed or copied (Add,
 * Concat, Flatten, padding), `forward` where the input gradient repeats the forward work and
 * there are no weights to learn (pooling, activations), or a rule of its own.
 */
export type BackwardRule<A> = 'free' | 'forward' | BackwardFn<A>;

// Written as a method so that, like the other rules, an op's own rule fits AnyOpDef (methods compare bivariantly).
type BackwardFn<A> = { rule(ctx: OpContext<A>, convention: Convention): BackwardCost }['rule'];

/** Identity helper that keeps an op's attr type while checking it against OpDef. */
export function defineOp<A>(def: OpDef<A>): OpDef<A> {
  return def;
}
