/**
 * The tfjs lowering table: one entry per OpType (a missing op fails to compile), each turning a
 * resolved node into tfjs layers applied to its inputs. Standard Keras layers are used wherever
 * their semantics match, so a saved model.json stays a plain Keras/tfjs model; convlab's own
 * layers cover what tfjs lacks. The main layer always carries the node's name.
 */
import * as tf from '@tensorflow/tfjs';
import type { NodeOf, ResolvedNode } from '../../graph/graph.js';
import { alphaOf, splitOffset, type ActivationFn, type OpType } from '../../ops/index.js';
import { HardActivation, TFJS_ACTIVATIONS, type OwnActivation } from './layers/activation.js';
import { ConvlabConv2DTranspose } from './layers/conv_transpose.js';
import { AdaptiveAvgPool2D, BorderPad2D, ChannelSlice, ConstantPad2D, ConvlabResize } from './layers/resample.js';
import type { Initializer } from './layers/base.js';
import { ConvlabConv2D, ConvlabDepthwiseConv2D } from './layers/conv.js';
import { LocalResponseNorm, Normalization, ScaledAdd, seededDropout } from './layers/elementwise.js';
import { GlobalPoolKeepDims, WindowPool2D } from './layers/pool.js';
import { unfuseConv2D } from './layers/unfused.js';
import { trainableBatchNorm } from './layers/batchnorm.js';
import { messages } from '../../core/messages.js';

/** What a lowering sees: the node (its attrs typed as op K's), its input tensors, its weights' initializers, a seed. */
export interface LowerContext<K extends OpType = OpType> {
  node: NodeOf<K>;
  inputs: tf.SymbolicTensor[];
  init: Record<string, Initializer>;
  seed: number;
  /** False: weights start as zeros (see CompileOptions.initialize). */
  initialize: boolean;
  /** True when some trainable weight feeds the node, so training needs its input gradient. */
  inputGrad: boolean;
  /** A layer name no node or earlier helper layer uses, starting from `base`. */
  freshName: (base: string) => string;
}

/** Lowers one node of op K; throws CannotTrain when tfjs cannot train it. */
export type Lowering<K extends OpType = OpType> = (c: LowerContext<K>) => tf.SymbolicTensor;

/** A node tfjs cannot train; the compiler adds where. */
export class CannotTrain extends Error {}

type Pair = [number, number];

const base = (c: LowerContext) => ({ name: c.node.name, trainable: c.node.attrs.trainable });
function apply(c: LowerContext, layer: tf.layers.Layer, inputs: tf.SymbolicTensor[] = c.inputs): tf.SymbolicTensor {
  if (!c.initialize) layer.setFastWeightInitDuringBuild(true);
  return layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor;
}
const dilated = (d: Pair) => d[0] > 1 || d[1] > 1;
const pairs = (p: number[]): [Pair, Pair] => [[p[0]!, p[1]!], [p[2]!, p[3]!]];

/** The activation a standard layer can fuse, or 'linear' when a separate layer must follow. */
const fusable = (fn: ActivationFn) => TFJS_ACTIVATIONS[fn] ?? 'linear';

/**
 * The layer computing `fn` with α `alpha` (leaky_relu's slope, elu's α): tfjs' Activation
 * where its named function is the same, its LeakyReLU layer, or convlab's own layer.
 */
function activationLayer(fn: ActivationFn, alpha: number, args: { name: string; trainable?: boolean }): tf.layers.Layer {
  if (fn === 'leaky_relu') return tf.layers.leakyReLU({ ...args, alpha });
  const tfjs = TFJS_ACTIVATIONS[fn];
  if (fn === 'elu' && alpha !== 1) return new HardActivation({ ...args, fn: 'elu', alpha });
  return tfjs !== null ? tf.layers.activation({ ...args, activation: tfjs }) : new HardActivation({ ...args, fn: fn as OwnActivation });
}

/** A separate activation layer named `<node>_<fn>`, for activations a layer could not fuse. */
function activateAfter(c: LowerContext, y: tf.SymbolicTensor, fn: ActivationFn, fused: boolean): tf.SymbolicTensor {
  if (fn === 'linear' || (fused && TFJS_ACTIVATIONS[fn] !== null)) return y;
  return apply(c, activationLayer(fn, alphaOf(fn, null), { name: c.freshName(`${c.node.name}_${fn}`) }), [y]);
}

const Conv2D: Lowering<'Conv2D'> = (c) => {
  const a = c.node.attrs;
  const standard = a.groups === 1 && typeof a.padding === 'string' && !dilated(a.dilation);
  const layer = standard
    ? tf.layers.conv2d({
        ...base(c), filters: a.filters, kernelSize: a.kernelSize, strides: a.strides, padding: a.padding as 'valid' | 'same',
        useBias: a.useBias, activation: fusable(a.activation), ...initializers(c, { kernelInitializer: 'kernel', biasInitializer: 'bias' }),
      })
    : new ConvlabConv2D({
        ...base(c), filters: a.filters, kernelSize: a.kernelSize, strides: a.strides, padding: a.padding, dilation: a.dilation,
        groups: a.groups, useBias: a.useBias, ...initializers(c, { kernelInitializer: 'kernel', biasInitializer: 'bias' }),
      });
  if (standard && (!c.inputGrad || !c.node.attrs.trainable)) unfuseConv2D(layer);
  return activateAfter(c, apply(c, layer), a.activation, standard);
};

const DepthwiseConv2D: Lowering<'DepthwiseConv2D'> = (c) => {
  const a = c.node.attrs;
  const standard = typeof a.padding === 'string' && !dilated(a.dilation);
  const layer = standard
    ? tf.layers.depthwiseConv2d({
        ...base(c), kernelSize: a.kernelSize, strides: a.strides, padding: a.padding as 'valid' | 'same', depthMultiplier: a.depthMultiplier,
        useBias: a.useBias, activation: fusable(a.activation), ...initializers(c, { depthwiseInitializer: 'depthwise_kernel', biasInitializer: 'bias' }),
      })
    : new ConvlabDepthwiseConv2D({
        ...base(c), kernelSize: a.kernelSize, strides: a.strides, padding: a.padding, dilation: a.dilation, depthMultiplier: a.depthMultiplier,
        useBias: a.useBias, ...initializers(c, { depthwiseInitializer: 'depthwise_kernel', biasInitializer: 'bias' }),
      });
  return activateAfter(c, apply(c, layer), a.activation, standard);
};

const SeparableConv2D: Lowering<'SeparableConv2D'> = (c) => {
  const a = c.node.attrs;
  if (typeof a.padding !== 'string') throw new CannotTrain(messages.cannotTrain('SeparableConv2D', 'explicit padding is not supported; use "same" or "valid", or a ZeroPadding2D node before it'));
  if (dilated(a.dilation)) throw new CannotTrain(messages.cannotTrain('SeparableConv2D', 'tfjs has no gradient for a dilated separable conv; use a dilated DepthwiseConv2D and a 1×1 Conv2D'));
  const layer = tf.layers.separableConv2d({
    ...base(c), filters: a.filters, kernelSize: a.kernelSize, strides: a.strides, padding: a.padding, depthMultiplier: a.depthMultiplier,
    useBias: a.useBias, activation: fusable(a.activation), ...initializers(c, { depthwiseInitializer: 'depthwise_kernel', pointwiseInitializer: 'pointwise_kernel', biasInitializer: 'bias' }),
  });
  return activateAfter(c, apply(c, layer), a.activation, true);
};

const Dense: Lowering<'Dense'> = (c) => {
  const a = c.node.attrs;
  const layer = tf.layers.dense({
    ...base(c), units: a.units, useBias: a.useBias, activation: fusable(a.activation),
    ...initializers(c, { kernelInitializer: 'kernel', biasInitializer: 'bias' }),
  });
  return activateAfter(c, apply(c, layer), a.activation, true);
};

function windowPool(mode: 'max' | 'avg'): Lowering<'MaxPool2D' | 'AvgPool2D'> {
  return (c) => {
    const a = c.node.attrs;
    const strides = a.strides ?? a.poolSize;
    // Keras' 'same' average excludes the padding, as tfjs does; counting it needs convlab's layer.
    const standard = !a.ceilMode && !dilated(a.dilation) && typeof a.padding === 'string' && !(mode === 'avg' && a.countIncludePad && a.padding === 'same');
    if (!standard) {
      return apply(c, new WindowPool2D({ ...base(c), mode, poolSize: a.poolSize, strides, padding: a.padding, dilation: a.dilation, ceilMode: a.ceilMode, countIncludePad: a.countIncludePad }));
    }
    const args = { ...base(c), poolSize: a.poolSize, strides, padding: a.padding as 'valid' | 'same' };
    return apply(c, mode === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args));
  };
}

function globalPool(mode: 'max' | 'avg'): Lowering<'GlobalAvgPool' | 'GlobalMaxPool'> {
  return (c) => {
    const a = c.node.attrs;
    if (a.keepDims) return apply(c, new GlobalPoolKeepDims({ ...base(c), mode }));
    return apply(c, mode === 'max' ? tf.layers.globalMaxPooling2d(base(c)) : tf.layers.globalAveragePooling2d(base(c)));
  };
}

const BatchNorm: Lowering<'BatchNorm'> = (c) => {
  const a = c.node.attrs;
  const layer = tf.layers.batchNormalization({
    ...base(c), axis: -1, momentum: a.momentum, epsilon: a.epsilon, center: a.center, scale: a.scale,
    ...initializers(c, { gammaInitializer: 'gamma', betaInitializer: 'beta', movingMeanInitializer: 'moving_mean', movingVarianceInitializer: 'moving_variance' }),
  });
  trainableBatchNorm(layer);
  return apply(c, layer);
};

const LRN: Lowering<'LRN'> = (c) => {
  const a = c.node.attrs;
  if (a.size % 2 === 0) throw new CannotTrain(messages.cannotTrain('LRN', messages.lrnEvenSize(a.size)));
  return apply(c, new LocalResponseNorm({ ...base(c), size: a.size, alpha: a.alpha, beta: a.beta, bias: a.bias }));
};

const Activation: Lowering<'Activation'> = (c) => {
  const a = c.node.attrs;
  // tfjs's Activation layer takes softmax over the last axis; its Softmax layer takes any (batch counted).
  if (a.fn === 'softmax' && a.axis !== -1 && a.axis !== c.node.outputShape.length - 1) return apply(c, tf.layers.softmax({ ...base(c), axis: a.axis < 0 ? a.axis : a.axis + 1 }));
  return apply(c, activationLayer(a.fn, alphaOf(a.fn, a.alpha), base(c)));
};

const PReLU: Lowering<'PReLU'> = (c) => {
  const rank = c.node.inputShapes[0]!.length;
  // One slope per channel: every axis but the channels (and batch) is shared, as Keras' shared_axes.
  const sharedAxes = Array.from({ length: rank - 1 }, (_, i) => i + 1);
  const layer = tf.layers.prelu({ ...base(c), ...(sharedAxes.length > 0 ? { sharedAxes } : {}), ...initializers(c, { alphaInitializer: 'alpha' }) });
  return apply(c, layer);
};

const Conv2DTranspose: Lowering<'Conv2DTranspose'> = (c) => {
  const a = c.node.attrs;
  // tfjs' own layer has Keras' output-size rule for 'valid' and 'same' and nothing more.
  const standard = a.groups === 1 && typeof a.padding === 'string' && !dilated(a.dilation) && a.outputPadding === null;
  const inits = initializers(c, { kernelInitializer: 'kernel', biasInitializer: 'bias' });
  const layer = standard
    ? tf.layers.conv2dTranspose({
        ...base(c), filters: a.filters, kernelSize: a.kernelSize, strides: a.strides, padding: a.padding as 'valid' | 'same',
        useBias: a.useBias, activation: fusable(a.activation), ...inits,
      })
    : new ConvlabConv2DTranspose({
        ...base(c), filters: a.filters, kernelSize: a.kernelSize, strides: a.strides, padding: a.padding, dilation: a.dilation,
        outputPadding: a.outputPadding, groups: a.groups, useBias: a.useBias, ...inits,
      });
  return activateAfter(c, apply(c, layer), a.activation, standard);
};

const Resize: Lowering<'Resize'> = (c) => {
  const a = c.node.attrs;
  // tfjs' UpSampling2D takes ⌊o / s⌋ (nearest) and asymmetric bilinear positions at whole factors.
  const whole = a.scale !== null && a.scale.every(Number.isInteger);
  const legacyNearest = a.mode === 'nearest' && a.rounding === null;
  if (whole && (legacyNearest || (a.mode === 'bilinear' && a.coordinates === 'asymmetric'))) {
    return apply(c, tf.layers.upSampling2d({ ...base(c), size: a.scale!, interpolation: a.mode as 'nearest' | 'bilinear' }));
  }
  const size: Pair = [c.node.outputShape[0]!, c.node.outputShape[1]!];
  const { scale, mode, coordinates, rounding, cubicA, excludeOutside, roi } = a;
  return apply(c, new ConvlabResize({ ...base(c), size, sampling: { scale, mode, coordinates, rounding, cubicA, excludeOutside, roi }, extrapolation: a.extrapolation }));
};

/** Picks initializers for a custom layer's constructor from the node's, by Keras weight name. */
function initializers<K extends string>(c: LowerContext, names: Record<K, string>): Partial<Record<K, Initializer>> {
  const out: Partial<Record<K, Initializer>> = {};
  for (const [key, weight] of Object.entries(names) as Array<[K, string]>) {
    const init = c.init[weight];
    if (init) out[key] = init;
  }
  return out;
}

/** Every op's lowering: a mapped type over OpType, so each entry reads its own op's attrs, typed. */
export const LOWERINGS: { [K in OpType]: Lowering<K> } = {
  Conv2D,
  DepthwiseConv2D,
  SeparableConv2D,
  Dense,
  MaxPool2D: windowPool('max'),
  AvgPool2D: windowPool('avg'),
  GlobalAvgPool: globalPool('avg'),
  GlobalMaxPool: globalPool('max'),
  BatchNorm,
  LRN,
  Dropout: (c) => {
    const rate = c.node.attrs.rate;
    const layer = tf.layers.dropout({ ...base(c), rate });
    seededDropout(layer, rate, c.seed);
    return apply(c, layer);
  },
  Flatten: (c) => apply(c, tf.layers.flatten(base(c))),
  Reshape: (c) => apply(c, tf.layers.reshape({ ...base(c), targetShape: c.node.attrs.shape })),
  Permute: (c) => apply(c, tf.layers.permute({ ...base(c), dims: c.node.attrs.dims.map((d) => d + 1) })),
  ZeroPadding2D: (c) => apply(c, tf.layers.zeroPadding2d({ ...base(c), padding: pairs(c.node.attrs.padding as number[]) })),
  Cropping2D: (c) => apply(c, tf.layers.cropping2D({ ...base(c), cropping: pairs(c.node.attrs.cropping as number[]) })),
  Add: (c) => apply(c, tf.layers.add(base(c))),
  Multiply: (c) => apply(c, tf.layers.multiply(base(c))),
  Concat: (c) => {
    const axis = c.node.attrs.axis;
    return apply(c, tf.layers.concatenate({ ...base(c), axis: axis < 0 ? axis : axis + 1 }));
  },
  ScaledAdd: (c) => apply(c, new ScaledAdd({ ...base(c), scale: c.node.attrs.scale })),
  Rescaling: (c) => {
    const a = c.node.attrs;
    return apply(c, tf.layers.rescaling({ ...base(c), scale: a.scale, offset: a.offset }));
  },
  Normalization: (c) => {
    const a = c.node.attrs;
    return apply(c, new Normalization({ ...base(c), mean: a.mean, variance: a.variance }));
  },
  Activation,
  PReLU,
  Conv2DTranspose,
  ConstantPad2D: (c) => apply(c, new ConstantPad2D({ ...base(c), padding: c.node.attrs.padding as [number, number, number, number], value: c.node.attrs.value })),
  BorderPad2D: (c) => apply(c, new BorderPad2D({ ...base(c), padding: c.node.attrs.padding as [number, number, number, number], mode: c.node.attrs.mode })),
  Resize,
  Split: (c) => {
    const a = c.node.attrs;
    return apply(c, new ChannelSlice({ ...base(c), start: splitOffset(a), size: a.splits[a.index]! }));
  },
  AdaptiveAvgPool: (c) => apply(c, new AdaptiveAvgPool2D({ ...base(c), outputSize: c.node.attrs.outputSize })),
};

/**
 * Lowers one node through the table. resolveNode normalized the node's attrs with its own op's
 * schema, so they are that op's attrs; TypeScript cannot follow `node.op` through the lookup,
 * hence the one cast here instead of one in every lowering.
 */
export function lowerNode(c: Omit<LowerContext, 'node'> & { node: ResolvedNode }): tf.SymbolicTensor {
  const node = c.node as NodeOf<OpType>;
  return (LOWERINGS[node.op] as Lowering)({ ...c, node });
}
