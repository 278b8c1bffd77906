/**
 * Slice and SplitV for wasm. The backend's Slice first copies the whole input out of the wasm
 * heap (readSync) and then copies the slice back in, for every call: splitting a concat's
 * gradient into four parts copies the full tensor four times through JavaScript. These read the
 * input in place, one contiguous run at a time (trailing dimensions taken whole merge into a run).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { numel } from '../../../core/numel.js';

/** Copies the block [begin, begin + size) of x into a new tensor. */
function sliceBlock(backend: BackendWasm, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  // Views are taken after makeOutput, which may grow (and so move) the heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  // Dimensions from `inner` on are copied as one run: every one after it is taken whole.
  let inner = rank - 1;
  while (inner > 0 && size[inner] === x.shape[inner]) inner--;
  const run = numel(size.slice(inner));
  const outer = size.slice(0, inner);
  const count = numel(outer);
  const index = new Array<number>(inner).fill(0);
  let at = 0;
  const base = begin.reduce((s, b, i) => s + b * (strides[i] ?? 1), 0);
  for (let n = 0; n < count && run > 0; n++) {
    let offset = base;
    for (let i = 0; i < inner; i++) offset += index[i]! * strides[i]!;
    dst.set(src.subarray(offset, offset + run), at);
    at += run;
    for (let i = inner - 1; i >= 0; i--) {
      if (++index[i]! < outer[i]!) break;
      index[i] = 0;
    }
  }
  return out;
}

/** Builds the Slice replacement; strings keep the backend's kernel. */
export function sliceConfig(native: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: { begin: number | number[]; size?: number | number[] } }): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return native.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, args.attrs.begin, args.attrs.size) as [number[], number[]];
    return sliceBlock(args.backend, x, begin, size);
  };
  return { kernelName: 'Slice', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** Builds the SplitV replacement, each part sliced in place. */
export function splitVConfig(native: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: { numOrSizeSplits: number | number[]; axis: number } }): tf.TensorInfo[] => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return native.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo[];
    const axis = tf.util.parseAxisParam(args.attrs.axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, args.attrs.numOrSizeSplits, axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[axis] = s;
      const part = sliceBlock(args.backend, x, [...begin], size);
      begin[axis]! += s;
      return part;
    });
  };
  return { kernelName: 'SplitV', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
