/** Activation functions: the `Activation` op and the cost of activations fused into Conv2D / Dense. */
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
 * hard_swish = hard_sigmoid + mul; gelu (tanh form) = 8; softmax = exp, sum, divide.
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
};

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
}

export const Activation = defineOp<ActivationAttrs>({
  type: OpType.Activation,
  doc: 'Elementwise activation (relu, relu6, sigmoid, hard_sigmoid, swish, hard_swish, tanh, gelu) or softmax over an axis',
  attrs: {
    fn: { kind: 'enum', values: ACTIVATIONS, doc: 'activation function' },
    axis: { kind: 'int', default: -1, doc: 'softmax axis (only -1 is supported)' },
  },
  arity: [1, 1],
  inferShape(inputs, a) {
    if (a.fn === 'softmax' && a.axis !== -1 && a.axis !== inputs[0]!.length - 1) {
      throw new OpRuleError('attribute', messages.attrRange('axis', '-1 (the channel axis)', a.axis), 'axis');
    }
    return [...inputs[0]!];
  },
  weights: noWeights,
  macs: noMacs,
  flops: (ctx, convention) => (convention === 'lecture' ? zero : activationFlops(ctx.attrs.fn, ctx.output)),
  backward: 'forward',
  receptiveField: sameField,
});
