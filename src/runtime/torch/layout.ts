/**
 * Weights between Keras layout (convlab's) and PyTorch's. Every conversion is a transpose of the
 * Keras tensor: conv kernels (fh, fw, cin, K) → (K, cin, fh, fw), depthwise kernels
 * (fh, fw, cin, dm) → (cin, dm, fh, fw) which is PyTorch's (cin·dm, 1, fh, fw), dense kernels
 * (nin, nout) → (nout, nin); vectors keep their layout. The inverse brings trained weights back.
 */

/** How one Keras weight becomes one PyTorch tensor. */
export interface TorchWeight {
  /** Keras weight name (kernel, bias, gamma, moving_mean, ...). */
  keras: string;
  /** Name under the node's module: `weight`, `running_mean`, `depthwise.weight`. */
  torch: string;
  /** PyTorch shape. */
  shape: number[];
  /** Permutation of the Keras axes giving the PyTorch order; null when the layouts agree. */
  perm: number[] | null;
}

/** Keras conv kernel (fh, fw, cin, K) → PyTorch (K, cin, fh, fw). */
export const HWIO_TO_OIHW = [3, 2, 0, 1];
/** Keras depthwise kernel (fh, fw, cin, dm) → (cin, dm, fh, fw): channel c·dm + m is input c's m-th filter. */
export const DEPTHWISE_TO_TORCH = [2, 3, 0, 1];
/** Keras dense kernel (nin, nout) → PyTorch (nout, nin). */
export const TRANSPOSE_2D = [1, 0];

/** Transposes a row-major tensor of `shape` so that output axis i is input axis perm[i]. */
export function transpose(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  // Walk the output in order, stepping the input by the permuted strides.
  const step = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(data.length);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]! += 1;
      src += step[axis]!;
      if (index[axis]! < outShape[axis]!) break;
      src -= step[axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}

/** The inverse permutation. */
export const inverse = (perm: readonly number[]): number[] => perm.map((_, i) => perm.indexOf(i));

/** A Keras tensor of `kerasShape` in PyTorch layout. */
export function toTorch(w: TorchWeight, kerasShape: readonly number[], data: Float32Array): Float32Array {
  return w.perm ? transpose(data, kerasShape, w.perm) : data;
}

/** A PyTorch tensor back in the Keras layout of `kerasShape`. */
export function toKeras(w: TorchWeight, kerasShape: readonly number[], data: Float32Array): Float32Array {
  if (!w.perm) return data;
  const permuted = w.perm.map((p) => kerasShape[p]!);
  return transpose(data, permuted, inverse(w.perm));
}
