/**
 * MobileNet (v1) as Keras Applications defines it (keras/src/applications/mobilenet.py): a 3×3/2
 * conv, then thirteen depthwise-separable blocks (depthwise 3×3 + BN + ReLU6, pointwise 1×1 + BN +
 * ReLU6), then a 1×1-conv classifier. `alpha` (the paper's width multiplier) thins every layer;
 * the input size is the paper's resolution multiplier; `depthMultiplier` widens the depthwise convs.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { positiveIntOption, positiveOption, rateOption, rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelOptions } from './registry.js';

/** The thirteen depthwise-separable blocks: pointwise filters (before alpha) and depthwise stride. */
export const MOBILENET_BLOCKS: ReadonlyArray<{ filters: number; stride: number }> = [
  { filters: 64, stride: 1 },
  { filters: 128, stride: 2 },
  { filters: 128, stride: 1 },
  { filters: 256, stride: 2 },
  { filters: 256, stride: 1 },
  { filters: 512, stride: 2 },
  ...Array.from({ length: 5 }, () => ({ filters: 512, stride: 1 })),
  { filters: 1024, stride: 2 },
  { filters: 1024, stride: 1 },
];

/** Filters after the width multiplier, truncated as Keras' `int(filters * alpha)`. */
export const mobilenetFilters = (filters: number, alpha: number): number => Math.trunc(filters * alpha);

/**
 * Keras' _depthwise_conv_block `conv_dw_{id}` / `conv_pw_{id}`. A strided block pads one row and
 * column at the bottom and right (`conv_pad_{id}`) and convolves 'valid', as TF's 'same' would.
 */
export function mobilenetBlock(
  b: GraphBuilder, x: Tensor, o: { filters: number; alpha: number; depthMultiplier: number; stride: number }, id: number,
): Tensor {
  // Keras names the layers, not the block (its _depthwise_conv_block); the block is named after it.
  return b.scope(`conv_block_${id}`, () => {
    let y = x;
    if (o.stride !== 1) y = b.zeroPad(y, [0, 1, 0, 1], `conv_pad_${id}`);
    y = b.depthwiseConv2d(y, {
      kernelSize: 3, strides: o.stride, padding: o.stride === 1 ? 'same' : 'valid', depthMultiplier: o.depthMultiplier, useBias: false, name: `conv_dw_${id}`,
    });
    y = b.batchNorm(y, { name: `conv_dw_${id}_bn` });
    y = b.activation(y, 'relu6', `conv_dw_${id}_relu`);
    y = b.conv2d(y, { filters: mobilenetFilters(o.filters, o.alpha), kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}` });
    y = b.batchNorm(y, { name: `conv_pw_${id}_bn` });
    return b.activation(y, 'relu6', `conv_pw_${id}_relu`);
  });
}

/** Builds Keras MobileNet; options `alpha` (default 1), `depthMultiplier` (1), `dropout` (0.001), and the common ones. */
export function mobilenet(options: ModelOptions = {}): GraphSpec {
  const id = 'mobilenet';
  rejectUnknownOptions(id, options, ['alpha', 'depthMultiplier', 'dropout']);
  const alpha = positiveOption(id, options, 'alpha', 1, ' (published weights: 0.25, 0.5, 0.75, 1.0)');
  const depthMultiplier = positiveIntOption(id, options, 'depthMultiplier', 1);
  const dropout = rateOption(id, options, 'dropout', 1e-3);
  const o = kerasOptions(options, { model: id, defaultSize: 224, minSize: 32 });
  const b = new GraphBuilder(id);
  let x = b.input(o.input, 'input');
  x = b.scope('conv1', () => {
    const y = b.conv2d(x, { filters: mobilenetFilters(32, alpha), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv1' });
    return b.activation(b.batchNorm(y, { name: 'conv1_bn' }), 'relu6', 'conv1_relu');
  });
  MOBILENET_BLOCKS.forEach((blk, i) => {
    x = mobilenetBlock(b, x, { ...blk, alpha, depthMultiplier }, i + 1);
  });
  if (!o.includeTop) return b.build(kerasTop(b, x, o));
  // The classifier is a 1×1 conv on the pooled [1, 1, C] map, so Keras reshapes around it.
  x = b.globalAvgPool(x);
  x = b.reshape(x, [1, 1, x.shape[0]!], 'reshape_1');
  x = b.dropout(x, dropout, 'dropout');
  x = b.conv2d(x, { filters: o.classes, kernelSize: 1, padding: 'same', name: 'conv_preds' });
  x = b.reshape(x, [o.classes], 'reshape_2');
  return b.build(b.activation(x, 'softmax', 'predictions'));
}

registerModel(
  {
    id: 'mobilenet',
    family: 'mobilenet',
    year: 2017,
    paper: { title: 'MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications', url: 'https://arxiv.org/abs/1704.04861' },
    input: [224, 224, 3],
    classes: 1000,
    accuracy: { top1: 0.704, top5: 0.895, source: 'Keras Applications table (keras.io/api/applications), alpha 1.0 at 224' },
    licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/mobilenet.py)',
    reference: 'keras',
    preprocessing: { mode: 'tf', scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    description: 'Keras MobileNet: 13 depthwise-separable blocks; options alpha, depthMultiplier, dropout, input resolution',
  },
  mobilenet,
);
