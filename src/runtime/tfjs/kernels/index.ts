/**
 * The kernels convlab adds to the wasm backend, one file each, registered from these lists:
 * gradients the backend lacks, and replacements for kernels it runs as scalar loops.
 */
import * as tf from '@tensorflow/tfjs';
import { avgPoolGradConfig } from './avg_pool_grad.js';
import { batchMatMulConfig } from './batch_mat_mul.js';
import { conv2dBackpropFilterConfig } from './conv2d_backprop_filter.js';
import { conv2dBackpropInputConfig } from './conv2d_backprop_input.js';
import { depthwiseBackpropFilterConfig } from './depthwise_backprop_filter.js';
import { depthwiseBackpropInputConfig } from './depthwise_backprop_input.js';
import { identityConfig } from './identity.js';
import { maxPoolGradConfig } from './max_pool_grad.js';
import { sliceConfig, splitVConfig } from './slice.js';
import { meanConfig, sumConfig } from './reduce.js';
import { tanhConfig } from './tanh.js';
import { tileConfig } from './tile.js';

/** Gradient kernels missing from the wasm backend. */
export const WASM_GRADIENT_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
];

/** Replacements for slow wasm kernels; each takes the native kernel it builds on. */
export const WASM_REPLACEMENT_KERNELS: ReadonlyArray<{ kernelName: string; build: (native: tf.KernelConfig) => tf.KernelConfig }> = [
  { kernelName: 'Conv2DBackpropInput', build: () => conv2dBackpropInputConfig },
  { kernelName: 'BatchMatMul', build: batchMatMulConfig },
  { kernelName: 'AvgPoolGrad', build: avgPoolGradConfig },
  { kernelName: 'MaxPoolGrad', build: () => maxPoolGradConfig },
  { kernelName: 'Tanh', build: () => tanhConfig },
  { kernelName: 'Sum', build: sumConfig },
  { kernelName: 'Mean', build: meanConfig },
  { kernelName: 'Tile', build: tileConfig },
  { kernelName: 'Identity', build: identityConfig },
  { kernelName: 'Slice', build: sliceConfig },
  { kernelName: 'SplitV', build: splitVConfig },
];

let registered = false;

/** Registers convlab's wasm kernels once per process. */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of WASM_GRADIENT_KERNELS) {
    if (!tf.getKernel(config.kernelName, 'wasm')) tf.registerKernel(config);
  }
  for (const { kernelName, build } of WASM_REPLACEMENT_KERNELS) {
    const native = tf.getKernel(kernelName, 'wasm');
    if (!native) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(build(native));
  }
}
