/** Activation functions: the `Activation` op, PReLU, and the cost of activations fused into Conv2D / Dense. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Shape } from '../graph/types.js';
import { mul, v, zero, type Expr } from './formula.js';
import { elements, noMacs, noWeights, sameField } from './common.js';
import { ACTIVATIONS, defineOp, OpType, type ActivationFn } from './types.js';

/**
 * FLOPs per element under the `flops` convention. Each entry counts the arithmetic of the usual
 * formula: relu = max; relu6 = max + min; sigmoid = neg, exp, add, divide; tanh counted like
 * sigmoid plus a scale and shift; hard_sigmoid = mul, add, clip (2); swish = sigmoid + mul;
 * hard_swish = hard_sigmoid + mul; gelu (tanh form) = 8; softmax = exp, sum, divide;
 * leaky_relu = mul, max; elu = exp, sub, mul, select; selu = elu + scale.
 */
export const ACTIVATION_FLOPS: Record<ActivationFn, number> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  sigmoid: 4,
  tanh: 6,
  hard_sigmoid: 4,
  swish: 5,
  hard_swish: 5,
  gelu: 8,
  softmax: 3,
  leaky_relu: 2,
  elu: 4,
  selu: 5,
};

/**
 * The parameter `alpha` each function takes, with its default when a layer fuses the function
 * by name (Keras' `activation='leaky_relu'` has slope 0.2, `'elu'` has α = 1).
 */
export const ACTIVATION_ALPHA: Partial<Record<ActivationFn, number>> = { leaky_relu: 0.2, elu: 1 };

/** The α an Activation node applies: its own, or the function's default. */
export const alphaOf = (fn: ActivationFn, alpha: number | null): number => alpha ?? ACTIVATION_ALPHA[fn] ?? 0;

/** FLOPs of applying `fn` to a tensor of shape `s`: `k·elements`. */
export function activationFlops(fn: ActivationFn, s: Shape): Expr {
  const k = ACTIVATION_FLOPS[fn];
  return k === 0 ? zero : mul(v(`${fn}`, k), elements(s));
}

/** The attribute schema shared by ops with a fused activation. */
export const activationAttr = {
  kind: 'enum' as const,
  values: ACTIVATIONS,
  default: 'linear',
  doc: 'fused activation applied to the output',
};

export interface ActivationAttrs {
  fn: ActivationFn;
  axis: number;
  alpha: number | null;
}

export type PReLUAttrs = Record<string, never>;

export const Activation = defineOp<ActivationAttrs>({
  type: OpType.Activation,
  doc: 'Elementwise activation (relu, relu6, sigmoid, hard_sigmoid, swish, hard_swish, tanh, gelu, leaky_relu, elu, selu) or softmax over an axis',
  attrs: {
    fn: { kind: 'enum', values: ACTIVATIONS, doc: 'activation function' },
    axis: { kind: 'int', default: -1, doc: 'softmax axis (only -1 is supported)' },
    alpha: { kind: 'float', default: null, doc: 'leaky_relu: slope below zero (default 0.2); elu: α of α·(eˣ - 1) below zero (default 1)' },
  },
  arity: [1, 1],
  inferShape(inputs, a) {
    if (a.fn === 'softmax' && a.axis !== -1 && a.axis !== inputs[0]!.length - 1) {
      throw new OpRuleError('attribute', messages.attrRange('axis', '-1 (the channel axis)', a.axis), 'axis');
    }
    if (a.alpha !== null && ACTIVATION_ALPHA[a.fn] === undefined) {
      throw new OpRuleError('attribute', messages.attrRange('alpha', `unset: ${a.fn} takes no alpha (only leaky_relu and elu do)`, a.alpha), 'alpha');
    }
    return [...inputs[0]!];
  },
  weights: noWeights,
  macs: noMacs,
  flops: (ctx, convention) => (convention === 'lecture' ? zero : activationFlops(ctx.attrs.fn, ctx.output)),
  backward: 'forward',
  receptiveField: sameField,
});

/**
 * PReLU with one learned slope per channel: x below zero becomes alpha[c]·x. The weight has
 * Keras' shape for `shared_axes=[1, 2]`: (1, 1, C) on a feature map, (C) on a vector.
 */
export const PReLU = defineOp<PReLUAttrs>({
  type: OpType.PReLU,
  doc: 'Parametric ReLU: max(x, 0) + alpha[c]·min(x, 0), one learned slope per channel',
  attrs: {},
  arity: [1, 1],
  inferShape: ([x]) => [...x!],
  weights({ inputs: [x] }) {
    const c = x![x!.length - 1]!;
    const dims: Array<[string, number]> = x!.length === 3 ? [['1', 1], ['1', 1], ['C', c]] : [['C', c]];
    return [{ name: 'alpha', dims, trainable: true, init: 'zeros' }];
  },
  macs: noMacs,
  // One compare-select and one multiply per element, as leaky_relu.
  flops: (ctx, convention) => (convention === 'lecture' ? zero : mul(v('2', 2), elements(ctx.output))),
  // ∂input: the slope chosen per element; ∂alpha: x·∂y summed over positions (one multiply-add per element).
  backward: (ctx, convention) => (convention === 'lecture' ? { input: zero, weights: zero } : { input: elements(ctx.output), weights: mul(v('2', 2), elements(ctx.output)) }),
  receptiveField: sameField,
});
