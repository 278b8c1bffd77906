/**
 * The building blocks the lecture teaches, as builder functions. Each takes a builder, an input
 * tensor and a name prefix, names its nodes from that prefix so callers never name by hand, and
 * records itself as a block of that name (branches inside it as blocks one level deeper), so
 * reports group by structure, not by guessing from names.
 */
import type { GraphBuilder, Tensor } from '../graph/builder.js';
import type { ActivationFn } from '../ops/types.js';

/** Filters of an inception module's branches (GoogLeNet's table columns). */
export interface InceptionFilters {
  /** 1×1 branch. */
  b1: number;
  /** 3×3 branch: 1×1 reduction (0 = none, the naive module) then 3×3. */
  b3reduce: number;
  b3: number;
  /** 5×5 branch: 1×1 reduction (0 = none) then 5×5. */
  b5reduce: number;
  b5: number;
  /** Pool branch: 3×3 max pool, stride 1, then a 1×1 projection (0 = none). */
  poolProj: number;
}

/** Conv with ReLU, the unit of the lecture's diagrams. */
function convRelu(b: GraphBuilder, x: Tensor, filters: number, k: number, name: string): Tensor {
  return b.conv2d(x, { filters, kernelSize: k, padding: 'same', activation: 'relu', name });
}

/**
 * Inception module. With all reductions zero it is the naive module (1×1, 3×3, 5×5 and a pool
 * concatenated); with reductions it is GoogLeNet's, where 1×1 convs shrink channels first.
 */
export function inceptionModule(b: GraphBuilder, x: Tensor, f: InceptionFilters, prefix: string): Tensor {
  return b.scope(prefix, () => {
    const branches: Tensor[] = [];
    if (f.b1 > 0) branches.push(b.scope('branch1x1', () => convRelu(b, x, f.b1, 1, `${prefix}_1x1`)));
    branches.push(b.scope('branch3x3', () => {
      const b3in = f.b3reduce > 0 ? convRelu(b, x, f.b3reduce, 1, `${prefix}_3x3_reduce`) : x;
      return convRelu(b, b3in, f.b3, 3, `${prefix}_3x3`);
    }));
    branches.push(b.scope('branch5x5', () => {
      const b5in = f.b5reduce > 0 ? convRelu(b, x, f.b5reduce, 1, `${prefix}_5x5_reduce`) : x;
      return convRelu(b, b5in, f.b5, 5, `${prefix}_5x5`);
    }));
    branches.push(b.scope('branch_pool', () => {
      const pooled = b.maxPool(x, { poolSize: 3, strides: 1, padding: 'same', name: `${prefix}_pool` });
      return f.poolProj > 0 ? convRelu(b, pooled, f.poolProj, 1, `${prefix}_pool_proj`) : pooled;
    }));
    return b.concat(branches, { name: `${prefix}_output` });
  });
}

export interface ResidualOptions {
  /** Output channels of the block (bottleneck: 4× the inner width, as in ResNet-50). */
  filters: number;
  kernelSize?: number;
  stride?: number;
  /** 'auto' projects when shape changes; 'projection' always; 'identity' never. */
  shortcut?: 'auto' | 'projection' | 'identity';
  /** Use BatchNorm after each conv (ResNet); false gives the lecture's plain residual block. */
  batchNorm?: boolean;
  useBias?: boolean;
}

function convBn(b: GraphBuilder, x: Tensor, filters: number, k: number, stride: number, name: string, o: ResidualOptions, act: ActivationFn | null): Tensor {
  let y = b.conv2d(x, { filters, kernelSize: k, strides: stride, padding: 'same', useBias: o.useBias ?? true, name: `${name}_conv` });
  if (o.batchNorm ?? true) y = b.batchNorm(y, { epsilon: 1.001e-5, name: `${name}_bn` });
  if (act) y = b.activation(y, act, `${name}_${act}`);
  return y;
}

function shortcut(b: GraphBuilder, x: Tensor, filters: number, stride: number, prefix: string, o: ResidualOptions): Tensor {
  const needs = x.shape[2] !== filters || stride !== 1;
  const mode = o.shortcut ?? 'auto';
  if (mode === 'identity' || (mode === 'auto' && !needs)) return x;
  return convBn(b, x, filters, 1, stride, `${prefix}_0`, o, null);
}

/** Basic residual block: two 3×3 convs plus a shortcut (ResNet-18/34). */
export function basicBlock(b: GraphBuilder, x: Tensor, o: ResidualOptions, prefix: string): Tensor {
  return b.scope(prefix, () => {
    const k = o.kernelSize ?? 3;
    const s = o.stride ?? 1;
    const sc = shortcut(b, x, o.filters, s, prefix, o);
    let y = convBn(b, x, o.filters, k, s, `${prefix}_1`, o, 'relu');
    y = convBn(b, y, o.filters, k, 1, `${prefix}_2`, o, null);
    return b.activation(b.add([sc, y], `${prefix}_add`), 'relu', `${prefix}_out`);
  });
}

/** Bottleneck residual block: 1×1 reduce, 3×3, 1×1 expand (×4), plus a shortcut (ResNet-50+). */
export function bottleneckBlock(b: GraphBuilder, x: Tensor, o: ResidualOptions, prefix: string): Tensor {
  return b.scope(prefix, () => {
    const k = o.kernelSize ?? 3;
    const s = o.stride ?? 1;
    const inner = o.filters / 4;
    const sc = shortcut(b, x, o.filters, s, prefix, o);
    let y = convBn(b, x, inner, 1, s, `${prefix}_1`, o, 'relu');
    y = convBn(b, y, inner, k, 1, `${prefix}_2`, o, 'relu');
    y = convBn(b, y, o.filters, 1, 1, `${prefix}_3`, o, null);
    return b.activation(b.add([sc, y], `${prefix}_add`), 'relu', `${prefix}_out`);
  });
}

/** Depthwise-separable conv as MobileNet writes it: depthwise 3×3 + BN + ReLU, pointwise 1×1 + BN + ReLU. */
export function depthwiseSeparable(
  b: GraphBuilder, x: Tensor, o: { filters: number; stride?: number; kernelSize?: number; batchNorm?: boolean; activation?: ActivationFn }, prefix: string,
): Tensor {
  const act = o.activation ?? 'relu';
  const bn = o.batchNorm ?? true;
  return b.scope(prefix, () => {
    let y = b.depthwiseConv2d(x, { kernelSize: o.kernelSize ?? 3, strides: o.stride ?? 1, padding: 'same', useBias: !bn, name: `${prefix}_dw` });
    if (bn) y = b.batchNorm(y, { name: `${prefix}_dw_bn` });
    y = b.activation(y, act, `${prefix}_dw_${act}`);
    y = b.conv2d(y, { filters: o.filters, kernelSize: 1, useBias: !bn, name: `${prefix}_pw` });
    if (bn) y = b.batchNorm(y, { name: `${prefix}_pw_bn` });
    return b.activation(y, act, `${prefix}_pw_${act}`);
  });
}

/** Spatially separable (asymmetric) conv: 1×k then k×1, as in InceptionV3's factorization. */
export function spatiallySeparable(
  b: GraphBuilder, x: Tensor, o: { filters: number; k: number; padding?: 'valid' | 'same'; activation?: ActivationFn; order?: '1xk' | 'kx1' }, prefix: string,
): Tensor {
  const first: [number, number] = o.order === 'kx1' ? [o.k, 1] : [1, o.k];
  const second: [number, number] = [first[1], first[0]];
  const pad = o.padding ?? 'same';
  const act = o.activation ?? 'linear';
  const y = b.conv2d(x, { filters: o.filters, kernelSize: first, padding: pad, activation: act, name: `${prefix}_${first[0]}x${first[1]}` });
  return b.conv2d(y, { filters: o.filters, kernelSize: second, padding: pad, activation: act, name: `${prefix}_${second[0]}x${second[1]}` });
}

/** Squeeze-and-excitation: global pool, reduce, expand, sigmoid gate, multiply. */
export function seBlock(
  b: GraphBuilder, x: Tensor, o: { ratio?: number; squeeze?: number; activation?: ActivationFn; gate?: ActivationFn }, prefix: string,
): Tensor {
  const c = x.shape[2]!;
  const squeeze = o.squeeze ?? Math.max(1, Math.floor(c / (o.ratio ?? 16)));
  return b.scope(prefix, () => {
    let s = b.globalAvgPool(x, { keepDims: true, name: `${prefix}_squeeze` });
    s = b.conv2d(s, { filters: squeeze, kernelSize: 1, activation: o.activation ?? 'relu', name: `${prefix}_reduce` });
    s = b.conv2d(s, { filters: c, kernelSize: 1, activation: o.gate ?? 'sigmoid', name: `${prefix}_expand` });
    return b.multiply([x, s], `${prefix}_excite`);
  });
}

/** Global-average-pooling head: pool, optional dropout, dense classifier. */
export function gapHead(b: GraphBuilder, x: Tensor, o: { classes: number; dropout?: number; activation?: ActivationFn }, prefix = 'head'): Tensor {
  let y = b.globalAvgPool(x, { name: `${prefix}_avg_pool` });
  if (o.dropout) y = b.dropout(y, o.dropout, `${prefix}_dropout`);
  return b.dense(y, { units: o.classes, activation: o.activation ?? 'softmax', name: `${prefix}_predictions` });
}

/** Batch norm epsilon of the Keras DenseNet and ResNet definitions. */
const KERAS_BN_EPSILON = 1.001e-5;

/**
 * DenseNet's conv block: BN-ReLU-1×1 conv (4·growth) then BN-ReLU-3×3 conv (growth), whose
 * `growthRate` new channels are concatenated onto the input, so every later layer sees them.
 */
export function denseConvBlock(b: GraphBuilder, x: Tensor, growthRate: number, prefix: string): Tensor {
  return b.scope(prefix, () => denseConvLayers(b, x, growthRate, prefix));
}

function denseConvLayers(b: GraphBuilder, x: Tensor, growthRate: number, prefix: string): Tensor {
  let y = b.batchNorm(x, { epsilon: KERAS_BN_EPSILON, name: `${prefix}_0_bn` });
  y = b.activation(y, 'relu', `${prefix}_0_relu`);
  y = b.conv2d(y, { filters: 4 * growthRate, kernelSize: 1, useBias: false, name: `${prefix}_1_conv` });
  y = b.batchNorm(y, { epsilon: KERAS_BN_EPSILON, name: `${prefix}_1_bn` });
  y = b.activation(y, 'relu', `${prefix}_1_relu`);
  y = b.conv2d(y, { filters: growthRate, kernelSize: 3, padding: 'same', useBias: false, name: `${prefix}_2_conv` });
  return b.concat([x, y], { name: `${prefix}_concat` });
}

/** A dense block: `blocks` conv blocks named `${prefix}_block1` … so channels grow by blocks·growthRate. */
export function denseBlock(b: GraphBuilder, x: Tensor, o: { blocks: number; growthRate?: number }, prefix: string): Tensor {
  return b.scope(prefix, () => {
    let y = x;
    for (let i = 1; i <= o.blocks; i++) y = denseConvBlock(b, y, o.growthRate ?? 32, `${prefix}_block${i}`);
    return y;
  });
}

/** DenseNet's transition: BN-ReLU, a 1×1 conv to floor(C·reduction) channels, then 2×2 average pooling with stride 2. */
export function transitionBlock(b: GraphBuilder, x: Tensor, o: { reduction: number }, prefix: string): Tensor {
  return b.scope(prefix, () => {
    let y = b.batchNorm(x, { epsilon: KERAS_BN_EPSILON, name: `${prefix}_bn` });
    y = b.activation(y, 'relu', `${prefix}_relu`);
    y = b.conv2d(y, { filters: Math.floor(x.shape[2]! * o.reduction), kernelSize: 1, useBias: false, name: `${prefix}_conv` });
    return b.avgPool(y, { poolSize: 2, strides: 2, name: `${prefix}_pool` });
  });
}

/** Filters of a SqueezeNet fire module: a 1×1 squeeze, then 1×1 and 3×3 expands side by side. */
export interface FireFilters {
  squeeze: number;
  expand1x1: number;
  expand3x3: number;
}

/**
 * SqueezeNet's fire module: a 1×1 squeeze conv shrinks the channels, then 1×1 and 3×3 expand
 * convs run on it side by side and are concatenated, each conv followed by ReLU.
 */
export function fireModule(b: GraphBuilder, x: Tensor, f: FireFilters, prefix: string): Tensor {
  return b.scope(prefix, () => {
    const s = b.conv2d(x, { filters: f.squeeze, kernelSize: 1, activation: 'relu', name: `${prefix}_squeeze` });
    const e1 = b.conv2d(s, { filters: f.expand1x1, kernelSize: 1, activation: 'relu', name: `${prefix}_expand1x1` });
    const e3 = b.conv2d(s, { filters: f.expand3x3, kernelSize: 3, padding: 'same', activation: 'relu', name: `${prefix}_expand3x3` });
    return b.concat([e1, e3], { name: `${prefix}_concat` });
  });
}

/** PyTorch's AdaptiveAvgPool2d to an out×out map, torchvision's bins, at any input size. */
export function adaptiveAvgPool(b: GraphBuilder, x: Tensor, out: number, name: string): Tensor {
  return b.node('AdaptiveAvgPool', x, { outputSize: out }, name);
}
