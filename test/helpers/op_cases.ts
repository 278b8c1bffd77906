/**
 * Named cases of the activations, transposed convolutions, dilated pools, padding, resizing,
 * splitting and adaptive pooling, shared by the ONNX and tfjs numeric tests so both runtimes
 * are held to the same reference on the same graphs.
 */
import type { GraphBuilder, Tensor } from '../../src/graph/builder.js';
import type { Shape } from '../../src/graph/types.js';

/** One graph to run: an input shape and the body built on it. */
export interface OpCase {
  name: string;
  input: Shape;
  body: (b: GraphBuilder, x: Tensor) => Tensor | Tensor[];
}

export const LAYER_CASES: OpCase[] = [
  { name: 'leaky relu with slope 0.1', input: [4, 5, 3], body: (b, x) => b.node('Activation', b.node('Rescaling', x, { scale: 4 }), { fn: 'leaky_relu', alpha: 0.1 }) },
  { name: 'elu with alpha 0.5', input: [4, 5, 3], body: (b, x) => b.node('Activation', b.node('Rescaling', x, { scale: 4 }), { fn: 'elu', alpha: 0.5 }) },
  ...(['leaky_relu', 'elu', 'selu'] as const).map((fn): OpCase => ({ name: `conv with fused ${fn} (the function's default alpha)`, input: [5, 5, 2], body: (b, x) => b.conv2d(b.node('Rescaling', x, { scale: 4 }), { filters: 3, kernelSize: 3, activation: fn }) })),
  { name: 'PReLU on a map', input: [4, 5, 3], body: (b, x) => b.node('PReLU', x) },
  { name: 'PReLU on a vector', input: [4, 4, 3], body: (b, x) => b.node('PReLU', b.dense(b.flatten(x), { units: 6 })) },
  { name: 'conv transpose same stride 2, relu', input: [4, 5, 3], body: (b, x) => b.node('Conv2DTranspose', x, { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }) },
  { name: 'conv transpose valid stride 2', input: [4, 4, 2], body: (b, x) => b.node('Conv2DTranspose', x, { filters: 3, kernelSize: 3, strides: 2 }) },
  { name: 'conv transpose kernel below the stride leaves a gap', input: [3, 3, 2], body: (b, x) => b.node('Conv2DTranspose', x, { filters: 2, kernelSize: 1, strides: 3 }) },
  { name: 'conv transpose explicit pads and output padding (PyTorch)', input: [4, 3, 3], body: (b, x) => b.node('Conv2DTranspose', x, { filters: 2, kernelSize: 3, strides: 2, padding: 1, outputPadding: 1 }) },
  { name: 'conv transpose same with output padding (Keras)', input: [4, 4, 2], body: (b, x) => b.node('Conv2DTranspose', x, { filters: 2, kernelSize: [3, 4], strides: 2, padding: 'same', outputPadding: [0, 1] }) },
  { name: 'conv transpose dilated, asymmetric pads', input: [5, 5, 2], body: (b, x) => b.node('Conv2DTranspose', x, { filters: 3, kernelSize: 3, dilation: 2, padding: [1, 0, 2, 1], useBias: false }) },
  { name: 'conv transpose grouped', input: [3, 4, 4], body: (b, x) => b.node('Conv2DTranspose', x, { filters: 6, kernelSize: 2, strides: 2, groups: 2 }) },
  { name: 'max pool dilated same', input: [9, 9, 2], body: (b, x) => b.maxPool(x, { poolSize: 3, strides: 1, padding: 'same', dilation: 2 }) },
  { name: 'max pool dilated stride 2 ceil mode', input: [10, 11, 2], body: (b, x) => b.maxPool(x, { poolSize: 2, strides: 2, dilation: 2, ceilMode: true }) },
  { name: 'avg pool dilated with padding counted', input: [8, 8, 2], body: (b, x) => b.avgPool(x, { poolSize: 3, strides: 2, padding: 1, dilation: 2, countIncludePad: true }) },
  { name: 'avg pool dilated same excludes padding', input: [7, 6, 2], body: (b, x) => b.avgPool(x, { poolSize: 2, strides: 1, padding: 'same', dilation: [2, 1] }) },
  { name: 'constant padding with a value', input: [4, 5, 2], body: (b, x) => b.node('ConstantPad2D', x, { padding: [1, 2, 0, 3], value: -1.5 }) },
  { name: 'resize nearest by 2', input: [3, 4, 2], body: (b, x) => b.node('Resize', x, { scale: 2 }) },
  { name: 'resize nearest to a size', input: [4, 3, 2], body: (b, x) => b.node('Resize', x, { size: [7, 5] }) },
  { name: 'resize bilinear by [2, 3] (half pixel)', input: [3, 4, 2], body: (b, x) => b.node('Resize', x, { scale: [2, 3], mode: 'bilinear' }) },
  { name: 'resize bilinear to a size, align corners', input: [4, 5, 2], body: (b, x) => b.node('Resize', x, { size: [7, 9], mode: 'bilinear', coordinates: 'align_corners' }) },
  { name: 'resize bilinear asymmetric (tfjs UpSampling2D)', input: [3, 3, 2], body: (b, x) => b.node('Resize', x, { scale: 2, mode: 'bilinear', coordinates: 'asymmetric' }) },
  { name: 'split channels, parts used apart', input: [4, 4, 5], body: (b, x) => b.concat([b.conv2d(b.node('Split', x, { splits: [2, 3], index: 1 }), { filters: 2, kernelSize: 1 }), b.node('Split', x, { splits: [2, 3], index: 0 })]) },
  { name: 'split a vector', input: [4, 4, 3], body: (b, x) => b.node('Split', b.dense(b.flatten(x), { units: 6 }), { splits: [1, 2, 3], index: 2 }) },
  { name: 'adaptive avg pool 7×7 → 3×3 (overlapping bins)', input: [7, 7, 3], body: (b, x) => b.node('AdaptiveAvgPool', x, { outputSize: 3 }) },
  { name: 'adaptive avg pool 5×7 → 2×3', input: [5, 7, 2], body: (b, x) => b.node('AdaptiveAvgPool', x, { outputSize: [2, 3] }) },
  { name: 'adaptive avg pool 6×6 → 3×3 (a plain window)', input: [6, 6, 2], body: (b, x) => b.node('AdaptiveAvgPool', x, { outputSize: 3 }) },
];
