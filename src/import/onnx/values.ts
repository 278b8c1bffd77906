/**
 * What the ONNX importer knows about each ONNX tensor while it walks the graph: a convlab tensor
 * (with the ONNX layout it stands for), a constant (initializer, Constant node or folded shape
 * computation, possibly without values in files exported without parameters), or a graph input
 * not yet classified. Also the bounded tensor reader and the weight layout conversions.
 */
import { DataError } from '../../core/errors.js';
import type { Shape } from '../../graph/types.js';
import { DataType, tensorToFloat32, type TensorProto } from '../../onnx/proto.js';
import { numel } from '../../core/numel.js';
import { messages as m } from '../../core/messages.js';

/**
 * How a convlab tensor is laid out in ONNX. Feature maps [H, W, C] are NCHW ([N, C, H, W]) unless
 * a Transpose or the file's metadata says NHWC; every other tensor is [N, ...shape] ('plain').
 */
export type Layout = 'nchw' | 'nhwc' | 'plain';

/** An ONNX tensor computed by a convlab node (or a convlab graph input). */
export interface TensorValue {
  kind: 'tensor';
  /** The convlab node or input holding it. */
  name: string;
  /** Convlab shape, without batch. */
  shape: Shape;
  layout: Layout;
  /**
   * Set on vectors that ONNX holds as an NCHW flatten of a map [h, w, c] while convlab's Flatten
   * gives NHWC order: the two orders differ unless h·w = 1 or c = 1, so a following Dense must
   * permute its weight rows to keep outputs identical.
   */
  chw?: [number, number, number];
}

/** A constant: its dims, and its values when the file carries them (read lazily, once). */
export interface ConstValue {
  kind: 'const';
  dims: number[];
  /** Values as float32; undefined for weights passed as graph inputs (exported without parameters). */
  values: () => Float32Array | undefined;
  /** ONNX tensor name, for messages. */
  origin: string;
  /** Integer-typed (int64 / int32), so folded arithmetic truncates. */
  int: boolean;
}

/** A graph input not yet seen by a consumer: it becomes a data input or a weight without values. */
export interface PendingInput {
  kind: 'input';
  name: string;
  index: number;
  dims: Array<number | string>;
  /** Values given at run time (`convlab run`), used when the graph reads this input as a constant (a weight). */
  given?: { dims: number[]; data: Float32Array };
}

export type Value = TensorValue | ConstValue | PendingInput;

/** Largest tensor convlab reads (2^28 elements, 1 GiB of float32); larger files are refused before allocating. */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;

const WIDTH: Record<number, [number, keyof TensorProto]> = {
  [DataType.FLOAT]: [4, 'floatData'],
  [DataType.DOUBLE]: [8, 'doubleData'],
  [DataType.INT64]: [8, 'int64Data'],
  [DataType.INT32]: [4, 'int32Data'],
};

const isDim = (d: unknown): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0;

/** Element count of declared dims, checked: non-negative integers, at most MAX_TENSOR_ELEMENTS. */
function checkedCount(t: TensorProto, source: string): number {
  const name = t.name ?? '(unnamed)';
  const d = t.dims ?? [];
  if (!Array.isArray(d) || !d.every(isDim)) throw new DataError(m.tensorDims(source, name, d));
  let count = 1;
  for (const x of d) {
    count *= x;
    if (count > MAX_TENSOR_ELEMENTS) throw new DataError(m.tensorTooLarge(source, name, numel(d), MAX_TENSOR_ELEMENTS));
  }
  return count;
}

/**
 * Checks a tensor's declared size against the bytes or values it holds, without allocating: a
 * file declaring gigabytes it does not contain is refused here, before tensorToFloat32 runs.
 */
function checkTensor(t: TensorProto, source: string): void {
  const name = t.name ?? '(unnamed)';
  if (t.dataLocation === 1 || (t.externalData && t.externalData.length > 0)) throw new DataError(m.externalData(source, name));
  const count = checkedCount(t, source);
  const kind = WIDTH[t.dataType ?? 0];
  if (!kind) throw new DataError(m.tensorKind(source, name, t.dataType ?? 0));
  const [width, field] = kind;
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== count * width) throw new DataError(m.tensorData(source, name, count, width, raw.length, 'raw data'));
    return;
  }
  const held = (t[field] as unknown[] | undefined)?.length ?? 0;
  if (held !== count) throw new DataError(m.tensorData(source, name, count, width, held * width, 'typed values'));
}

/** A constant backed by a TensorProto (initializer or Constant node), read on first use. */
export function constOf(t: TensorProto, source: string): ConstValue {
  checkTensor(t, source);
  let cache: Float32Array | undefined;
  return {
    kind: 'const',
    dims: [...(t.dims ?? [])],
    values: () => (cache ??= tensorToFloat32(t, source)),
    origin: t.name ?? '(unnamed)',
    int: t.dataType === DataType.INT64 || t.dataType === DataType.INT32,
  };
}

/** A constant from values already in hand (folded shape computations, attributes). */
export function constFrom(dims: number[], data: Float32Array, origin: string, int: boolean): ConstValue {
  return { kind: 'const', dims, values: () => data, origin, int };
}

/** ONNX dims of a convlab tensor, with the batch first. */
export function onnxDims(v: TensorValue, batch: number): number[] {
  if (v.layout === 'nchw') return [batch, v.shape[2]!, v.shape[0]!, v.shape[1]!];
  return [batch, ...v.shape];
}

/** True when NCHW and NHWC order a [h, w, c] map's values the same way (h·w = 1 or c = 1). */
export const sameOrder = (s: readonly number[]): boolean => s[0]! * s[1]! === 1 || s[2]! === 1;


/** ONNX conv weight (K, cin/g, fh, fw) → Keras kernel (fh, fw, cin/g, K). */
export function oihwToHwio(w: Float32Array, K: number, cin: number, fh: number, fw: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < K; o++)
    for (let c = 0; c < cin; c++)
      for (let i = 0; i < fh; i++)
        for (let j = 0; j < fw; j++) out[((i * fw + j) * cin + c) * K + o] = w[((o * cin + c) * fh + i) * fw + j]!;
  return out;
}

/**
 * ONNX depthwise weight (cin·dm, 1, fh, fw) → Keras depthwise_kernel (fh, fw, cin, dm). ONNX
 * group c holds output channels c·dm … c·dm + dm - 1, the order Keras uses.
 */
export function depthwiseToHwcm(w: Float32Array, cin: number, dm: number, fh: number, fw: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let c = 0; c < cin; c++)
    for (let k = 0; k < dm; k++)
      for (let i = 0; i < fh; i++)
        for (let j = 0; j < fw; j++) out[((i * fw + j) * cin + c) * dm + k] = w[((c * dm + k) * fh + i) * fw + j]!;
  return out;
}

/** Transposes a row-major [rows, cols] matrix. */
export function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  return out;
}

/**
 * Reorders the rows of a Keras dense kernel [h·w·c, nout] whose ONNX rows follow an NCHW flatten
 * (row c·h·w + i·w + j) so they follow convlab's NHWC flatten (row (i·w + j)·c + ch).
 */
export function chwRowsToHwc(k: Float32Array, [h, w, c]: readonly [number, number, number], nout: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let ch = 0; ch < c; ch++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        const from = (ch * h * w + i * w + j) * nout;
        out.set(k.subarray(from, from + nout), ((i * w + j) * c + ch) * nout);
      }
  return out;
}
