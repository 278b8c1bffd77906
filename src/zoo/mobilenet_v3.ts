/**
 * MobileNetV3 Small and Large as Keras Applications defines them
 * (keras/src/applications/mobilenet_v3.py): inverted residual blocks with optional
 * squeeze-and-excite (hard-sigmoid gate), ReLU or hard-swish, 3×3 or 5×5 depthwise kernels, a
 * Rescaling layer as Keras' include_preprocessing, and a top of 1×1 convs on the pooled map.
 * Keras composes hard-sigmoid from ReLU6 and arithmetic; here it is one Activation node.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import type { ActivationFn } from '../ops/types.js';
import { boolOption, positiveOption, rateOption, rejectUnknownOptions } from './family_options.js';
import { correctPad, kerasOptions } from './keras_app.js';
import { makeDivisible } from './mobilenet_v2.js';
import { registerModel, type ModelMeta, type ModelOptions } from './registry.js';

/**
 * One row of a V3 stage table, as the arguments of Keras' _inverted_res_block. `kernel: 'k'` and
 * `act: 'act'` take the variant's choice (5×5 and hard-swish, or 3×3 and ReLU when minimalistic);
 * `se` blocks lose their SE when minimalistic.
 */
export interface V3Row {
  expansion: number;
  filters: number;
  kernel: 3 | 'k';
  stride: 1 | 2;
  se: boolean;
  act: 'relu' | 'act';
}

const row = (expansion: number, filters: number, kernel: 3 | 'k', stride: 1 | 2, se: boolean, act: 'relu' | 'act'): V3Row =>
  ({ expansion, filters, kernel, stride, se, act });

/** MobileNetV3-Small's blocks and the width of its last 1×1 conv. */
export const MOBILENET_V3_SMALL = {
  lastPoint: 1024,
  rows: [
    row(1, 16, 3, 2, true, 'relu'),
    row(72 / 16, 24, 3, 2, false, 'relu'),
    row(88 / 24, 24, 3, 1, false, 'relu'),
    row(4, 40, 'k', 2, true, 'act'),
    row(6, 40, 'k', 1, true, 'act'),
    row(6, 40, 'k', 1, true, 'act'),
    row(3, 48, 'k', 1, true, 'act'),
    row(3, 48, 'k', 1, true, 'act'),
    row(6, 96, 'k', 2, true, 'act'),
    row(6, 96, 'k', 1, true, 'act'),
    row(6, 96, 'k', 1, true, 'act'),
  ],
};

/** MobileNetV3-Large's blocks and the width of its last 1×1 conv. */
export const MOBILENET_V3_LARGE = {
  lastPoint: 1280,
  rows: [
    row(1, 16, 3, 1, false, 'relu'),
    row(4, 24, 3, 2, false, 'relu'),
    row(3, 24, 3, 1, false, 'relu'),
    row(3, 40, 'k', 2, true, 'relu'),
    row(3, 40, 'k', 1, true, 'relu'),
    row(3, 40, 'k', 1, true, 'relu'),
    row(6, 80, 3, 2, false, 'act'),
    row(2.5, 80, 3, 1, false, 'act'),
    row(2.3, 80, 3, 1, false, 'act'),
    row(2.3, 80, 3, 1, false, 'act'),
    row(6, 112, 3, 1, true, 'act'),
    row(6, 112, 3, 1, true, 'act'),
    row(6, 160, 'k', 2, true, 'act'),
    row(6, 160, 'k', 1, true, 'act'),
    row(6, 160, 'k', 1, true, 'act'),
  ],
};

/** Keras V3 batch norm: epsilon 1e-3, momentum 0.999. */
const BN = { epsilon: 1e-3, momentum: 0.999 };
const SE_RATIO = 0.25;

/** Keras' _se_block: pool, 1×1 conv to a quarter (rounded to 8) + ReLU, 1×1 conv back + hard-sigmoid, multiply. */
export function v3SqueezeExcite(b: GraphBuilder, x: Tensor, filters: number, prefix: string): Tensor {
  return b.scope('squeeze_excite', () => {
    let s = b.globalAvgPool(x, { keepDims: true, name: `${prefix}squeeze_excite_avg_pool` });
    s = b.conv2d(s, { filters: makeDivisible(filters * SE_RATIO), kernelSize: 1, padding: 'same', name: `${prefix}squeeze_excite_conv` });
    s = b.activation(s, 'relu', `${prefix}squeeze_excite_relu`);
    s = b.conv2d(s, { filters, kernelSize: 1, padding: 'same', name: `${prefix}squeeze_excite_conv_1` });
    s = b.activation(s, 'hard_sigmoid', `${prefix}squeeze_excite_hard_sigmoid`);
    return b.multiply([x, s], `${prefix}squeeze_excite_mul`);
  });
}

/** Keras' V3 _inverted_res_block `expanded_conv_{id}_`: expand (not in block 0), depthwise, optional SE, project, add. */
export function v3InvertedResBlock(
  b: GraphBuilder, x: Tensor, o: { expansion: number; filters: number; kernel: number; stride: number; se: boolean; act: ActivationFn }, blockId: number,
): Tensor {
  const inFilters = x.shape[2]!;
  const expanded = makeDivisible(inFilters * o.expansion);
  const prefix = blockId ? `expanded_conv_${blockId}_` : 'expanded_conv_';
  return b.scope(prefix.slice(0, -1), () => {
    let y = x;
    if (blockId) {
      y = b.conv2d(y, { filters: expanded, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` });
      y = b.batchNorm(y, { ...BN, name: `${prefix}expand_bn` });
      y = b.activation(y, o.act, `${prefix}expand_act`);
    }
    if (o.stride === 2) y = b.zeroPad(y, correctPad(y, o.kernel), `${prefix}depthwise_pad`);
    y = b.depthwiseConv2d(y, { kernelSize: o.kernel, strides: o.stride, padding: o.stride === 1 ? 'same' : 'valid', useBias: false, name: `${prefix}depthwise` });
    y = b.batchNorm(y, { ...BN, name: `${prefix}depthwise_bn` });
    y = b.activation(y, o.act, `${prefix}depthwise_act`);
    if (o.se) y = v3SqueezeExcite(b, y, expanded, prefix);
    y = b.conv2d(y, { filters: o.filters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` });
    y = b.batchNorm(y, { ...BN, name: `${prefix}project_bn` });
    if (o.stride === 1 && inFilters === o.filters) return b.add([x, y], `${prefix}add`);
    return y;
  });
}

/**
 * The generic Keras MobileNetV3: options `alpha` (1), `minimalistic` (false), `dropout` (0.2),
 * `includePreprocessing` (true) and the common ones.
 */
export function mobilenetV3(id: string, table: { lastPoint: number; rows: readonly V3Row[] }, options: ModelOptions): GraphSpec {
  rejectUnknownOptions(id, options, ['alpha', 'minimalistic', 'dropout', 'includePreprocessing']);
  const alpha = positiveOption(id, options, 'alpha', 1, ' (published weights: 0.75, 1.0)');
  const minimalistic = boolOption(id, options, 'minimalistic', false);
  const dropout = rateOption(id, options, 'dropout', 0.2);
  const preprocess = boolOption(id, options, 'includePreprocessing', true);
  const o = kerasOptions(options, { model: id, defaultSize: 224, minSize: 32 });
  const kernel = minimalistic ? 3 : 5;
  const act: ActivationFn = minimalistic ? 'relu' : 'hard_swish';

  const b = new GraphBuilder(id);
  let x = b.input(o.input, 'input');
  if (preprocess) x = b.node('Rescaling', x, { scale: 1 / 127.5, offset: -1 }, 'rescaling');
  x = b.scope('conv', () => b.activation(b.batchNorm(b.conv2d(x, { filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv' }), { ...BN, name: 'conv_bn' }), act, 'conv_act'));
  table.rows.forEach((r, i) => {
    x = v3InvertedResBlock(b, x, {
      expansion: r.expansion,
      filters: makeDivisible(r.filters * alpha),
      kernel: r.kernel === 'k' ? kernel : 3,
      stride: r.stride,
      se: r.se && !minimalistic,
      act: r.act === 'act' ? act : 'relu',
    }, i);
  });
  x = b.scope('conv_1', () =>
    b.activation(b.batchNorm(b.conv2d(x, { filters: makeDivisible(x.shape[2]! * 6), kernelSize: 1, padding: 'same', useBias: false, name: 'conv_1' }), { ...BN, name: 'conv_1_bn' }), act, 'conv_1_act'));
  if (!o.includeTop) {
    if (o.pooling === 'avg') x = b.globalAvgPool(x, { name: 'avg_pool' });
    else if (o.pooling === 'max') x = b.globalMaxPool(x, { name: 'max_pool' });
    return b.build(x);
  }
  const lastPoint = alpha > 1 ? makeDivisible(table.lastPoint * alpha) : table.lastPoint;
  x = b.globalAvgPool(x, { keepDims: true });
  x = b.conv2d(x, { filters: lastPoint, kernelSize: 1, padding: 'same', name: 'conv_2' });
  x = b.activation(x, act, 'conv_2_act');
  if (dropout > 0) x = b.dropout(x, dropout);
  x = b.conv2d(x, { filters: o.classes, kernelSize: 1, padding: 'same', name: 'logits' });
  x = b.flatten(x);
  return b.build(b.activation(x, 'softmax', 'predictions'));
}

/** Keras MobileNetV3Small. */
export const mobilenetV3Small = (o: ModelOptions = {}): GraphSpec => mobilenetV3('mobilenet_v3_small', MOBILENET_V3_SMALL, o);

/** Keras MobileNetV3Large. */
export const mobilenetV3Large = (o: ModelOptions = {}): GraphSpec => mobilenetV3('mobilenet_v3_large', MOBILENET_V3_LARGE, o);

const V3_META = {
  family: 'mobilenet_v3',
  year: 2019,
  paper: { title: 'Searching for MobileNetV3', url: 'https://arxiv.org/abs/1905.02244' },
  input: [224, 224, 3],
  classes: 1000,
  licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/mobilenet_v3.py)',
  reference: 'keras',
  // The model rescales raw [0, 255] pixels itself (its `rescaling` node).
  preprocessing: { mode: 'none', scale: 1 },
} satisfies Omit<ModelMeta, 'id'>;

const V3_TABLE = 'Keras MobileNetV3 docstring table (keras/src/applications/mobilenet_v3.py), alpha 1.0 at 224';

registerModel(
  { ...V3_META, id: 'mobilenet_v3_small', accuracy: { top1: 0.681, source: V3_TABLE }, description: 'Keras MobileNetV3Small: 11 blocks, SE and hard-swish; options alpha, minimalistic, dropout' },
  mobilenetV3Small,
);
registerModel(
  { ...V3_META, id: 'mobilenet_v3_large', accuracy: { top1: 0.756, source: V3_TABLE }, description: 'Keras MobileNetV3Large: 15 blocks, SE and hard-swish; options alpha, minimalistic, dropout' },
  mobilenetV3Large,
);
