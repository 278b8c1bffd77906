/**
 * Folding of exporter boilerplate. Nodes whose inputs are all constants (Constant nodes, the
 * Shape → Gather → Unsqueeze → Concat chains PyTorch writes before a classifier's Reshape, the
 * pads computation of F.pad, Sqrt / Max of stored statistics) are evaluated here, so only nodes
 * that compute on data reach the op table. After conversion, a global pooling followed by a
 * Flatten becomes one pooling without kept dims. Folders that move values live in
 * onnx_fold_tensor.ts; arithmetic and the dispatch live here.
 */
import type { Emitted, ImportContext } from './context.js';
import {
  axesOf, checkSize, concat, constantNode, gather, need, normAxis, out, reshapeDims, slice, strides, transpose,
  type Arg, type Folder,
} from './fold_tensor.js';
import { constOf, onnxDims, type ConstValue, type Value } from './values.js';
import { DataType, type TensorProto } from '../../onnx/proto.js';
import { numel } from '../../core/numel.js';
import { messages as m } from '../../core/messages.js';

const INT_TYPES = new Set<number>([DataType.INT64, DataType.INT32, DataType.INT16, DataType.INT8, DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.UINT64, DataType.BOOL]);

/** NumPy broadcasting of any number of constants through `f`. */
function broadcast(ctx: ImportContext, args: Arg[], f: (xs: number[]) => number, intResult?: boolean): ConstValue {
  const rank = Math.max(...args.map((a) => a.c.dims.length));
  const shapes = args.map((a) => [...new Array<number>(rank - a.c.dims.length).fill(1), ...a.c.dims]);
  const dims = new Array<number>(rank).fill(1);
  for (let k = 0; k < rank; k++) {
    for (const s of shapes) {
      if (s[k] === dims[k] || s[k] === 1) continue;
      if (dims[k] !== 1) ctx.fail(m.foldBad(`shapes ${shapes.map((x) => `[${x.join(', ')}]`).join(' and ')} do not broadcast`));
      dims[k] = s[k]!;
    }
  }
  const total = numel(dims);
  checkSize(ctx, total, args);
  const outStrides = strides(dims);
  const inStrides = shapes.map((s) => strides(s).map((st, k) => (s[k] === 1 ? 0 : st)));
  const result = new Float32Array(total);
  const xs = new Array<number>(args.length);
  for (let i = 0; i < total; i++) {
    for (let a = 0; a < args.length; a++) {
      let off = 0;
      let rem = i;
      for (let k = 0; k < rank; k++) {
        const q = Math.floor(rem / outStrides[k]!);
        rem -= q * outStrides[k]!;
        off += q * inStrides[a]![k]!;
      }
      xs[a] = args[a]!.data[off]!;
    }
    result[i] = f(xs);
  }
  return out(ctx, dims, result, intResult ?? args.every((a) => a.c.int));
}

function binary(f: (a: number, b: number, int: boolean) => number): Folder {
  return (ctx, args) => {
    const a = need(ctx, args, 0, 'first');
    const b = need(ctx, args, 1, 'second');
    const int = a.c.int && b.c.int;
    return broadcast(ctx, [a, b], ([x, y]) => f(x!, y!, int));
  };
}

function unary(f: (a: number) => number): Folder {
  return (ctx, args) => {
    const a = need(ctx, args, 0, 'data');
    return out(ctx, [...a.c.dims], a.data.map(f), a.c.int);
  };
}

function variadic(f: (xs: number[]) => number): Folder {
  return (ctx, args) => broadcast(ctx, args.filter((a): a is Arg => a !== undefined), f);
}

const truncDiv = (a: number, b: number, int: boolean) => (int ? Math.trunc(a / b) : a / b);

/** Every foldable op. Shape and Size are handled separately: they read any value's dims. */
export const FOLDERS: Record<string, Folder> = {
  Constant: (ctx) => constantNode(ctx),
  Identity: (ctx, args) => need(ctx, args, 0, 'data').c,
  Cast: (ctx, args) => {
    const a = need(ctx, args, 0, 'data');
    const to = ctx.intAttr('to', DataType.FLOAT);
    const int = INT_TYPES.has(to);
    const data = to === DataType.BOOL ? a.data.map((x) => (x !== 0 ? 1 : 0)) : int ? a.data.map(Math.trunc) : a.data;
    return out(ctx, [...a.c.dims], data, int);
  },
  Gather: gather,
  Concat: concat,
  Transpose: transpose,
  Slice: slice,
  Unsqueeze: (ctx, args) => {
    const a = need(ctx, args, 0, 'data');
    const axes = axesOf(ctx, args, 1) ?? ctx.fail(m.foldBad('it has no axes'));
    const rank = a.c.dims.length + axes.length;
    const at = new Set(axes.map((x) => normAxis(ctx, x, rank)));
    const dims: number[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) dims.push(at.has(i) ? 1 : a.c.dims[k++]!);
    if (k !== a.c.dims.length) ctx.fail(m.foldBad('its axes repeat'));
    return out(ctx, dims, a.data, a.c.int);
  },
  Squeeze: (ctx, args) => {
    const a = need(ctx, args, 0, 'data');
    const axes = axesOf(ctx, args, 1);
    const drop = new Set(axes ? axes.map((x) => normAxis(ctx, x, a.c.dims.length)) : a.c.dims.flatMap((d, i) => (d === 1 ? [i] : [])));
    if ([...drop].some((i) => a.c.dims[i] !== 1)) ctx.fail(m.foldBad('it squeezes an axis whose size is not 1'));
    return out(ctx, a.c.dims.filter((_, i) => !drop.has(i)), a.data, a.c.int);
  },
  Reshape: (ctx, args) => {
    const a = need(ctx, args, 0, 'data');
    const dims = reshapeDims(ctx, a.c.dims, need(ctx, args, 1, 'shape').data, ctx.intAttr('allowzero', 0) === 1);
    return out(ctx, dims, a.data, a.c.int);
  },
  Flatten: (ctx, args) => {
    const a = need(ctx, args, 0, 'data');
    const axis = ctx.intAttr('axis', 1);
    const r = a.c.dims.length;
    const at = axis < 0 ? axis + r : axis;
    if (!(at >= 0 && at <= r)) ctx.fail(m.foldBad(`axis ${axis} is outside a rank-${r} tensor`));
    return out(ctx, [numel(a.c.dims.slice(0, at)), numel(a.c.dims.slice(at))], a.data, a.c.int);
  },
  ConstantOfShape: (ctx, args) => {
    const shape = Array.from(need(ctx, args, 0, 'shape').data);
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) ctx.fail(m.foldBad(`shape [${shape.join(', ')}] is not a list of sizes`));
    const total = numel(shape);
    checkSize(ctx, total, []);
    const t = ctx.attr('value');
    let fill = 0;
    let int = false;
    if (t !== undefined && typeof t === 'object' && !Array.isArray(t)) {
      const c = constOf(t as TensorProto, ctx.o.source);
      fill = c.values()?.[0] ?? 0;
      int = c.int;
    }
    return out(ctx, shape, new Float32Array(total).fill(fill), int);
  },
  Range: (ctx, args) => {
    const [start, limit, delta] = [0, 1, 2].map((i) => need(ctx, args, i, ['start', 'limit', 'delta'][i]!).data[0]!);
    const count = Math.max(Math.ceil((limit! - start!) / delta!), 0);
    checkSize(ctx, count, []);
    return out(ctx, [count], Float32Array.from({ length: count }, (_, i) => start! + i * delta!), args.every((a) => a?.c.int));
  },
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary(truncDiv),
  Pow: binary((a, b) => a ** b),
  Equal: (ctx, args) => broadcast(ctx, [need(ctx, args, 0, 'first'), need(ctx, args, 1, 'second')], ([a, b]) => (a === b ? 1 : 0), true),
  Max: variadic((xs) => Math.max(...xs)),
  Min: variadic((xs) => Math.min(...xs)),
  Sum: variadic((xs) => xs.reduce((s, x) => s + x, 0)),
  Sqrt: unary(Math.sqrt),
  Neg: unary((x) => -x),
  Abs: unary(Math.abs),
  Reciprocal: unary((x) => 1 / x),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
};

/** ONNX dims of any value, the batch included; free dims of graph inputs fail. */
function dimsOf(ctx: ImportContext, v: Value): number[] {
  if (v.kind === 'const') return v.dims;
  if (v.kind === 'tensor') return onnxDims(v, ctx.batch);
  return v.dims.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? ctx.batch : ctx.fail(m.foldBad(`input ${v.name} has a free dimension`))));
}

/**
 * Folds the current node when its inputs are constants with values (or it reads only shapes).
 * Returns its output values, or undefined when the node computes on data.
 */
export function tryFold(ctx: ImportContext): Value[] | undefined {
  const n = ctx.node;
  if (n.domain && n.domain !== 'ai.onnx') return undefined;
  if (n.opType === 'Shape' || n.opType === 'Size') {
    const v = ctx.optional(0) ?? ctx.fail(m.unsupportedInput('data', 'is missing'));
    const dims = dimsOf(ctx, v);
    if (n.opType === 'Size') return [out(ctx, [], Float32Array.of(numel(dims)), true)];
    const r = dims.length;
    const clamp = (x: number) => Math.min(Math.max(x < 0 ? x + r : x, 0), r);
    const picked = dims.slice(clamp(ctx.intAttr('start', 0)), clamp(ctx.intAttr('end', r)));
    return [out(ctx, [picked.length], Float32Array.from(picked), true)];
  }
  const fold = FOLDERS[n.opType];
  if (!fold) return undefined;
  const args: Array<Arg | undefined> = [];
  for (let i = 0; i < n.input.length; i++) {
    const v = ctx.optional(i);
    if (v === undefined) {
      args.push(undefined);
      continue;
    }
    if (v.kind !== 'const') return undefined;
    const data = v.values();
    if (!data) return undefined;
    args.push({ c: v, data });
  }
  if (n.opType !== 'Constant' && args.every((a) => a === undefined)) return undefined;
  return [fold(ctx, args)];
}

/**
 * A global pooling read only by a Flatten becomes one pooling without kept dims, as Keras writes
 * it: ONNX keeps [N, C, 1, 1] and flattens, convlab pools straight to [C].
 */
export function foldGlobalPoolFlatten(nodes: Emitted[], outputs: string[]): void {
  const live = nodes.filter((e) => !e.removed);
  const readers = new Map<string, Emitted[]>();
  for (const e of live) {
    for (const i of e.spec.inputs) {
      const list = readers.get(i);
      if (list) list.push(e);
      else readers.set(i, [e]);
    }
  }
  for (const pool of live) {
    if ((pool.spec.op !== 'GlobalAvgPool' && pool.spec.op !== 'GlobalMaxPool') || pool.spec.attrs.keepDims !== true) continue;
    const users = readers.get(pool.spec.name) ?? [];
    const flat = users[0];
    if (users.length !== 1 || outputs.includes(pool.spec.name) || !flat || (flat.spec.op !== 'Flatten' && flat.spec.op !== 'Reshape')) continue;
    if (flat.shape.length !== 1) continue;
    pool.spec.attrs = { ...pool.spec.attrs, keepDims: false };
    pool.shape = [...flat.shape];
    flat.removed = true;
    const name = flat.spec.name;
    for (const e of live) e.spec.inputs = e.spec.inputs.map((i) => (i === name ? pool.spec.name : i));
    outputs.forEach((o, k) => (o === name ? (outputs[k] = pool.spec.name) : undefined));
  }
}
