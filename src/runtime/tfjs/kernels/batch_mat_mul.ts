/**
 * BatchMatMul for wasm. The backend sends only untransposed single matrices to XNNPACK and runs
 * every transposed product (both matmuls of a dense layer's backward pass) through a scalar
 * loop. This wrapper transposes the operand explicitly, a cheap copy, so XNNPACK takes them all.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Composer } from './compose.js';
import { numel } from '../../../core/numel.js';

interface Attrs {
  transposeA: boolean;
  transposeB: boolean;
}

const swapLast = (rank: number): number[] => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
const batchOf = (shape: number[]): number => numel(shape.slice(0, -2));

/** Builds the wrapper around the backend's own kernel, which still does the multiplication. */
export function batchMatMulConfig(native: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Attrs }): tf.TensorInfo => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs;
    const plain = !transposeA && !transposeB;
    if (plain || batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1) {
      return native.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const c = new Composer(args.backend);
    const a2 = transposeA ? c.transpose(a, swapLast(a.shape.length)) : a;
    const b2 = transposeB ? c.transpose(b, swapLast(b.shape.length)) : b;
    return c.finish(c.call(native, { a: a2, b: b2 }, { transposeA: false, transposeB: false }));
  };
  // The native setup binds the wasm function; it must still run when the backend starts.
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc, ...(native.setupFunc ? { setupFunc: native.setupFunc } : {}) };
}
