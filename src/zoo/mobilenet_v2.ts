/**
 * MobileNetV2 as Keras Applications defines it (keras/src/applications/mobilenet_v2.py): inverted
 * residual blocks (1×1 expand + ReLU6, depthwise 3×3 + ReLU6, linear 1×1 projection, identity
 * shortcut when shapes allow), the stage table of the paper as data, and `alpha` rounded to
 * multiples of 8 by _make_divisible.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { positiveOption, rejectUnknownOptions } from './family_options.js';
import { correctPad, kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelOptions } from './registry.js';

/**
 * The TF-slim rounding Keras uses for widths (_make_divisible / _depth): nearest multiple of
 * `divisor`, at least `minValue`, and never more than 10% below `v`.
 */
export function makeDivisible(v: number, divisor = 8, minValue = divisor): number {
  const rounded = Math.max(minValue, Math.floor(Math.floor(v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/** The paper's Table 2 as data: expansion t, output channels c, repeats n, first stride s. */
export const MOBILENET_V2_STAGES: ReadonlyArray<{ t: number; c: number; n: number; s: number }> = [
  { t: 1, c: 16, n: 1, s: 1 },
  { t: 6, c: 24, n: 2, s: 2 },
  { t: 6, c: 32, n: 3, s: 2 },
  { t: 6, c: 64, n: 4, s: 2 },
  { t: 6, c: 96, n: 3, s: 1 },
  { t: 6, c: 160, n: 3, s: 2 },
  { t: 6, c: 320, n: 1, s: 1 },
];

/** Keras V2 batch norm: epsilon 1e-3, momentum 0.999. */
const BN = { epsilon: 1e-3, momentum: 0.999 };

/**
 * Keras' _inverted_res_block. Block 0 has no expansion and is named `expanded_conv_`; the others
 * `block_{id}_`. A strided depthwise conv is preceded by correct_pad and runs 'valid'.
 */
export function invertedResBlock(
  b: GraphBuilder, x: Tensor, o: { expansion: number; stride: number; alpha: number; filters: number }, blockId: number,
): Tensor {
  const inChannels = x.shape[2]!;
  const pointwise = makeDivisible(Math.trunc(o.filters * o.alpha), 8);
  const prefix = blockId ? `block_${blockId}_` : 'expanded_conv_';
  return b.scope(prefix.slice(0, -1), () => {
    let y = x;
    if (blockId) {
      y = b.conv2d(y, { filters: o.expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` });
      y = b.batchNorm(y, { ...BN, name: `${prefix}expand_BN` });
      y = b.activation(y, 'relu6', `${prefix}expand_relu`);
    }
    if (o.stride === 2) y = b.zeroPad(y, correctPad(y, 3), `${prefix}pad`);
    y = b.depthwiseConv2d(y, { kernelSize: 3, strides: o.stride, padding: o.stride === 1 ? 'same' : 'valid', useBias: false, name: `${prefix}depthwise` });
    y = b.batchNorm(y, { ...BN, name: `${prefix}depthwise_BN` });
    y = b.activation(y, 'relu6', `${prefix}depthwise_relu`);
    y = b.conv2d(y, { filters: pointwise, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` });
    y = b.batchNorm(y, { ...BN, name: `${prefix}project_BN` });
    if (inChannels === pointwise && o.stride === 1) return b.add([x, y], `${prefix}add`);
    return y;
  });
}

/** Builds Keras MobileNetV2; option `alpha` (default 1) and the common ones. */
export function mobilenetV2(options: ModelOptions = {}): GraphSpec {
  const id = 'mobilenet_v2';
  rejectUnknownOptions(id, options, ['alpha']);
  const alpha = positiveOption(id, options, 'alpha', 1, ' (published weights: 0.35, 0.5, 0.75, 1.0, 1.3, 1.4)');
  const o = kerasOptions(options, { model: id, defaultSize: 224, minSize: 32 });
  const b = new GraphBuilder(id);
  let x = b.input(o.input, 'input');
  x = b.scope('Conv1', () => {
    const y = b.conv2d(x, { filters: makeDivisible(32 * alpha, 8), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' });
    return b.activation(b.batchNorm(y, { ...BN, name: 'bn_Conv1' }), 'relu6', 'Conv1_relu');
  });
  let blockId = 0;
  for (const stage of MOBILENET_V2_STAGES) {
    for (let i = 0; i < stage.n; i++) {
      x = invertedResBlock(b, x, { expansion: stage.t, stride: i === 0 ? stage.s : 1, alpha, filters: stage.c }, blockId++);
    }
  }
  // The paper keeps the last conv at 1280 when thinning and widens it only for alpha > 1.
  const lastFilters = alpha > 1 ? makeDivisible(1280 * alpha, 8) : 1280;
  x = b.scope('Conv_1', () => {
    const y = b.conv2d(x, { filters: lastFilters, kernelSize: 1, useBias: false, name: 'Conv_1' });
    return b.activation(b.batchNorm(y, { ...BN, name: 'Conv_1_bn' }), 'relu6', 'out_relu');
  });
  return b.build(kerasTop(b, x, o));
}

registerModel(
  {
    id: 'mobilenet_v2',
    family: 'mobilenet_v2',
    year: 2018,
    paper: { title: 'MobileNetV2: Inverted Residuals and Linear Bottlenecks', url: 'https://arxiv.org/abs/1801.04381' },
    input: [224, 224, 3],
    classes: 1000,
    accuracy: { top1: 0.713, top5: 0.901, source: 'Keras Applications table (keras.io/api/applications), alpha 1.0 at 224' },
    licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/mobilenet_v2.py)',
    reference: 'keras',
    preprocessing: { mode: 'tf', scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    description: 'Keras MobileNetV2: 17 inverted residual blocks with linear bottlenecks; option alpha',
  },
  mobilenetV2,
);
