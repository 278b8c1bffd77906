/**
 * ONNX → convlab mapping of ops that move data: Flatten, Reshape, Squeeze / Unsqueeze,
 * Transpose, Concat, Pad, Slice, Split and Identity. Layout is tracked, not computed: a Transpose
 * between NCHW and NHWC changes how a tensor is read, never emits a node.
 */
import type { ImportContext } from './context.js';
import { reshapeDims, sliceRange } from './fold_tensor.js';
import type { Converter } from './ops.js';
import { onnxDims, sameOrder, type TensorValue } from './values.js';
import { numel } from '../../core/numel.js';
import { messages as m } from '../../core/messages.js';

const ALL_LAYOUTS = ['nchw', 'nhwc', 'plain'] as const;

/**
 * Flattens a tensor to [N, F], as a Flatten or (for an ONNX Reshape) a Reshape; an NCHW map keeps
 * a note of its order for the Dense that follows.
 */
function flatten(ctx: ImportContext, x: TensorValue, op: 'Flatten' | 'Reshape' = 'Flatten'): TensorValue {
  if (x.layout === 'plain' && x.shape.length === 1) return x;
  const size = numel(x.shape);
  const y = op === 'Flatten' ? ctx.emit('Flatten', [x], {}, {}, 'plain') : ctx.emit('Reshape', [x], { shape: [size] }, {}, 'plain');
  if (x.layout === 'nchw' && !sameOrder(x.shape)) return { ...y, chw: [x.shape[0]!, x.shape[1]!, x.shape[2]!] };
  return y;
}

/**
 * Reinterprets `x` with ONNX dims `dims` (batch first). Only reshapes whose element order
 * convlab can follow are accepted: flattening, restoring a flattened map, and reshapes between
 * maps whose NCHW and NHWC orders agree (SE gates [N, C, 1, 1]).
 */
function reshapeTo(ctx: ImportContext, x: TensorValue, dims: number[]): TensorValue {
  const from = onnxDims(x, ctx.batch);
  if (dims[0] !== ctx.batch) ctx.fail(m.batchChanged(ctx.batch, dims));
  if (dims.length === from.length && dims.every((d, i) => d === from[i])) return x;
  const to = dims.slice(1);
  if (to.length === 0 || to.some((d) => d < 1)) ctx.fail(m.reshape(from, dims, 'every target axis must be at least 1'));
  if (x.chw) {
    const [h, w, c] = x.chw;
    if (to.length === 3 && to[0] === c && to[1] === h && to[2] === w) return ctx.emit('Reshape', [x], { shape: [h, w, c] }, {}, 'nchw');
    ctx.fail(m.flattenOrder(ctx.inputName(0), x.chw));
  }
  if (to.length === 1) return flatten(ctx, x, ctx.node.opType === 'Flatten' ? 'Flatten' : 'Reshape');
  if (to.length === 3) {
    const [a, b, d] = to as [number, number, number];
    const asNchw = [b, d, a];
    if (x.layout === 'nchw' && sameOrder(x.shape) && a === x.shape[0] && b === x.shape[1] && d === x.shape[2]) return { ...x, layout: 'nhwc' };
    if (x.layout === 'nchw' && !sameOrder(x.shape)) ctx.fail(m.reshape(from, dims, 'an NCHW feature map can only be flattened or reshaped where NCHW and NHWC orders agree'));
    // The same map, now read as NCHW: what an exporter writes instead of a Transpose when the orders agree.
    if (x.layout === 'nhwc' && sameOrder(asNchw) && asNchw.every((v, i) => v === x.shape[i])) return { ...x, layout: 'nchw' };
    if (sameOrder(asNchw)) return ctx.emit('Reshape', [x], { shape: asNchw }, {}, 'nchw');
    // Row-major data read as [a, b, d] is a map in NHWC order; a Transpose must bring it to NCHW.
    return ctx.emit('Reshape', [x], { shape: [a, b, d] }, {}, 'nhwc');
  }
  if (x.layout !== 'plain') ctx.fail(m.reshape(from, dims, 'a feature map can only become a vector or another map'));
  return ctx.emit('Reshape', [x], { shape: to }, {}, 'plain');
}

const Flatten: Converter = (ctx) => {
  const x = ctx.tensor(0, 'input', { layouts: ALL_LAYOUTS, chw: true });
  const rank = x.shape.length + 1;
  const raw = ctx.intAttr('axis', 1);
  if ((raw < 0 ? raw + rank : raw) !== 1) ctx.fail(m.axis(raw, rank, 'convlab flattens everything but the batch (axis 1)'), 'attribute');
  return [flatten(ctx, x)];
};

const Reshape: Converter = (ctx) => {
  const x = ctx.tensor(0, 'data', { layouts: ALL_LAYOUTS, chw: true });
  const { data } = ctx.constValues(1, 'shape');
  return [reshapeTo(ctx, x, reshapeDims(ctx, onnxDims(x, ctx.batch), data, ctx.intAttr('allowzero', 0) === 1))];
};

/** Axes of Squeeze / Unsqueeze as written: the `axes` input from opset 13, the attribute before. */
function rawAxes(ctx: ImportContext): number[] | undefined {
  if (ctx.o.opset >= 13) return ctx.optional(1) ? Array.from(ctx.constValues(1, 'axes').data) : undefined;
  return ctx.attr('axes') === undefined ? undefined : ctx.intsAttr('axes', []);
}

/** Axes made non-negative for a tensor of `rank`; an axis outside it fails. */
function normalized(ctx: ImportContext, list: number[], rank: number): Set<number> {
  return new Set(list.map((a) => {
    const k = a < 0 ? a + rank : a;
    if (!(k >= 0 && k < rank)) ctx.fail(m.axis(a, rank, 'it is outside the tensor'), 'attribute');
    return k;
  }));
}

const Squeeze: Converter = (ctx) => {
  const x = ctx.tensor(0, 'data', { layouts: ALL_LAYOUTS, chw: true });
  const from = onnxDims(x, ctx.batch);
  const raw = rawAxes(ctx);
  const drop = raw ? normalized(ctx, raw, from.length) : new Set(from.flatMap((d, i) => (d === 1 ? [i] : [])));
  for (const i of drop) if (from[i] !== 1) ctx.fail(m.axis(i, from.length, `its size is ${from[i]}, not 1`), 'attribute');
  return [reshapeTo(ctx, x, from.filter((_, i) => !drop.has(i)))];
};

const Unsqueeze: Converter = (ctx) => {
  const x = ctx.tensor(0, 'data', { layouts: ALL_LAYOUTS, chw: true });
  const from = onnxDims(x, ctx.batch);
  const raw = rawAxes(ctx) ?? ctx.fail(m.unsupportedInput('axes', 'is missing'));
  const rank = from.length + raw.length;
  const at = normalized(ctx, raw, rank);
  if (at.size !== raw.length) ctx.fail(m.unsupportedInput('axes', 'repeats an axis'));
  const dims: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) dims.push(at.has(i) ? 1 : from[k++]!);
  return [reshapeTo(ctx, x, dims)];
};

const Transpose: Converter = (ctx) => {
  const x = ctx.tensor(0, 'data', { layouts: ALL_LAYOUTS });
  const rank = x.shape.length + 1;
  const perm = ctx.intsAttr('perm', [...Array(rank).keys()].reverse(), rank).join();
  if (perm === [...Array(rank).keys()].join()) return [x];
  if (x.layout === 'nchw' && perm === '0,2,3,1') return [{ ...x, layout: 'nhwc' }];
  if (x.layout === 'nhwc' && perm === '0,3,1,2') return [{ ...x, layout: 'nchw' }];
  return ctx.fail(m.unsupportedAttr('perm', perm.split(',').map(Number), `convlab follows only NCHW ↔ NHWC transposes of feature maps; this tensor is ${x.layout === 'plain' ? 'not a feature map' : x.layout.toUpperCase()}`), 'attribute');
};

const Concat: Converter = (ctx) => {
  if (ctx.node.input.length === 0) ctx.fail(m.unsupportedInput('inputs', 'there are none'));
  const xs = ctx.node.input.map((_, i) => ctx.tensor(i, `input ${i}`, { layouts: ALL_LAYOUTS }));
  const layout = xs[0]!.layout;
  if (xs.some((x) => x.layout !== layout)) ctx.fail(m.layout(ctx.inputName(xs.findIndex((x) => x.layout !== layout)), 'in a different layout from the first input', `the first input's ${layout}`));
  const rank = xs[0]!.shape.length + 1;
  const raw = ctx.intAttr('axis', 1);
  const a = raw < 0 ? raw + rank : raw;
  if (!(a >= 1 && a < rank)) ctx.fail(m.axis(raw, rank, 'convlab concatenates along an axis other than the batch'), 'attribute');
  // Convlab axes exclude the batch; NCHW maps move the channel axis last.
  const axis = layout === 'nchw' ? [0, -1, 0, 1][a]! : a - 1;
  return [ctx.emit('Concat', xs, { axis }, {}, layout)];
};

/** The value a constant Pad writes, from the attribute (opset < 11) or the optional input. */
function padValue(ctx: ImportContext): number {
  if (ctx.o.opset < 11) return ctx.floatAttr('value', 0);
  if (!ctx.optional(2)) return 0;
  const v = ctx.constValues(2, 'constant_value').data;
  if (v.length !== 1) ctx.fail(m.unsupportedInput('constant_value', 'must be a scalar'));
  return v[0]!;
}

/** Begin and end amounts per ONNX axis of a Pad, from the attribute (opset < 11) or the inputs. */
function padAmounts(ctx: ImportContext, rank: number): number[] {
  if (ctx.o.opset < 11) return ctx.intsAttr('pads', [], 2 * rank);
  const pads = Array.from(ctx.constValues(1, 'pads').data);
  const ax = ctx.optional(3) ? Array.from(ctx.constValues(3, 'axes').data).map((a) => (a < 0 ? a + rank : a)) : [...Array(rank).keys()];
  if (pads.length !== 2 * ax.length || ax.some((a) => !(a >= 0 && a < rank))) ctx.fail(m.unsupportedInput('pads', `holds ${pads.length} values for ${ax.length} axes`));
  const full = new Array<number>(2 * rank).fill(0);
  ax.forEach((a, i) => {
    full[a] = pads[i]!;
    full[a + rank] = pads[i + ax.length]!;
  });
  return full;
}

const Pad: Converter = (ctx) => {
  const x = ctx.tensor(0, 'data', { layouts: ['nchw'] });
  const mode = ctx.strAttr('mode', 'constant');
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'edge') ctx.fail(m.unsupportedAttr('mode', mode, 'convlab pads with a constant, or by reflecting or repeating the edge (modes constant, reflect, edge)'), 'attribute');
  const p = padAmounts(ctx, 4);
  if (p[0] || p[1] || p[4] || p[5]) ctx.fail(m.unsupportedInput('pads', `[${p.join(', ')}] pads the batch or channel axis; convlab pads height and width`));
  const sides = [p[2]!, p[6]!, p[3]!, p[7]!];
  if (sides.every((v) => v === 0)) return [x];
  if (mode !== 'constant') {
    if (sides.some((v) => v < 0)) ctx.fail(m.unsupportedInput('pads', `[${p.join(', ')}] crops in ${mode} mode; convlab crops only with mode constant`));
    return [ctx.emit('BorderPad2D', [x], { padding: sides, mode })];
  }
  const value = padValue(ctx);
  if (sides.every((v) => v >= 0)) return [value === 0 ? ctx.emit('ZeroPadding2D', [x], { padding: sides }) : ctx.emit('ConstantPad2D', [x], { padding: sides, value })];
  if (sides.every((v) => v <= 0)) return [ctx.emit('Cropping2D', [x], { cropping: sides.map((v) => Math.abs(v)) })];
  return ctx.fail(m.unsupportedInput('pads', `[${p.join(', ')}] both pads and crops`));
};

const Slice: Converter = (ctx) => {
  const x = ctx.tensor(0, 'data', { layouts: ['nchw'] });
  const dims = onnxDims(x, ctx.batch);
  const old = ctx.o.opset < 10;
  const list = (i: number, attr: string, role: string) => (old ? ctx.intsAttr(attr, []) : Array.from(ctx.constValues(i, role).data));
  const starts = list(1, 'starts', 'starts');
  const ends = list(2, 'ends', 'ends');
  const axesOf = old ? ctx.intsAttr('axes', starts.map((_, i) => i)) : ctx.optional(3) ? Array.from(ctx.constValues(3, 'axes').data) : starts.map((_, i) => i);
  const steps = !old && ctx.optional(4) ? Array.from(ctx.constValues(4, 'steps').data) : starts.map(() => 1);
  if (![...starts, ...ends, ...axesOf].every(Number.isInteger) || ends.length !== starts.length || axesOf.length !== starts.length) {
    ctx.fail(m.unsupportedInput('starts, ends, axes', 'must be integer lists of one length'));
  }
  const channel = axesOf.length === 1 && (axesOf[0] === 1 || axesOf[0] === -3) && steps[0] === 1;
  if (channel) {
    // A run of channels is one part of a Split into (before, the run, after).
    const picked = sliceRange(starts[0]!, ends[0]!, 1, dims[1]!);
    if (picked.length === 0) ctx.fail(m.unsupportedInput('starts', 'the slice of the channel axis is empty'));
    if (picked.length === dims[1]) return [x];
    const before = picked[0]!;
    const after = dims[1]! - before - picked.length;
    const splits = [before, picked.length, after].filter((v) => v > 0);
    return [ctx.emit('Split', [x], { splits, index: before > 0 ? 1 : 0 })];
  }
  const crop = [0, 0, 0, 0];
  axesOf.forEach((raw, i) => {
    const a = raw < 0 ? raw + 4 : raw;
    if ((a !== 2 && a !== 3) || steps[i] !== 1) ctx.fail(m.unsupportedInput('axes', `slicing axis ${raw} with step ${steps[i]} has no convlab op; convlab crops height and width, or takes a run of channels`));
    const picked = sliceRange(starts[i]!, ends[i]!, 1, dims[a]!);
    if (picked.length === 0) ctx.fail(m.unsupportedInput('starts', `the slice of axis ${raw} is empty`));
    const k = a === 2 ? 0 : 2;
    crop[k] = picked[0]!;
    crop[k + 1] = dims[a]! - picked[0]! - picked.length;
  });
  return [crop.every((v) => v === 0) ? x : ctx.emit('Cropping2D', [x], { cropping: crop })];
};

/** Split along the channel axis: one convlab Split node per output, each naming its part. */
const Split: Converter = (ctx) => {
  const x = ctx.tensor(0, 'input', { layouts: ['nchw', 'plain'] });
  const rank = x.shape.length + 1;
  const raw = ctx.intAttr('axis', 0);
  const axis = raw < 0 ? raw + rank : raw;
  const channelAxis = x.layout === 'nchw' ? 1 : rank - 1;
  if (axis !== channelAxis) ctx.fail(m.axis(raw, rank, 'convlab splits along the channel axis'), 'attribute');
  const c = x.layout === 'nchw' ? x.shape[2]! : x.shape[x.shape.length - 1]!;
  const count = ctx.node.output.length;
  let splits: number[];
  if (ctx.o.opset < 13) splits = ctx.intsAttr('split', []);
  else splits = ctx.optional(1) ? Array.from(ctx.constValues(1, 'split').data) : [];
  if (splits.length === 0) {
    // Equal parts, the last one smaller when they do not divide (opset 18's num_outputs rule).
    const part = Math.ceil(c / count);
    splits = Array.from({ length: count }, (_, i) => Math.min(part, c - i * part));
  }
  if (splits.length !== count) ctx.fail(m.unsupportedInput('split', `names ${splits.length} parts for ${count} outputs`));
  return splits.map((_, index) => ctx.emit('Split', [x], { splits, index }, {}, x.layout));
};

const Identity: Converter = (ctx) => [ctx.optional(0) ?? ctx.fail(m.unsupportedInput('input', 'is missing'))];

/** Converters of ops that move data. */
export const SHAPE_OPS: Record<string, Converter> = { Flatten, Reshape, Squeeze, Unsqueeze, Transpose, Concat, Pad, Slice, Split, Identity };
