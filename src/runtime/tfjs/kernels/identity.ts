/**
 * Identity for wasm. tfjs saves every tensor a gradient will need through Identity, and the
 * wasm backend's Identity copies the whole tensor: a training step copied each conv input and
 * output once more. Tensor data are never written in place (a variable's assign swaps in new
 * data), so, as the CPU backend does, the output shares the input's data with one more reference.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Builds the replacement; strings keep the backend's kernel. */
export function identityConfig(native: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm }): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return native.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
