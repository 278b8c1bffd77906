/** Convolutions: Conv2D (with groups), DepthwiseConv2D and SeparableConv2D. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Shape } from '../graph/types.js';
import { activationAttr, activationFlops } from './activation.js';
import { elements, kernelBackward } from './common.js';
import { add, div, mul, n, v, type Expr } from './formula.js';
import { windowGeometry, windowReceptiveField, type WindowGeometry } from './geometry.js';
import { defineOp, OpType, type ActivationFn, type OpContext, type Padding, type WeightSpec } from './types.js';

export interface Conv2DAttrs {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: Padding;
  dilation: [number, number];
  groups: number;
  useBias: boolean;
  activation: ActivationFn;
}

export interface DepthwiseConv2DAttrs {
  kernelSize: [number, number];
  strides: [number, number];
  padding: Padding;
  dilation: [number, number];
  depthMultiplier: number;
  useBias: boolean;
  activation: ActivationFn;
}

export interface SeparableConv2DAttrs extends DepthwiseConv2DAttrs {
  filters: number;
}

/** Kernel, stride, padding and dilation attributes every conv-like op shares. */
export const windowAttrs = {
  kernelSize: { kind: 'pair', min: 1, doc: 'kernel size f or [fh, fw]' },
  strides: { kind: 'pair', min: 1, default: 1, doc: 'stride s or [sh, sw]' },
  padding: { kind: 'padding', keywords: true, default: 'valid', doc: '"valid", "same" (Keras/TF rule) or explicit [top, bottom, left, right]' },
  dilation: { kind: 'pair', min: 1, default: 1, doc: 'dilation rate d or [dh, dw]' },
} as const;

/** Geometry of any conv-like node from its attrs. */
export function convGeometry(input: Shape, a: { kernelSize: [number, number]; strides: [number, number]; padding: Padding; dilation: [number, number] }): WindowGeometry {
  return windowGeometry(input, { kernel: a.kernelSize, strides: a.strides, padding: a.padding, dilation: a.dilation });
}

const spatialOut = (ctx: OpContext<unknown>): Expr[] => [v('hout', ctx.output[0]!), v('wout', ctx.output[1]!)];

/** What the backward rule needs of the elementwise tail: bias, activation, and the outputs as `hout·wout·<channels>`. */
const tailOf = (ctx: OpContext<{ useBias: boolean; activation: ActivationFn }>, channels: string) =>
  ({ bias: ctx.attrs.useBias, activation: ctx.attrs.activation !== 'linear', outputs: elements(ctx.output, ['hout', 'wout', channels]) });

/** Bias adds plus fused activation, the elementwise tail of conv and dense under `flops`. */
export function epilogue(ctx: OpContext<{ useBias: boolean; activation: ActivationFn }>, outChannels: Expr): Expr[] {
  const tail: Expr[] = [];
  if (ctx.attrs.useBias) tail.push(mul(...spatialOut(ctx), outChannels));
  if (ctx.attrs.activation !== 'linear') tail.push(activationFlops(ctx.attrs.activation, ctx.output));
  return tail;
}

const convMacs = (ctx: OpContext<Conv2DAttrs>): Expr => {
  const a = ctx.attrs;
  const cin = ctx.inputs[0]![2]!;
  const cinTerm = a.groups > 1 ? div(v('cin', cin), v('groups', a.groups)) : v('cin', cin);
  return mul(...spatialOut(ctx), v('K', a.filters), v('fh', a.kernelSize[0]), v('fw', a.kernelSize[1]), cinTerm);
};

export const Conv2D = defineOp<Conv2DAttrs>({
  type: OpType.Conv2D,
  doc: 'Standard 2-D convolution with K filters of (fh, fw, cin/groups), optional bias and fused activation',
  attrs: {
    filters: { kind: 'int', min: 1, doc: 'number of filters K' },
    ...windowAttrs,
    groups: { kind: 'int', min: 1, default: 1, doc: 'channel groups (cin and K must divide)' },
    useBias: { kind: 'bool', default: true, doc: 'add a learned bias per filter' },
    activation: activationAttr,
  },
  arity: [1, 1],
  inferShape([x], a) {
    const g = convGeometry(x!, a);
    const cin = x![2]!;
    if (cin % a.groups !== 0) throw new OpRuleError('attribute', messages.channelsNotDivisible(cin, a.groups), 'groups');
    if (a.filters % a.groups !== 0) throw new OpRuleError('attribute', messages.filtersNotDivisible(a.filters, a.groups), 'groups');
    return [g.outH, g.outW, a.filters];
  },
  weights({ attrs: a, inputs: [x] }) {
    const cin = x![2]!;
    const w: WeightSpec[] = [
      {
        name: 'kernel',
        dims: [['fh', a.kernelSize[0]], ['fw', a.kernelSize[1]], [a.groups > 1 ? 'cin/groups' : 'cin', cin / a.groups], ['K', a.filters]],
        trainable: true,
        init: 'glorot_uniform',
      },
    ];
    if (a.useBias) w.push({ name: 'bias', dims: [['K', a.filters]], trainable: true, init: 'zeros' });
    return w;
  },
  macs: convMacs,
  flops(ctx, convention) {
    const macs = convMacs(ctx);
    if (convention === 'lecture') return macs;
    return add(mul(n(2), macs), ...epilogue(ctx, v('K', ctx.attrs.filters)));
  },
  backward: (ctx, convention) => kernelBackward(convMacs(ctx), convention, tailOf(ctx, 'K')),
  receptiveField: ([rf], ctx) => windowReceptiveField(rf!, convGeometry(ctx.inputs[0]!, ctx.attrs)),
});

const depthwiseMacs = (ctx: OpContext<DepthwiseConv2DAttrs>): Expr => {
  const a = ctx.attrs;
  const cin = ctx.inputs[0]![2]!;
  const ch = a.depthMultiplier > 1 ? [v('cin', cin), v('dm', a.depthMultiplier)] : [v('cin', cin)];
  return mul(...spatialOut(ctx), ...ch, v('fh', a.kernelSize[0]), v('fw', a.kernelSize[1]));
};

const depthwiseKernel = (a: DepthwiseConv2DAttrs, cin: number): WeightSpec => ({
  name: 'depthwise_kernel',
  dims: [['fh', a.kernelSize[0]], ['fw', a.kernelSize[1]], ['cin', cin], ['dm', a.depthMultiplier]],
  trainable: true,
  init: 'glorot_uniform',
});

export const DepthwiseConv2D = defineOp<DepthwiseConv2DAttrs>({
  type: OpType.DepthwiseConv2D,
  doc: 'Depthwise convolution: each input channel convolved with its own dm filters of (fh, fw)',
  attrs: {
    ...windowAttrs,
    depthMultiplier: { kind: 'int', min: 1, default: 1, doc: 'filters per input channel (dm)' },
    useBias: { kind: 'bool', default: true, doc: 'add a learned bias per output channel' },
    activation: activationAttr,
  },
  arity: [1, 1],
  inferShape([x], a) {
    const g = convGeometry(x!, a);
    return [g.outH, g.outW, x![2]! * a.depthMultiplier];
  },
  weights({ attrs: a, inputs: [x] }) {
    const cin = x![2]!;
    const w = [depthwiseKernel(a, cin)];
    if (a.useBias) w.push({ name: 'bias', dims: [['cin·dm', cin * a.depthMultiplier]], trainable: true, init: 'zeros' });
    return w;
  },
  macs: depthwiseMacs,
  flops(ctx, convention) {
    const macs = depthwiseMacs(ctx);
    if (convention === 'lecture') return macs;
    return add(mul(n(2), macs), ...epilogue(ctx, v('cout', ctx.output[2]!)));
  },
  backward: (ctx, convention) => kernelBackward(depthwiseMacs(ctx), convention, tailOf(ctx, 'cout')),
  receptiveField: ([rf], ctx) => windowReceptiveField(rf!, convGeometry(ctx.inputs[0]!, ctx.attrs)),
});

const separableMacs = (ctx: OpContext<SeparableConv2DAttrs>): Expr => {
  const a = ctx.attrs;
  const cin = ctx.inputs[0]![2]!;
  const cmid = a.depthMultiplier > 1 ? [v('cin', cin), v('dm', a.depthMultiplier)] : [v('cin', cin)];
  return add(depthwiseMacs(ctx), mul(...spatialOut(ctx), ...cmid, v('K', a.filters)));
};

export const SeparableConv2D = defineOp<SeparableConv2DAttrs>({
  type: OpType.SeparableConv2D,
  doc: 'Depthwise-separable convolution: a depthwise (fh, fw) stage then a pointwise 1×1 stage to K filters',
  attrs: {
    filters: { kind: 'int', min: 1, doc: 'number of pointwise filters K' },
    ...windowAttrs,
    depthMultiplier: { kind: 'int', min: 1, default: 1, doc: 'depthwise filters per input channel (dm)' },
    useBias: { kind: 'bool', default: true, doc: 'add a learned bias per output filter' },
    activation: activationAttr,
  },
  arity: [1, 1],
  inferShape([x], a) {
    const g = convGeometry(x!, a);
    return [g.outH, g.outW, a.filters];
  },
  weights({ attrs: a, inputs: [x] }) {
    const cin = x![2]!;
    const w = [
      depthwiseKernel(a, cin),
      { name: 'pointwise_kernel', dims: [['1', 1], ['1', 1], ['cin·dm', cin * a.depthMultiplier], ['K', a.filters]], trainable: true, init: 'glorot_uniform' } as WeightSpec,
    ];
    if (a.useBias) w.push({ name: 'bias', dims: [['K', a.filters]], trainable: true, init: 'zeros' });
    return w;
  },
  macs: separableMacs,
  flops(ctx, convention) {
    const macs = separableMacs(ctx);
    if (convention === 'lecture') return macs;
    return add(mul(n(2), macs), ...epilogue(ctx, v('K', ctx.attrs.filters)));
  },
  backward: (ctx, convention) => kernelBackward(separableMacs(ctx), convention, tailOf(ctx, 'K')),
  receptiveField: ([rf], ctx) => windowReceptiveField(rf!, convGeometry(ctx.inputs[0]!, ctx.attrs)),
});

