/** Normalization and preprocessing ops: BatchNorm, LRN, Rescaling, Normalization. */
import { add, mul, n, v, zero } from './formula.js';
import { elements, noMacs, noWeights, sameField } from './common.js';
import { defineOp, OpType, type WeightSpec } from './types.js';

export interface BatchNormAttrs {
  epsilon: number;
  momentum: number;
  center: boolean;
  scale: boolean;
}

export interface LRNAttrs {
  size: number;
  alpha: number;
  beta: number;
  bias: number;
}

export interface RescalingAttrs {
  scale: number;
  offset: number;
}

export interface NormalizationAttrs {
  mean: number[] | null;
  variance: number[] | null;
}

const channels = (s: number[]): number => s[s.length - 1]!;

export const BatchNorm = defineOp<BatchNormAttrs>({
  type: OpType.BatchNorm,
  doc: 'Batch normalization over the channel axis: learned γ, β and moving mean / variance',
  attrs: {
    epsilon: { kind: 'float', min: 0, default: 1e-3, doc: 'added to the variance (Keras 1e-3, PyTorch 1e-5)' },
    momentum: { kind: 'float', min: 0, max: 1, default: 0.99, doc: 'moving-average momentum (Keras convention)' },
    center: { kind: 'bool', default: true, doc: 'learn a shift β' },
    scale: { kind: 'bool', default: true, doc: 'learn a scale γ' },
  },
  arity: [1, 1],
  inferShape: ([x]) => [...x!],
  weights({ attrs: a, inputs: [x] }) {
    const c = channels(x!);
    const w: WeightSpec[] = [];
    if (a.scale) w.push({ name: 'gamma', dims: [['C', c]], trainable: true, init: 'ones' });
    if (a.center) w.push({ name: 'beta', dims: [['C', c]], trainable: true, init: 'zeros' });
    w.push({ name: 'moving_mean', dims: [['C', c]], trainable: false, buffer: true, init: 'zeros' });
    w.push({ name: 'moving_variance', dims: [['C', c]], trainable: false, buffer: true, init: 'ones' });
    return w;
  },
  macs: noMacs,
  // At inference BN folds to one scale and one shift per element.
  flops: (ctx, convention) => (convention === 'lecture' ? zero : mul(n(2), elements(ctx.output))),
  // Under `flops`: the input gradient scales by γ/σ and subtracts the batch means of the gradient (2 per element),
  // and γ, β gradients are sums of gradient·x̂ and of the gradient (2 per element).
  backward: (ctx, convention) =>
    convention === 'flops' ? { input: mul(n(2), elements(ctx.output)), weights: mul(n(2), elements(ctx.output)) } : { input: zero, weights: zero },
  receptiveField: sameField,
});

export const LRN = defineOp<LRNAttrs>({
  type: OpType.LRN,
  doc: 'Local response normalization across `size` neighbouring channels (AlexNet, GoogLeNet)',
  attrs: {
    size: { kind: 'int', min: 1, default: 5, doc: 'channels in the normalization window' },
    alpha: { kind: 'float', min: 0, default: 1e-4, doc: 'scale α' },
    beta: { kind: 'float', min: 0, default: 0.75, doc: 'exponent β' },
    bias: { kind: 'float', min: 0, default: 2, doc: 'additive constant k (AlexNet 2, PyTorch 1)' },
  },
  arity: [1, 1],
  inferShape: ([x]) => [...x!],
  weights: noWeights,
  macs: noMacs,
  // size squares, size-1 adds, then scale, add k, power and divide: 2·size + 3 per element.
  flops: (ctx, convention) =>
    convention === 'lecture' ? zero : mul(add(mul(n(2), v('size', ctx.attrs.size)), n(3)), elements(ctx.output)),
  backward: 'forward',
  receptiveField: sameField,
});

export const Rescaling = defineOp<RescalingAttrs>({
  type: OpType.Rescaling,
  doc: 'x·scale + offset, elementwise (Keras Rescaling)',
  attrs: {
    scale: { kind: 'float', doc: 'multiplier' },
    offset: { kind: 'float', default: 0, doc: 'added after scaling' },
  },
  arity: [1, 1],
  inferShape: ([x]) => [...x!],
  weights: noWeights,
  macs: noMacs,
  flops: (ctx, convention) =>
    convention === 'lecture' ? zero : mul(n(ctx.attrs.offset === 0 ? 1 : 2), elements(ctx.output)),
  backward: 'forward',
  receptiveField: sameField,
});

export const Normalization = defineOp<NormalizationAttrs>({
  type: OpType.Normalization,
  doc: '(x - mean) / sqrt(variance) per channel, with stored constants (Keras Normalization)',
  attrs: {
    mean: { kind: 'floats', default: null, doc: 'per-channel mean (stored as a weight)' },
    variance: { kind: 'floats', default: null, doc: 'per-channel variance (stored as a weight)' },
  },
  arity: [1, 1],
  inferShape: ([x]) => [...x!],
  weights({ inputs: [x] }) {
    const c = channels(x!);
    // Keras keeps mean, variance and a scalar sample count as non-trainable weights.
    return [
      { name: 'mean', dims: [['C', c]], trainable: false, buffer: true, init: 'zeros' },
      { name: 'variance', dims: [['C', c]], trainable: false, buffer: true, init: 'ones' },
      { name: 'count', dims: [], trainable: false, buffer: true, init: 'zeros' },
    ];
  },
  macs: noMacs,
  flops: (ctx, convention) => (convention === 'lecture' ? zero : mul(n(2), elements(ctx.output))),
  backward: 'forward',
  receptiveField: sameField,
});
