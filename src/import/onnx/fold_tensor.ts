/**
 * Constant folding of ops that move or pick values (Constant, Gather, Concat, Transpose, Slice,
 * Unsqueeze / Squeeze axes, Reshape targets) and the helpers every folder shares. Each folder
 * bounds what it allocates by the size of its inputs.
 */
import type { ImportContext } from './context.js';
import { constFrom, constOf, type ConstValue } from './values.js';
import type { TensorProto } from '../../onnx/proto.js';
import { numel } from '../../core/numel.js';
import { messages as m } from '../../core/messages.js';

/** Largest constant a fold may create beyond the size of its inputs (ConstantOfShape, Range). */
const MAX_FOLD_ELEMENTS = 1 << 20;

export interface Arg {
  c: ConstValue;
  data: Float32Array;
}

export type Folder = (ctx: ImportContext, args: Array<Arg | undefined>) => ConstValue;

export function out(ctx: ImportContext, dims: number[], data: Float32Array, int: boolean): ConstValue {
  return constFrom(dims, data, ctx.node.output[0] ?? '', int);
}

/** Refuses folds that would allocate far more than their inputs hold. */
export function checkSize(ctx: ImportContext, elements: number, args: Array<Arg | undefined>): void {
  const largest = Math.max(0, ...args.map((a) => a?.data.length ?? 0));
  if (!Number.isSafeInteger(elements) || elements < 0) ctx.fail(m.foldBad(`it would create ${elements} elements`));
  if (elements > Math.max(MAX_FOLD_ELEMENTS, largest)) ctx.fail(m.foldTooLarge(elements, MAX_FOLD_ELEMENTS));
}

export const need = (ctx: ImportContext, args: Array<Arg | undefined>, i: number, role: string): Arg => {
  const a = args[i];
  if (!a) ctx.fail(m.foldBad(`its ${role} input is missing`));
  return a;
};

export const strides = (dims: readonly number[]): number[] => {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
};

export const normAxis = (ctx: ImportContext, axis: number, rank: number): number => {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || !(a >= 0 && a < rank)) ctx.fail(m.foldBad(`axis ${axis} is outside a rank-${rank} tensor`));
  return a;
};

/** Axes from the `axes` input (opset 13+) or attribute. */
export function axesOf(ctx: ImportContext, args: Array<Arg | undefined>, i: number): number[] | undefined {
  const fromInput = args[i];
  if (fromInput) return Array.from(fromInput.data);
  const attr = ctx.attr('axes');
  return Array.isArray(attr) ? (attr as number[]) : undefined;
}

/** Target dims of a Reshape: 0 copies an input dim (unless allowzero), one -1 takes the rest. */
export function reshapeDims(ctx: ImportContext, from: readonly number[], target: Float32Array, allowZero: boolean): number[] {
  const total = numel(from);
  const dims = Array.from(target, (d, i) => (d === 0 && !allowZero ? from[i] ?? NaN : d));
  const wild = dims.filter((d) => d === -1).length;
  const known = numel(dims.filter((d) => d !== -1));
  if (wild > 1 || dims.some((d) => !Number.isInteger(d) || d < -1) || (wild === 1 && (known === 0 || total % known !== 0))) {
    ctx.fail(m.reshape(from, Array.from(target), 'the target shape is not valid for it'));
  }
  const resolved = dims.map((d) => (d === -1 ? total / known : d));
  if (numel(resolved) !== total) ctx.fail(m.reshape(from, Array.from(target), `the element counts differ (${total} vs ${numel(resolved)})`));
  return resolved;
}

/** Constant of a Constant node's attribute. */
export function constantNode(ctx: ImportContext): ConstValue {
  const a = ctx.node.attribute?.[0];
  const t = ctx.attr('value');
  if (t !== undefined && typeof t === 'object' && !Array.isArray(t)) {
    return constOf({ ...(t as TensorProto), name: ctx.node.output[0] ?? '' }, ctx.o.source);
  }
  const name = a?.name;
  const v = name === undefined ? undefined : ctx.attr(name);
  if (name === 'value_float' || name === 'value_int') return out(ctx, [], Float32Array.of(v as number), name === 'value_int');
  if ((name === 'value_floats' || name === 'value_ints') && Array.isArray(v)) {
    return out(ctx, [v.length], Float32Array.from(v as number[]), name === 'value_ints');
  }
  return ctx.fail(m.unsupportedAttr(name ?? 'value', v, 'a Constant needs a numeric tensor value'), 'attribute');
}

export function gather(ctx: ImportContext, args: Array<Arg | undefined>): ConstValue {
  const d = need(ctx, args, 0, 'data');
  const idx = need(ctx, args, 1, 'indices');
  const rank = d.c.dims.length;
  if (rank === 0) ctx.fail(m.foldBad('it gathers from a scalar'));
  const axis = normAxis(ctx, ctx.intAttr('axis', 0), rank);
  const n = d.c.dims[axis]!;
  const outer = numel(d.c.dims.slice(0, axis));
  const inner = numel(d.c.dims.slice(axis + 1));
  const dims = [...d.c.dims.slice(0, axis), ...idx.c.dims, ...d.c.dims.slice(axis + 1)];
  checkSize(ctx, numel(dims), args);
  const result = new Float32Array(numel(dims));
  let k = 0;
  for (let o = 0; o < outer; o++)
    for (const raw of idx.data) {
      const j = raw < 0 ? raw + n : raw;
      if (!Number.isInteger(j) || !(j >= 0 && j < n)) ctx.fail(m.foldBad(`index ${raw} is outside an axis of ${n}`));
      result.set(d.data.subarray((o * n + j) * inner, (o * n + j + 1) * inner), k);
      k += inner;
    }
  return out(ctx, dims, result, d.c.int);
}

export function concat(ctx: ImportContext, args: Array<Arg | undefined>): ConstValue {
  const parts = args.filter((a): a is Arg => a !== undefined);
  const rank = parts[0]?.c.dims.length ?? 0;
  if (rank === 0) ctx.fail(m.foldBad('it concatenates scalars'));
  const axis = normAxis(ctx, ctx.intAttr('axis', 0), rank);
  for (const p of parts) {
    if (p.c.dims.length !== rank || p.c.dims.some((x, k) => k !== axis && x !== parts[0]!.c.dims[k])) ctx.fail(m.foldBad('its inputs differ in shape'));
  }
  const dims = [...parts[0]!.c.dims];
  dims[axis] = parts.reduce((s, p) => s + p.c.dims[axis]!, 0);
  const outer = numel(dims.slice(0, axis));
  const result = new Float32Array(numel(dims));
  let k = 0;
  for (let o = 0; o < outer; o++)
    for (const p of parts) {
      const len = numel(p.c.dims.slice(axis));
      result.set(p.data.subarray(o * len, (o + 1) * len), k);
      k += len;
    }
  return out(ctx, dims, result, parts.every((p) => p.c.int));
}

export function transpose(ctx: ImportContext, args: Array<Arg | undefined>): ConstValue {
  const a = need(ctx, args, 0, 'data');
  const rank = a.c.dims.length;
  const perm = ctx.intsAttr('perm', [...Array(rank).keys()].reverse(), rank);
  if ([...perm].sort((x, y) => x - y).some((p, i) => p !== i)) ctx.fail(m.foldBad(`perm [${perm.join(', ')}] is not a permutation`));
  const dims = perm.map((p) => a.c.dims[p]!);
  const inS = strides(a.c.dims);
  const outS = strides(dims);
  const result = new Float32Array(a.data.length);
  for (let i = 0; i < result.length; i++) {
    let rem = i;
    let off = 0;
    for (let k = 0; k < rank; k++) {
      const q = Math.floor(rem / outS[k]!);
      rem -= q * outS[k]!;
      off += q * inS[perm[k]!]!;
    }
    result[i] = a.data[off]!;
  }
  return out(ctx, dims, result, a.c.int);
}

/** Slice bounds as ONNX normalizes them: negatives from the end, clamped to the axis. */
export function sliceRange(start: number, end: number, step: number, n: number): number[] {
  const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
  let s = start < 0 ? start + n : start;
  let e = end < 0 ? end + n : end;
  if (step > 0) {
    s = clamp(s, 0, n);
    e = clamp(e, 0, n);
  } else {
    s = clamp(s, 0, n - 1);
    e = clamp(e, -1, n - 1);
  }
  const idx: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) idx.push(i);
  return idx;
}

export function slice(ctx: ImportContext, args: Array<Arg | undefined>): ConstValue {
  const a = need(ctx, args, 0, 'data');
  const rank = a.c.dims.length;
  const old = ctx.o.opset < 10;
  const starts = old ? ctx.intsAttr('starts', []) : Array.from(need(ctx, args, 1, 'starts').data);
  const ends = old ? ctx.intsAttr('ends', []) : Array.from(need(ctx, args, 2, 'ends').data);
  const axes = (old ? ctx.intsAttr('axes', starts.map((_, i) => i)) : args[3] ? Array.from(args[3].data) : starts.map((_, i) => i)).map((x) => normAxis(ctx, x, rank));
  const steps = !old && args[4] ? Array.from(args[4].data) : starts.map(() => 1);
  const whole = [...starts, ...ends, ...steps].every(Number.isInteger);
  if (!whole || ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length || steps.some((s) => s === 0)) {
    ctx.fail(m.foldBad('starts, ends, axes and steps disagree'));
  }
  const picks = a.c.dims.map((n) => [...Array(n).keys()]);
  axes.forEach((ax, i) => (picks[ax] = sliceRange(starts[i]!, ends[i]!, steps[i]!, a.c.dims[ax]!)));
  const dims = picks.map((p) => p.length);
  const inS = strides(a.c.dims);
  const outS = strides(dims);
  const result = new Float32Array(numel(dims));
  for (let i = 0; i < result.length; i++) {
    let rem = i;
    let off = 0;
    for (let k = 0; k < rank; k++) {
      const q = Math.floor(rem / outS[k]!);
      rem -= q * outS[k]!;
      off += picks[k]![q]! * inS[k]!;
    }
    result[i] = a.data[off]!;
  }
  return out(ctx, dims, result, a.c.int);
}

