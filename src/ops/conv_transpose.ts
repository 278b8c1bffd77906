/** Transposed convolution (Keras Conv2DTranspose, ONNX ConvTranspose): the deconvnet of ZFNet's visualizations. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { activationAttr } from './activation.js';
import { elements, kernelBackward } from './common.js';
import { epilogue, windowAttrs } from './conv.js';
import { add, div, mul, n, v, type Expr } from './formula.js';
import { transposeGeometry, transposeReceptiveField, type TransposeGeometry } from './geometry.js';
import { defineOp, OpType, type ActivationFn, type OpContext, type Padding, type WeightSpec } from './types.js';
import type { Shape } from '../graph/types.js';

export interface Conv2DTransposeAttrs {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: Padding;
  dilation: [number, number];
  outputPadding: [number, number] | null;
  groups: number;
  useBias: boolean;
  activation: ActivationFn;
}

/** Geometry of a Conv2DTranspose node: the one helper shape, cost, receptive field and both runtimes read. */
export function convTransposeGeometry(input: Shape, a: Conv2DTransposeAttrs): TransposeGeometry {
  return transposeGeometry(input, { kernel: a.kernelSize, strides: a.strides, dilation: a.dilation, padding: a.padding, outputPadding: a.outputPadding });
}

/** Every input position meets every kernel tap once: hin·win·fh·fw·cin·K/groups, the same work as the conv it transposes. */
const transposeMacs = (ctx: OpContext<Conv2DTransposeAttrs>): Expr => {
  const a = ctx.attrs;
  const [hin, win, cin] = ctx.inputs[0]! as [number, number, number];
  const k = a.groups > 1 ? div(v('K', a.filters), v('groups', a.groups)) : v('K', a.filters);
  return mul(v('hin', hin), v('win', win), v('fh', a.kernelSize[0]), v('fw', a.kernelSize[1]), v('cin', cin), k);
};

export const Conv2DTranspose = defineOp<Conv2DTransposeAttrs>({
  type: OpType.Conv2DTranspose,
  doc: 'Transposed ("de-") convolution: each input unit spreads a (fh, fw) kernel into K output channels, stride s apart',
  attrs: {
    filters: { kind: 'int', min: 1, doc: 'output channels K' },
    ...windowAttrs,
    outputPadding: { kind: 'pair', min: 0, default: null, doc: 'extra rows and columns at the end; unset: Keras\' rule' },
    groups: { kind: 'int', min: 1, default: 1, doc: 'channel groups (cin and K must divide)' },
    useBias: { kind: 'bool', default: true, doc: 'add a learned bias per output channel' },
    activation: activationAttr,
  },
  arity: [1, 1],
  inferShape([x], a) {
    const cin = x![2]!;
    if (cin % a.groups !== 0) throw new OpRuleError('attribute', messages.channelsNotDivisible(cin, a.groups), 'groups');
    if (a.filters % a.groups !== 0) throw new OpRuleError('attribute', messages.filtersNotDivisible(a.filters, a.groups), 'groups');
    const g = convTransposeGeometry(x!, a);
    return [g.outH, g.outW, a.filters];
  },
  weights({ attrs: a, inputs: [x] }) {
    const cin = x![2]!;
    // Keras' layout for a transposed kernel: (fh, fw, out, in).
    const w: WeightSpec[] = [{
      name: 'kernel',
      dims: [['fh', a.kernelSize[0]], ['fw', a.kernelSize[1]], [a.groups > 1 ? 'K/groups' : 'K', a.filters / a.groups], ['cin', cin]],
      trainable: true,
      init: 'glorot_uniform',
    }];
    if (a.useBias) w.push({ name: 'bias', dims: [['K', a.filters]], trainable: true, init: 'zeros' });
    return w;
  },
  macs: transposeMacs,
  flops(ctx, convention) {
    const macs = transposeMacs(ctx);
    if (convention === 'lecture') return macs;
    return add(mul(n(2), macs), ...epilogue(ctx, v('K', ctx.attrs.filters)));
  },
  // The gradients of a transposed conv are a conv and a correlation of the same size: as Conv2D.
  backward: (ctx, convention) => kernelBackward(transposeMacs(ctx), convention, {
    bias: ctx.attrs.useBias, activation: ctx.attrs.activation !== 'linear', outputs: elements(ctx.output, ['hout', 'wout', 'K']),
  }),
  receptiveField: ([rf], ctx) => transposeReceptiveField(rf!, convTransposeGeometry(ctx.inputs[0]!, ctx.attrs)),
});
