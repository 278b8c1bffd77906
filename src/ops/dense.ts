/** Fully connected layer, applied to the last axis as Keras does. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { activationAttr, activationFlops } from './activation.js';
import { kernelBackward } from './common.js';
import { add, mul, n, v, type Expr } from './formula.js';
import { defineOp, OpType, type ActivationFn, type OpContext, type WeightSpec } from './types.js';
import { numel } from '../core/numel.js';

export interface DenseAttrs {
  units: number;
  useBias: boolean;
  activation: ActivationFn;
}

/** Leading positions the layer is applied at (1 for a vector input). */
const positions = (shape: number[]): Expr[] => (shape.length > 1 ? [v('positions', numel(shape.slice(0, -1)))] : []);

const denseMacs = ({ attrs: a, inputs: [x] }: OpContext<DenseAttrs>): Expr =>
  mul(...positions(x!), v('nin', x![x!.length - 1]!), v('nout', a.units));

export const Dense = defineOp<DenseAttrs>({
  type: OpType.Dense,
  doc: 'Fully connected layer: nout units, each a weighted sum of nin inputs plus a bias',
  attrs: {
    units: { kind: 'int', min: 1, doc: 'number of units nout' },
    useBias: { kind: 'bool', default: true, doc: 'add a learned bias per unit' },
    activation: activationAttr,
  },
  arity: [1, 1],
  inferShape([x], a) {
    if (x!.length < 1) throw new OpRuleError('shape', messages.inputRank('rank >= 1', x!));
    return [...x!.slice(0, -1), a.units];
  },
  weights({ attrs: a, inputs: [x] }) {
    const nin = x![x!.length - 1]!;
    const w: WeightSpec[] = [{ name: 'kernel', dims: [['nin', nin], ['nout', a.units]], trainable: true, init: 'glorot_uniform' }];
    if (a.useBias) w.push({ name: 'bias', dims: [['nout', a.units]], trainable: true, init: 'zeros' });
    return w;
  },
  macs: denseMacs,
  flops(ctx, convention) {
    const macs = denseMacs(ctx);
    if (convention === 'lecture') return macs;
    const tail: Expr[] = [];
    if (ctx.attrs.useBias) tail.push(mul(...positions(ctx.inputs[0]!), v('nout', ctx.attrs.units)));
    if (ctx.attrs.activation !== 'linear') tail.push(activationFlops(ctx.attrs.activation, ctx.output));
    return add(mul(n(2), macs), ...tail);
  },
  backward: (ctx, convention) =>
    kernelBackward(denseMacs(ctx), convention, {
      bias: ctx.attrs.useBias, activation: ctx.attrs.activation !== 'linear', outputs: mul(...positions(ctx.inputs[0]!), v('nout', ctx.attrs.units)),
    }),
  receptiveField: ([rf]) => rf!,
});
