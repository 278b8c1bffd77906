/** The op registry: one entry per OpType, so a new op without its rules fails to compile. */
import { Activation, PReLU } from './activation.js';
import { Conv2D, DepthwiseConv2D, SeparableConv2D } from './conv.js';
import { Dense } from './dense.js';
import { Add, Concat, Multiply, ScaledAdd } from './merge.js';
import { BatchNorm, LRN, Normalization, Rescaling } from './norm.js';
import { AdaptiveAvgPool, AvgPool2D, GlobalAvgPool, GlobalMaxPool, MaxPool2D } from './pool.js';
import { Conv2DTranspose } from './conv_transpose.js';
import { Resize } from './resize.js';
import { BorderPad2D, ConstantPad2D, Cropping2D, Dropout, Flatten, Permute, Reshape, Split, ZeroPadding2D } from './shape.js';
import type { AnyOpDef, OpDef, OpType } from './types.js';

/** Every op by type; each entry keeps its own attr type, so `OpAttrs<'Conv2D'>` is Conv2DAttrs. */
export const OPS = {
  Conv2D,
  DepthwiseConv2D,
  SeparableConv2D,
  Dense,
  MaxPool2D,
  AvgPool2D,
  GlobalAvgPool,
  GlobalMaxPool,
  BatchNorm,
  LRN,
  Dropout,
  Flatten,
  Reshape,
  Permute,
  ZeroPadding2D,
  Cropping2D,
  Add,
  Concat,
  Multiply,
  ScaledAdd,
  Rescaling,
  Normalization,
  Activation,
  PReLU,
  Conv2DTranspose,
  ConstantPad2D,
  BorderPad2D,
  Resize,
  Split,
  AdaptiveAvgPool,
} satisfies Record<OpType, AnyOpDef>;

/** The normalized attrs of one op type: what its rules, and every per-runtime lowering of it, read. */
export type OpAttrs<K extends OpType> = (typeof OPS)[K] extends OpDef<infer A> ? A : never;

/** All op type names, in registry order. */
export const OP_TYPES = Object.keys(OPS) as OpType[];

/** True when `name` is a known op type. */
export const isOpType = (name: string): name is OpType => Object.prototype.hasOwnProperty.call(OPS, name);

export * from './types.js';
export { CONVENTIONS, type Convention } from '../core/sets.js';
export * from './formula.js';
export { formatNumber } from '../core/format.js';
export { windowGeometry, windowReceptiveField, globalReceptiveField, transposeGeometry, type WindowGeometry, type TransposeGeometry } from './geometry.js';
export { convGeometry } from './conv.js';
export { poolGeometry, adaptiveBins } from './pool.js';
export { convTransposeGeometry } from './conv_transpose.js';
export {
  resizeTarget, sourceCoordinate, resizeTaps, resizeMatrix, RESIZE_COORDINATES, RESIZE_MODES, RESIZE_ROUNDING,
  type ResizeCoordinates, type ResizeMode, type ResizeRounding, type ResizeSampling, type AxisTaps,
} from './resize.js';
export { splitOffset } from './shape.js';
export { ACTIVATION_FLOPS, ACTIVATION_ALPHA, alphaOf } from './activation.js';
export { coerceAttrs } from './attrs.js';
export { numel } from '../core/numel.js';
export type { Conv2DAttrs, DepthwiseConv2DAttrs, SeparableConv2DAttrs } from './conv.js';
export type { DenseAttrs } from './dense.js';
export type { PoolAttrs, GlobalPoolAttrs, AdaptiveAvgPoolAttrs } from './pool.js';
export type { Conv2DTransposeAttrs } from './conv_transpose.js';
export type { ResizeAttrs } from './resize.js';
export type { BatchNormAttrs, LRNAttrs, RescalingAttrs, NormalizationAttrs } from './norm.js';
export type { ConcatAttrs, ScaledAddAttrs } from './merge.js';
export type { DropoutAttrs, ReshapeAttrs, PermuteAttrs, ZeroPadding2DAttrs, Cropping2DAttrs, ConstantPad2DAttrs, BorderPad2DAttrs, SplitAttrs } from './shape.js';
export { borderSource, BORDER_MODES, type BorderMode } from './shape.js';
export type { ActivationAttrs, PReLUAttrs } from './activation.js';
