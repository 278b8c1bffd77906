/**
 * AvgPoolGrad for wasm. When windows tile the input (pool size = stride, 'valid'), every input
 * element belongs to exactly one window and its gradient is that window's dy / (fh·fw): a
 * broadcast multiply, about twice as fast as the backend's loop. Other geometries use the loop.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Composer } from './compose.js';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: unknown;
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** Builds the wrapper around the backend's own kernel, used for overlapping or padded windows. */
export function avgPoolGradConfig(native: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Attrs }): tf.TensorInfo => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const [fh, fw] = pair(args.attrs.filterSize);
    const [sh, sw] = pair(args.attrs.strides);
    const tiles = fh === sh && fw === sw && (args.attrs.pad === 'valid' || args.attrs.pad === 0) && input.shape.length === 4;
    if (!tiles) return native.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    const [n, oh, ow, ch] = dy.shape as [number, number, number, number];
    const [, h, w] = input.shape as [number, number, number, number];
    const c = new Composer(args.backend);
    const share = c.constant([1 / (fh * fw)], [1, 1, fh, 1, fw, 1]);
    const spread = c.run('Multiply', { a: c.reshape(dy, [n, oh, 1, ow, 1, ch]), b: share });
    const grid = c.reshape(spread, [n, oh * fh, ow * fw, ch]);
    // Rows and columns past the last whole window get no gradient.
    return c.finish(c.padOrCrop(grid, [[0, 0], [0, h - oh * fh], [0, w - ow * fw], [0, 0]]));
  };
  return { kernelName: 'AvgPoolGrad', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc, ...(native.setupFunc ? { setupFunc: native.setupFunc } : {}) };
}
