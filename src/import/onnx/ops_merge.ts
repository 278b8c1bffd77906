/**
 * ONNX → convlab mapping of elementwise arithmetic (Add, Sum, Sub, Mul, Div), where one ONNX op
 * means different convlab ops depending on its operands and on what produced them:
 *  - tensor + tensor → Add; tensor · tensor → Multiply (SE gating), or swish / hard_swish when one
 *    side is the sigmoid / hard sigmoid of the other; x + s·y → ScaledAdd;
 *  - tensor + per-channel constant right after a bias-less Conv / Gemm / MatMul → its bias;
 *  - tensor ·, /, +, - scalar → Rescaling; (x - mean) / std per channel → Normalization.
 */
import type { Emitted, ImportContext } from './context.js';
import { channelVector, fuseActivation, type Converter } from './ops.js';
import { type ConstValue, type TensorValue, type Value } from './values.js';
import { numel } from '../../core/numel.js';
import { messages as m } from '../../core/messages.js';

const ALL_LAYOUTS = ['nchw', 'nhwc', 'plain'] as const;

/** Normalization nodes made from a Sub whose variance is still 1, waiting for a Div. */
const unitVariance = new WeakSet<Emitted>();

/** Which of the two inputs are tensors and which constants; graph inputs used here are data. */
function operands(ctx: ImportContext): { tensors: Array<[number, TensorValue]>; consts: Array<[number, ConstValue]> } {
  if (ctx.node.input.length !== 2) ctx.fail(m.unsupportedInput('inputs', `expected 2; received ${ctx.node.input.length}`));
  const tensors: Array<[number, TensorValue]> = [];
  const consts: Array<[number, ConstValue]> = [];
  ctx.node.input.forEach((_, i) => {
    const v: Value | undefined = ctx.optional(i);
    if (v?.kind === 'const') consts.push([i, v]);
    else tensors.push([i, ctx.tensor(i, `input ${i}`, { layouts: ALL_LAYOUTS })]);
  });
  if (tensors.length === 0) ctx.fail(m.needsTensor('input 0', ctx.inputName(0)));
  return { tensors, consts };
}

/** The channel count of a tensor, and whether a constant's dims broadcast per channel on it. */
function perChannel(x: TensorValue, c: ConstValue): boolean {
  const d = c.dims;
  if (x.layout === 'nchw') {
    const k = x.shape[2]!;
    return (d.length === 3 && d[0] === k && d[1] === 1 && d[2] === 1) || (d.length === 4 && d[0] === 1 && d[1] === k && d[2] === 1 && d[3] === 1);
  }
  const k = x.shape[x.shape.length - 1]!;
  return d[d.length - 1] === k && numel(d) === k && d.length <= x.shape.length + 1;
}

const channels = (x: TensorValue): number => (x.layout === 'nchw' ? x.shape[2]! : x.shape[x.shape.length - 1]!);

/** The one value of a scalar constant (any dims holding one element), or undefined. */
function scalar(ctx: ImportContext, i: number, c: ConstValue): number | undefined {
  if (numel(c.dims) !== 1) return undefined;
  return ctx.constValues(i, 'constant operand').data[0];
}

const rescale = (ctx: ImportContext, x: TensorValue, scale: number, offset: number): TensorValue =>
  ctx.emit('Rescaling', [x], { scale, offset }, {}, x.layout);

/** No convlab op applies a non-scalar constant this way. */
function constantShape(ctx: ImportContext, c: ConstValue, op: string): never {
  return ctx.fail(m.unsupportedInput(`constant ${JSON.stringify(c.origin)}`, `${op} by a constant of shape [${c.dims.join(', ')}] has no convlab op (only scalars, and per-channel biases right after a conv or dense layer)`));
}

/** Folds a per-channel constant into the bias of the bias-less conv or dense layer that produced x. */
function foldBias(ctx: ImportContext, x: TensorValue, c: ConstValue): TensorValue | undefined {
  const p = ctx.producer(x);
  if (!p || !['Conv2D', 'DepthwiseConv2D', 'Dense'].includes(p.spec.op) || p.spec.attrs.useBias !== false || !ctx.soleUse(x)) return undefined;
  if (!perChannel(x, c) && numel(c.dims) !== 1) return undefined;
  p.weights.set('bias', channelVector(ctx, { ...c, dims: [numel(c.dims)] }, 'bias', channels(x), true));
  ctx.update(p, { ...p.spec.attrs, useBias: true });
  return x;
}

const Add: Converter = (ctx) => {
  const { tensors, consts } = operands(ctx);
  if (tensors.length === 2) {
    const [[, a], [, b]] = tensors as [[number, TensorValue], [number, TensorValue]];
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const p = ctx.producer(y);
      if (p?.spec.op === 'Rescaling' && p.spec.attrs.offset === 0 && ctx.soleUse(y)) {
        ctx.remove(p);
        return [ctx.emit('ScaledAdd', [x, p.inputValues[0]!], { scale: p.spec.attrs.scale as number }, {}, x.layout)];
      }
    }
    return [ctx.emit('Add', [a, b], {}, {}, a.layout)];
  }
  const [[, x]] = tensors as [[number, TensorValue]];
  const [[ci, c]] = consts as [[number, ConstValue]];
  const folded = foldBias(ctx, x, c);
  if (folded) return [folded];
  const s = scalar(ctx, ci, c);
  if (s === undefined) constantShape(ctx, c, 'adding');
  const p = ctx.producer(x);
  if (p?.spec.op === 'Rescaling' && p.spec.attrs.offset === 0 && ctx.soleUse(x)) {
    ctx.update(p, { ...p.spec.attrs, offset: s });
    return [x];
  }
  return [rescale(ctx, x, 1, s)];
};

const Sum: Converter = (ctx) => {
  if (ctx.node.input.length === 0) ctx.fail(m.unsupportedInput('inputs', 'there are none'));
  const xs = ctx.node.input.map((_, i) => ctx.tensor(i, `input ${i}`, { layouts: ALL_LAYOUTS }));
  if (xs.length === 1) return [xs[0]!];
  return [ctx.emit('Add', xs, {}, {}, xs[0]!.layout)];
};

const Sub: Converter = (ctx) => {
  const { tensors, consts } = operands(ctx);
  if (tensors.length === 2) return ctx.fail(m.unsupportedInput('inputs', 'convlab has no subtraction of two tensors'));
  const [[ti, x]] = tensors as [[number, TensorValue]];
  const [[ci, c]] = consts as [[number, ConstValue]];
  if (ti !== 0) return ctx.fail(m.unsupportedInput('inputs', 'a constant minus a tensor has no convlab op'));
  const s = scalar(ctx, ci, c);
  if (s !== undefined) return [rescale(ctx, x, 1, -s)];
  if (!perChannel(x, c)) constantShape(ctx, c, 'subtracting');
  // (x - mean) alone is a Normalization with unit variance; a Div that follows sets the variance.
  // Statistics the file holds go into the attrs too, as Keras' config keeps them.
  const k = channels(x);
  const mean = channelVector(ctx, { ...c, dims: [k] }, 'mean', k, false);
  const weights = { mean, variance: () => new Float32Array(k).fill(1), count: () => new Float32Array(1) };
  const known = mean();
  const y = ctx.emit('Normalization', [x], known ? { mean: Array.from(known), variance: new Array<number>(k).fill(1) } : {}, weights, x.layout);
  unitVariance.add(ctx.producer(y)!);
  return [y];
};

const Mul: Converter = (ctx) => {
  const { tensors, consts } = operands(ctx);
  if (tensors.length === 2) {
    const [[, a], [, b]] = tensors as [[number, TensorValue], [number, TensorValue]];
    for (const [x, g] of [[a, b], [b, a]] as const) {
      const p = ctx.producer(g);
      const fn = p?.spec.op === 'Activation' ? p.spec.attrs.fn : undefined;
      if ((fn === 'sigmoid' || fn === 'hard_sigmoid') && p!.spec.inputs[0] === x.name && ctx.soleUse(g)) {
        ctx.remove(p!);
        const gated = fn === 'sigmoid' ? 'swish' : 'hard_swish';
        // x is read by the absorbed gate and by this node.
        return [fuseActivation(ctx, x, gated, 2) ?? ctx.emit('Activation', [x], { fn: gated }, {}, x.layout)];
      }
    }
    return [ctx.emit('Multiply', [a, b], {}, {}, a.layout)];
  }
  const [[, x]] = tensors as [[number, TensorValue]];
  const [[ci, c]] = consts as [[number, ConstValue]];
  const s = scalar(ctx, ci, c);
  if (s === undefined) constantShape(ctx, c, 'multiplying');
  return [rescale(ctx, x, s, 0)];
};

const Div: Converter = (ctx) => {
  const { tensors, consts } = operands(ctx);
  if (tensors.length === 2 || tensors[0]![0] !== 0) return ctx.fail(m.unsupportedInput('inputs', 'convlab divides only by constants'));
  const [[, x]] = tensors as [[number, TensorValue]];
  const [[ci, c]] = consts as [[number, ConstValue]];
  const s = scalar(ctx, ci, c);
  if (s !== undefined) {
    if (s === 0) ctx.fail(m.unsupportedInput('divisor', 'is zero'));
    return [rescale(ctx, x, 1 / s, 0)];
  }
  const p = ctx.producer(x);
  if (!p || !unitVariance.has(p) || !perChannel(x, c) || !ctx.soleUse(x)) constantShape(ctx, c, 'dividing');
  // Normalization divides by sqrt(variance): a stored divisor d is a variance of d².
  const k = channels(x);
  const d = channelVector(ctx, { ...c, dims: [k] }, 'divisor', k, false);
  const variance = () => d()?.map((v) => v * v);
  p.weights.set('variance', variance);
  const known = variance();
  if (known && p.spec.attrs.mean) ctx.update(p, { ...p.spec.attrs, variance: Array.from(known) });
  unitVariance.delete(p);
  return [x];
};

/** Converters of elementwise arithmetic. */
export const MERGE_OPS: Record<string, Converter> = { Add, Sum, Sub, Mul, Div };
