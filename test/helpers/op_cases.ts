/**
 * Named op cases shared by the runtime tests: each is a small graph around one op in one
 * configuration. OP_CASES cover every op type (ONNX export, PyTorch lowering); LAYER_CASES, the
 * activations with a parameter, transposed convolutions, dilated pools, padding, resizing,
 * splitting and adaptive pooling, are also run by the tfjs numeric tests, so every runtime is
 * held to the same reference on the same graphs.
 */
import type { GraphBuilder, Tensor } from '../../src/graph/builder.js';
import type { Shape } from '../../src/graph/types.js';
import { ACTIVATIONS } from '../../src/ops/index.js';

/** A named one-input graph exercising one op in one configuration. */
export interface OpCase {
  name: string;
  input: Shape;
  body: (b: GraphBuilder, x: Tensor) => Tensor | Tensor[];
}

/** Parameterized activations, transposed convolutions, dilated pools, padding, resizing, splitting, adaptive pooling: run by the tfjs numeric tests too. */
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
  { name: 'reflect padding (PyTorch ReflectionPad2d)', input: [4, 5, 2], body: (b, x) => b.node('BorderPad2D', x, { padding: [1, 3, 0, 4], mode: 'reflect' }) },
  { name: 'edge padding wider than the map (ReplicationPad2d)', input: [3, 2, 2], body: (b, x) => b.node('BorderPad2D', x, { padding: [4, 1, 2, 3], mode: 'edge' }) },
  { name: 'constant padding with a value', input: [4, 5, 2], body: (b, x) => b.node('ConstantPad2D', x, { padding: [1, 2, 0, 3], value: -1.5 }) },
  { name: 'resize nearest by 2', input: [3, 4, 2], body: (b, x) => b.node('Resize', x, { scale: 2 }) },
  { name: 'resize nearest to a size', input: [4, 3, 2], body: (b, x) => b.node('Resize', x, { size: [7, 5] }) },
  { name: 'resize nearest half-pixel, rounding half up, to a size', input: [4, 3, 2], body: (b, x) => b.node('Resize', x, { size: [7, 8], coordinates: 'half_pixel', rounding: 'round_prefer_ceil' }) },
  { name: 'resize nearest by fractional factors, floor asymmetric', input: [5, 6, 2], body: (b, x) => b.node('Resize', x, { scale: [0.6, 0.75], coordinates: 'asymmetric', rounding: 'floor' }) },
  { name: 'resize nearest tf_half_pixel_for_nn, ceil', input: [4, 4, 2], body: (b, x) => b.node('Resize', x, { size: [3, 6], coordinates: 'tf_half_pixel_for_nn', rounding: 'ceil' }) },
  { name: 'resize bilinear by fractional factors (positions by the factor)', input: [5, 6, 2], body: (b, x) => b.node('Resize', x, { scale: [0.6, 1.7], mode: 'bilinear' }) },
  { name: 'resize bilinear align corners by fractional factors (unfloored length)', input: [4, 5, 2], body: (b, x) => b.node('Resize', x, { scale: [0.6, 1.5], mode: 'bilinear', coordinates: 'align_corners' }) },
  { name: 'resize bilinear pytorch half pixel to one column', input: [4, 4, 2], body: (b, x) => b.node('Resize', x, { size: [3, 1], mode: 'bilinear', coordinates: 'pytorch_half_pixel' }) },
  { name: 'resize bicubic by [2, 3] (half pixel, A -0.75)', input: [4, 3, 2], body: (b, x) => b.node('Resize', x, { scale: [2, 3], mode: 'bicubic' }) },
  { name: 'resize bicubic down, A -0.5, outside taps excluded', input: [6, 5, 2], body: (b, x) => b.node('Resize', x, { size: [4, 3], mode: 'bicubic', cubicA: -0.5, excludeOutside: true }) },
  { name: 'resize bicubic align corners by a fractional factor', input: [4, 4, 2], body: (b, x) => b.node('Resize', x, { scale: 0.8, mode: 'bicubic', coordinates: 'align_corners' }) },
  { name: 'resize bilinear crop past the map (tf_crop_and_resize)', input: [4, 5, 2], body: (b, x) => b.node('Resize', x, { size: [3, 4], mode: 'bilinear', coordinates: 'tf_crop_and_resize', roi: [0.4, 0.1, 1.2, 0.8], extrapolation: 10 }) },
  { name: 'resize bilinear by [2, 3] (half pixel)', input: [3, 4, 2], body: (b, x) => b.node('Resize', x, { scale: [2, 3], mode: 'bilinear' }) },
  { name: 'resize bilinear to a size, align corners', input: [4, 5, 2], body: (b, x) => b.node('Resize', x, { size: [7, 9], mode: 'bilinear', coordinates: 'align_corners' }) },
  { name: 'resize bilinear asymmetric (tfjs UpSampling2D)', input: [3, 3, 2], body: (b, x) => b.node('Resize', x, { scale: 2, mode: 'bilinear', coordinates: 'asymmetric' }) },
  { name: 'split channels, parts used apart', input: [4, 4, 5], body: (b, x) => b.concat([b.conv2d(b.node('Split', x, { splits: [2, 3], index: 1 }), { filters: 2, kernelSize: 1 }), b.node('Split', x, { splits: [2, 3], index: 0 })]) },
  { name: 'split a vector', input: [4, 4, 3], body: (b, x) => b.node('Split', b.dense(b.flatten(x), { units: 6 }), { splits: [1, 2, 3], index: 2 }) },
  { name: 'adaptive avg pool 7×7 → 3×3 (overlapping bins)', input: [7, 7, 3], body: (b, x) => b.node('AdaptiveAvgPool', x, { outputSize: 3 }) },
  { name: 'adaptive avg pool 5×7 → 2×3', input: [5, 7, 2], body: (b, x) => b.node('AdaptiveAvgPool', x, { outputSize: [2, 3] }) },
  { name: 'adaptive avg pool 6×6 → 3×3 (a plain window)', input: [6, 6, 2], body: (b, x) => b.node('AdaptiveAvgPool', x, { outputSize: 3 }) },
];

/** Every op, in the configurations the runtimes must agree on. */
export const OP_CASES: OpCase[] = [
  { name: 'conv same stride 2 with bias', input: [9, 7, 3], body: (b, x) => b.conv2d(x, { filters: 5, kernelSize: 3, strides: 2, padding: 'same' }) },
  { name: 'conv valid, rectangular kernel, no bias', input: [8, 9, 4], body: (b, x) => b.conv2d(x, { filters: 6, kernelSize: [1, 3], useBias: false }) },
  { name: 'conv explicit asymmetric padding', input: [7, 7, 2], body: (b, x) => b.conv2d(x, { filters: 3, kernelSize: 3, strides: [2, 1], padding: [1, 2, 0, 1] }) },
  { name: 'conv dilation 2 same', input: [10, 10, 3], body: (b, x) => b.conv2d(x, { filters: 4, kernelSize: 3, dilation: 2, padding: 'same' }) },
  { name: 'grouped conv', input: [6, 6, 8], body: (b, x) => b.conv2d(x, { filters: 12, kernelSize: 3, groups: 4, padding: 'same' }) },
  { name: 'depthwise dm 2 stride 2 same', input: [9, 8, 3], body: (b, x) => b.depthwiseConv2d(x, { kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2 }) },
  { name: 'depthwise valid relu6 fused', input: [7, 7, 4], body: (b, x) => b.depthwiseConv2d(x, { kernelSize: 3, activation: 'relu6' }) },
  { name: 'separable conv dm 2', input: [8, 8, 3], body: (b, x) => b.separableConv2d(x, { filters: 5, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu' }) },
  { name: 'dense on a vector with softmax', input: [6, 6, 2], body: (b, x) => b.dense(b.flatten(x), { units: 7, activation: 'softmax' }) },
  { name: 'dense on a feature map (channels)', input: [4, 5, 6], body: (b, x) => b.dense(x, { units: 3, activation: 'tanh' }) },
  { name: 'dense on rank 2', input: [4, 4, 3], body: (b, x) => b.dense(b.reshape(x, [16, 3]), { units: 5 }) },
  { name: 'dense without bias', input: [12], body: (b, x) => b.dense(x, { units: 4, useBias: false }) },
  { name: 'max pool same stride 2', input: [9, 9, 3], body: (b, x) => b.maxPool(x, { poolSize: 3, strides: 2, padding: 'same' }) },
  { name: 'avg pool same excludes padding', input: [7, 8, 2], body: (b, x) => b.avgPool(x, { poolSize: 3, strides: 2, padding: 'same' }) },
  { name: 'avg pool explicit padding counted', input: [6, 6, 2], body: (b, x) => b.avgPool(x, { poolSize: 3, strides: 1, padding: 1, countIncludePad: true }) },
  { name: 'max pool same, uneven padding', input: [8, 8, 2], body: (b, x) => b.maxPool(x, { poolSize: 3, strides: 2, padding: 'same' }) },
  { name: 'max pool ceil mode (ZFNet)', input: [10, 10, 2], body: (b, x) => b.maxPool(x, { poolSize: 3, strides: 2, ceilMode: true }) },
  { name: 'avg pool ceil mode', input: [10, 11, 2], body: (b, x) => b.avgPool(x, { poolSize: 3, strides: 2, ceilMode: true }) },
  { name: 'avg pool ceil mode counting declared padding', input: [10, 10, 2], body: (b, x) => b.avgPool(x, { poolSize: 3, strides: 2, padding: 1, ceilMode: true, countIncludePad: true }) },
  { name: 'global average pool', input: [5, 6, 4], body: (b, x) => b.globalAvgPool(x) },
  { name: 'global max pool keepDims', input: [5, 6, 4], body: (b, x) => b.globalMaxPool(x, { keepDims: true }) },
  { name: 'batchnorm on a map', input: [5, 5, 4], body: (b, x) => b.batchNorm(x, { epsilon: 1e-3 }) },
  { name: 'batchnorm without scale and center', input: [4, 4, 3], body: (b, x) => b.batchNorm(x, { center: false, scale: false }) },
  { name: 'batchnorm on a vector', input: [4, 4, 3], body: (b, x) => b.batchNorm(b.globalAvgPool(x)) },
  { name: 'batchnorm on rank 2', input: [4, 4, 3], body: (b, x) => b.batchNorm(b.reshape(x, [8, 6])) },
  { name: 'LRN (AlexNet)', input: [4, 4, 7], body: (b, x) => b.node('LRN', x, { size: 5, alpha: 1e-2, beta: 0.75, bias: 2 }) },
  { name: 'dropout is identity', input: [3, 3, 2], body: (b, x) => b.dropout(x, 0.5) },
  { name: 'flatten keeps NHWC order', input: [3, 4, 5], body: (b, x) => b.flatten(x) },
  { name: 'reshape map to map', input: [4, 6, 2], body: (b, x) => b.reshape(x, [3, 8, 2]) },
  { name: 'reshape vector to 1×1 map then conv', input: [4, 4, 6], body: (b, x) => b.conv2d(b.reshape(b.globalAvgPool(x), [1, 1, 6]), { filters: 3, kernelSize: 1 }) },
  { name: 'reshape vector to map', input: [24], body: (b, x) => b.reshape(x, [2, 3, 4]) },
  ...[[1, 0, 2], [2, 0, 1], [1, 2, 0], [0, 2, 1]].map((dims): OpCase => ({ name: `permute map [${dims}]`, input: [3, 4, 5], body: (b, x) => b.node('Permute', x, { dims }) })),
  { name: 'permute rank 2 then dense', input: [4, 4, 3], body: (b, x) => b.dense(b.node('Permute', b.reshape(x, [16, 3]), { dims: [1, 0] }), { units: 2 }) },
  { name: 'zero padding asymmetric', input: [4, 5, 2], body: (b, x) => b.zeroPad(x, [1, 2, 3, 0]) },
  { name: 'cropping asymmetric', input: [7, 8, 2], body: (b, x) => b.crop(x, [1, 2, 0, 3]) },
  { name: 'add of three', input: [4, 4, 3], body: (b, x) => b.add([x, b.conv2d(x, { filters: 3, kernelSize: 1 }), b.conv2d(x, { filters: 3, kernelSize: 3, padding: 'same' })]) },
  { name: 'concat channels', input: [4, 4, 3], body: (b, x) => b.concat([x, b.conv2d(x, { filters: 2, kernelSize: 1 })]) },
  { name: 'concat height (axis 0)', input: [4, 5, 3], body: (b, x) => b.concat([x, b.conv2d(x, { filters: 3, kernelSize: 1 })], { axis: 0 }) },
  { name: 'concat width (axis 1)', input: [4, 5, 3], body: (b, x) => b.concat([x, x], { axis: 1 }) },
  { name: 'concat vectors', input: [4, 4, 3], body: (b, x) => b.concat([b.globalAvgPool(x), b.globalMaxPool(x)]) },
  { name: 'multiply broadcast (SE gate)', input: [5, 5, 4], body: (b, x) => b.multiply([x, b.conv2d(b.globalAvgPool(x, { keepDims: true }), { filters: 4, kernelSize: 1, activation: 'sigmoid' })]) },
  { name: 'multiply three', input: [3, 3, 2], body: (b, x) => b.multiply([x, x, b.conv2d(x, { filters: 2, kernelSize: 1 })]) },
  { name: 'scaled add', input: [4, 4, 3], body: (b, x) => b.node('ScaledAdd', [x, b.conv2d(x, { filters: 3, kernelSize: 1 })], { scale: 0.17 }) },
  { name: 'rescaling with offset', input: [4, 4, 3], body: (b, x) => b.node('Rescaling', x, { scale: 1 / 127.5, offset: -1 }) },
  { name: 'rescaling without offset', input: [4, 4, 3], body: (b, x) => b.node('Rescaling', x, { scale: 0.5 }) },
  { name: 'normalization from attrs', input: [4, 4, 3], body: (b, x) => b.node('Normalization', x, { mean: [0.485, 0.456, 0.406], variance: [0.052, 0.05, 0.051] }) },
  { name: 'normalization from weights', input: [4, 4, 3], body: (b, x) => b.node('Normalization', x) },
  { name: 'softmax over channels of a map', input: [3, 3, 5], body: (b, x) => b.activation(x, 'softmax') },
  ...ACTIVATIONS.map((fn): OpCase => ({ name: `activation ${fn}`, input: [4, 5, 3], body: (b, x) => b.activation(b.node('Rescaling', x, { scale: 4 }), fn) })),
  ...ACTIVATIONS.map((fn): OpCase => ({ name: `conv with fused ${fn}`, input: [5, 5, 2], body: (b, x) => b.conv2d(x, { filters: 3, kernelSize: 3, activation: fn }) })),
  ...LAYER_CASES,
];
