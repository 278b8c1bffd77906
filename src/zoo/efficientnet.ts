/**
 * EfficientNet B0–B7 as Keras Applications defines them (keras/src/applications/efficientnet.py):
 * the B0 stage table as data, scaled by compound coefficients (width, depth, resolution) with
 * round_filters / round_repeats; MBConv blocks with squeeze-and-excite and swish; Rescaling and
 * Normalization layers at the input, counted as Keras counts them (the Normalization holds mean,
 * variance and a sample count as non-trainable weights).
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { rateOption, rejectUnknownOptions } from './family_options.js';
import { correctPad, kerasOptions } from './keras_app.js';
import { registerModel, type ModelOptions } from './registry.js';

/** One stage of the B0 table, as Keras' DEFAULT_BLOCKS_ARGS. */
export interface EfficientNetStage {
  kernelSize: number;
  repeats: number;
  filtersIn: number;
  filtersOut: number;
  expandRatio: number;
  idSkip: boolean;
  strides: number;
  seRatio: number;
}

/** The seven B0 stages (Table 1 of the paper; Keras' DEFAULT_BLOCKS_ARGS). */
export const EFFICIENTNET_B0_STAGES: readonly EfficientNetStage[] = [
  { kernelSize: 3, repeats: 1, filtersIn: 32, filtersOut: 16, expandRatio: 1, idSkip: true, strides: 1, seRatio: 0.25 },
  { kernelSize: 3, repeats: 2, filtersIn: 16, filtersOut: 24, expandRatio: 6, idSkip: true, strides: 2, seRatio: 0.25 },
  { kernelSize: 5, repeats: 2, filtersIn: 24, filtersOut: 40, expandRatio: 6, idSkip: true, strides: 2, seRatio: 0.25 },
  { kernelSize: 3, repeats: 3, filtersIn: 40, filtersOut: 80, expandRatio: 6, idSkip: true, strides: 2, seRatio: 0.25 },
  { kernelSize: 5, repeats: 3, filtersIn: 80, filtersOut: 112, expandRatio: 6, idSkip: true, strides: 1, seRatio: 0.25 },
  { kernelSize: 5, repeats: 4, filtersIn: 112, filtersOut: 192, expandRatio: 6, idSkip: true, strides: 2, seRatio: 0.25 },
  { kernelSize: 3, repeats: 1, filtersIn: 192, filtersOut: 320, expandRatio: 6, idSkip: true, strides: 1, seRatio: 0.25 },
];

/** Compound-scaling coefficients of one member: width, depth, resolution and top dropout. */
export interface EfficientNetScale {
  width: number;
  depth: number;
  resolution: number;
  dropout: number;
}

/** B0–B7 as Keras passes them to EfficientNet(). */
export const EFFICIENTNET_SCALES = {
  efficientnet_b0: { width: 1.0, depth: 1.0, resolution: 224, dropout: 0.2 },
  efficientnet_b1: { width: 1.0, depth: 1.1, resolution: 240, dropout: 0.2 },
  efficientnet_b2: { width: 1.1, depth: 1.2, resolution: 260, dropout: 0.3 },
  efficientnet_b3: { width: 1.2, depth: 1.4, resolution: 300, dropout: 0.3 },
  efficientnet_b4: { width: 1.4, depth: 1.8, resolution: 380, dropout: 0.4 },
  efficientnet_b5: { width: 1.6, depth: 2.2, resolution: 456, dropout: 0.4 },
  efficientnet_b6: { width: 1.8, depth: 2.6, resolution: 528, dropout: 0.5 },
  efficientnet_b7: { width: 2.0, depth: 3.1, resolution: 600, dropout: 0.5 },
} as const satisfies Record<string, EfficientNetScale>;

export type EfficientNetId = keyof typeof EFFICIENTNET_SCALES;

const DEPTH_DIVISOR = 8;
const DROP_CONNECT_RATE = 0.2;
/** ImageNet statistics the Normalization layer holds once Keras loads its weights. */
const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** Keras' round_filters: scale by the width coefficient, round to a multiple of 8, never more than 10% down. */
export function roundFilters(filters: number, width: number, divisor = DEPTH_DIVISOR): number {
  const scaled = filters * width;
  const rounded = Math.max(divisor, Math.floor(Math.floor(scaled + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * scaled ? rounded + divisor : rounded;
}

/** Keras' round_repeats: scale by the depth coefficient and round up. */
export const roundRepeats = (repeats: number, depth: number): number => Math.ceil(depth * repeats);

/** Arguments of one MBConv block after scaling. */
export interface MBConvArgs {
  filtersIn: number;
  filtersOut: number;
  kernelSize: number;
  strides: number;
  expandRatio: number;
  seRatio: number;
  idSkip: boolean;
  /** Drop-connect rate of the residual branch (a Dropout node before the add). */
  dropRate: number;
}

/**
 * Keras' EfficientNet `block` (MBConv): 1×1 expand + BN + swish (when expandRatio ≠ 1), depthwise
 * k×k + BN + swish, squeeze-and-excite on filtersIn·seRatio, 1×1 project + BN, then drop-connect
 * and the identity when the shape is kept. Names carry the `block{stage}{letter}_` prefix.
 */
export function mbConv(b: GraphBuilder, x: Tensor, a: MBConvArgs, prefix: string): Tensor {
  return b.scope(prefix.slice(0, -1), () => mbConvLayers(b, x, a, prefix));
}

function mbConvLayers(b: GraphBuilder, x: Tensor, a: MBConvArgs, prefix: string): Tensor {
  const filters = a.filtersIn * a.expandRatio;
  let y = x;
  if (a.expandRatio !== 1) {
    y = b.conv2d(y, { filters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand_conv` });
    y = b.batchNorm(y, { name: `${prefix}expand_bn` });
    y = b.activation(y, 'swish', `${prefix}expand_activation`);
  }
  if (a.strides === 2) y = b.zeroPad(y, correctPad(y, a.kernelSize), `${prefix}dwconv_pad`);
  y = b.depthwiseConv2d(y, { kernelSize: a.kernelSize, strides: a.strides, padding: a.strides === 2 ? 'valid' : 'same', useBias: false, name: `${prefix}dwconv` });
  y = b.batchNorm(y, { name: `${prefix}bn` });
  y = b.activation(y, 'swish', `${prefix}activation`);
  if (a.seRatio > 0 && a.seRatio <= 1) {
    const squeezed = Math.max(1, Math.trunc(a.filtersIn * a.seRatio));
    const gated = y;
    y = b.scope('se', () => {
      let se = b.globalAvgPool(gated, { name: `${prefix}se_squeeze` });
      se = b.reshape(se, [1, 1, filters], `${prefix}se_reshape`);
      se = b.conv2d(se, { filters: squeezed, kernelSize: 1, padding: 'same', activation: 'swish', name: `${prefix}se_reduce` });
      se = b.conv2d(se, { filters, kernelSize: 1, padding: 'same', activation: 'sigmoid', name: `${prefix}se_expand` });
      return b.multiply([gated, se], `${prefix}se_excite`);
    });
  }
  y = b.conv2d(y, { filters: a.filtersOut, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project_conv` });
  y = b.batchNorm(y, { name: `${prefix}project_bn` });
  if (a.idSkip && a.strides === 1 && a.filtersIn === a.filtersOut) {
    if (a.dropRate > 0) y = b.dropout(y, a.dropRate, `${prefix}drop`);
    y = b.add([y, x], `${prefix}add`);
  }
  return y;
}

/**
 * The generic Keras EfficientNet: Rescaling(1/255) and Normalization, a padded 3×3/2 stem, the
 * scaled stages (drop-connect growing linearly with block index), a 1×1 top conv, then the top.
 */
export function efficientnet(id: string, scale: EfficientNetScale, options: ModelOptions = {}, stages: readonly EfficientNetStage[] = EFFICIENTNET_B0_STAGES): GraphSpec {
  rejectUnknownOptions(id, options, ['dropout']);
  const dropout = rateOption(id, options, 'dropout', scale.dropout);
  const o = kerasOptions(options, { model: id, defaultSize: scale.resolution, minSize: 32 });
  const filtersOf = (f: number) => roundFilters(f, scale.width);

  const b = new GraphBuilder(id);
  let x = b.input(o.input, 'input');
  x = b.node('Rescaling', x, { scale: 1 / 255 }, 'rescaling');
  // Keras' imagenet build adds a weightless per-channel Rescaling so that its stored statistics
  // divide by the standard deviation; holding variance = std² here gives the same mapping in one node.
  x = b.node('Normalization', x, { mean: IMAGENET_MEAN, variance: IMAGENET_STD.map((s) => s * s) }, 'normalization');
  x = b.scope('stem', () => {
    const y = b.conv2d(b.zeroPad(x, correctPad(x, 3), 'stem_conv_pad'), { filters: filtersOf(32), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'stem_conv' });
    return b.activation(b.batchNorm(y, { name: 'stem_bn' }), 'swish', 'stem_activation');
  });

  const total = stages.reduce((s, st) => s + roundRepeats(st.repeats, scale.depth), 0);
  let index = 0;
  stages.forEach((st, i) => {
    const filtersIn = filtersOf(st.filtersIn);
    const filtersOut = filtersOf(st.filtersOut);
    const repeats = roundRepeats(st.repeats, scale.depth);
    // Keras names blocks block{stage}{letter}; the stage, block{stage}, is the level above them.
    b.scope(`block${i + 1}`, () => {
      for (let j = 0; j < repeats; j++) {
        x = mbConv(b, x, {
          filtersIn: j === 0 ? filtersIn : filtersOut,
          filtersOut,
          kernelSize: st.kernelSize,
          strides: j === 0 ? st.strides : 1,
          expandRatio: st.expandRatio,
          seRatio: st.seRatio,
          idSkip: st.idSkip,
          dropRate: (DROP_CONNECT_RATE * index) / total,
        }, `block${i + 1}${String.fromCharCode(97 + j)}_`);
        index++;
      }
    });
  });

  x = b.scope('top', () =>
    b.activation(b.batchNorm(b.conv2d(x, { filters: filtersOf(1280), kernelSize: 1, padding: 'same', useBias: false, name: 'top_conv' }), { name: 'top_bn' }), 'swish', 'top_activation'));
  if (o.includeTop) {
    x = b.globalAvgPool(x, { name: 'avg_pool' });
    if (dropout > 0) x = b.dropout(x, dropout, 'top_dropout');
    x = b.dense(x, { units: o.classes, activation: 'softmax', name: 'predictions' });
  } else if (o.pooling === 'avg') {
    x = b.globalAvgPool(x, { name: 'avg_pool' });
  } else if (o.pooling === 'max') {
    x = b.globalMaxPool(x, { name: 'max_pool' });
  }
  return b.build(x);
}

/** Published Keras accuracy (top-1, top-5) of each member. */
const ACCURACY: Record<EfficientNetId, [number, number]> = {
  efficientnet_b0: [0.771, 0.933],
  efficientnet_b1: [0.791, 0.944],
  efficientnet_b2: [0.801, 0.949],
  efficientnet_b3: [0.816, 0.957],
  efficientnet_b4: [0.829, 0.964],
  efficientnet_b5: [0.836, 0.967],
  efficientnet_b6: [0.84, 0.968],
  efficientnet_b7: [0.843, 0.97],
};

for (const id of Object.keys(EFFICIENTNET_SCALES) as EfficientNetId[]) {
  const scale = EFFICIENTNET_SCALES[id];
  const [top1, top5] = ACCURACY[id];
  registerModel(
    {
      id,
      family: 'efficientnet',
      year: 2019,
      paper: { title: 'EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks', url: 'https://arxiv.org/abs/1905.11946' },
      input: [scale.resolution, scale.resolution, 3],
      classes: 1000,
      accuracy: { top1, top5, source: 'Keras Applications table (keras.io/api/applications)' },
      licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/efficientnet.py)',
      reference: 'keras',
      // The model rescales and normalizes raw [0, 255] pixels itself.
      preprocessing: { mode: 'none', scale: 1 },
      // Keras letters the blocks of a stage: block2a, block2b, ...
      blocks: { template: 'block{stage}{index}_{rest}', index: 'letter' },
      description: `Keras EfficientNet: width ×${scale.width}, depth ×${scale.depth}, ${scale.resolution}×${scale.resolution} input, dropout ${scale.dropout}`,
    },
    (options) => efficientnet(id, scale, options),
  );
}
