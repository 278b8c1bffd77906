/**
 * Inception-ResNet-v2 as Keras Applications defines it: a stem, Inception-A/B/C residual blocks
 * (block35, block17, block8) whose branches are concatenated, projected by a biased 1×1 conv and
 * added to the input scaled (x + scale·r), with reduction blocks mixed_6a and mixed_7a between.
 * Every other conv is conv2d_bn: bias-free conv, batch norm without γ (scale=False), ReLU.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import type { ActivationFn } from '../ops/types.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelOptions } from './registry.js';

/** One conv2d_bn: filters, kernel, then stride (default 1) and padding (default 'same'). */
type ConvSpec = [filters: number, kernel: number | [number, number], strides?: number, padding?: 'same' | 'valid'];

/** A branch of a mixed block: an optional 3×3 pool first, then conv2d_bn units in order. */
interface Branch {
  pool?: { kind: 'max' | 'avg'; strides: number; padding: 'same' | 'valid' };
  convs: ConvSpec[];
}

/** Options of Keras' conv2d_bn. */
interface ConvBnOptions {
  strides?: number;
  padding?: 'same' | 'valid';
  activation?: ActivationFn | null;
  useBias?: boolean;
  /** Prefix of `name`, `name_bn`, `name_ac`; unnamed nodes take Keras' automatic names. */
  name?: string;
}

/**
 * Keras' conv2d_bn: conv, then (when bias-free) batch norm with β only, then the activation.
 * Unnamed, as most of Keras' are, so its nodes are numbered conv2d_N, batch_normalization_N, activation_N.
 */
export function conv2dBn(b: GraphBuilder, x: Tensor, filters: number, kernel: number | [number, number], o: ConvBnOptions = {}): Tensor {
  const useBias = o.useBias ?? false;
  const activation = o.activation === undefined ? 'relu' : o.activation;
  const named = (suffix: string) => (o.name ? { name: `${o.name}${suffix}` } : {});
  let y = b.conv2d(x, { filters, kernelSize: kernel, strides: o.strides ?? 1, padding: o.padding ?? 'same', useBias, ...named('') });
  if (!useBias) y = b.batchNorm(y, { scale: false, ...named('_bn') });
  if (activation) y = b.activation(y, activation, o.name ? `${o.name}_ac` : undefined);
  return y;
}

function branch(b: GraphBuilder, x: Tensor, spec: Branch): Tensor {
  let y = x;
  if (spec.pool) {
    const pool = { poolSize: 3, strides: spec.pool.strides, padding: spec.pool.padding };
    y = spec.pool.kind === 'max' ? b.maxPool(y, pool) : b.avgPool(y, pool);
  }
  for (const [filters, kernel, strides, padding] of spec.convs) y = conv2dBn(b, y, filters, kernel, { strides: strides ?? 1, padding: padding ?? 'same' });
  return y;
}

/** Builds the branches in order, each a block `branch_k` as Keras names their variables, and concatenates them as `name`. */
function concatBranches(b: GraphBuilder, x: Tensor, branches: Branch[], name: string): Tensor {
  return b.concat(branches.map((s, k) => b.scope(`branch_${k}`, () => branch(b, x, s))), { name });
}

/** A mixed (reduction) block `name` (mixed_5b, mixed_6a, mixed_7a): its branches concatenated. */
export function mixedBlock(b: GraphBuilder, x: Tensor, branches: Branch[], name: string): Tensor {
  return b.scope(name, () => concatBranches(b, x, branches, name));
}

export type ResidualBlockType = 'block35' | 'block17' | 'block8';

/** The residual branches of Inception-ResNet-A (block35), -B (block17) and -C (block8). */
export const RESIDUAL_BRANCHES: Record<ResidualBlockType, Branch[]> = {
  block35: [
    { convs: [[32, 1]] },
    { convs: [[32, 1], [32, 3]] },
    { convs: [[32, 1], [48, 3], [64, 3]] },
  ],
  block17: [
    { convs: [[192, 1]] },
    { convs: [[128, 1], [160, [1, 7]], [192, [7, 1]]] },
  ],
  block8: [
    { convs: [[192, 1]] },
    { convs: [[192, 1], [224, [1, 3]], [256, [3, 1]]] },
  ],
};

/**
 * One Inception-ResNet block `${type}_${index}`: mixed branches, a biased 1×1 conv back to the
 * input width, then x + scale·r (Keras' CustomScaleLayer) and an optional ReLU.
 */
export function inceptionResnetBlock(
  b: GraphBuilder, x: Tensor, o: { type: ResidualBlockType; index: number; scale: number; activation?: ActivationFn | null },
): Tensor {
  const name = `${o.type}_${o.index}`;
  return b.scope(name, () => {
    const mixed = concatBranches(b, x, RESIDUAL_BRANCHES[o.type], `${name}_mixed`);
    const up = conv2dBn(b, mixed, x.shape[2]!, 1, { activation: null, useBias: true, name: `${name}_conv` });
    const y = b.node('ScaledAdd', [x, up], { scale: o.scale }, name);
    const activation = o.activation === undefined ? 'relu' : o.activation;
    return activation ? b.activation(y, activation, `${name}_ac`) : y;
  });
}

/** The network as data: stem layers, then stages of mixed (reduction) blocks and repeated residual blocks. */
export const INCEPTION_RESNET_V2 = {
  stem: [[32, 3, 2, 'valid'], [32, 3, 1, 'valid'], [64, 3], 'maxpool', [80, 1, 1, 'valid'], [192, 3, 1, 'valid'], 'maxpool'] as Array<ConvSpec | 'maxpool'>,
  stages: [
    {
      mixed: 'mixed_5b',
      branches: [
        { convs: [[96, 1]] },
        { convs: [[48, 1], [64, 5]] },
        { convs: [[64, 1], [96, 3], [96, 3]] },
        { pool: { kind: 'avg', strides: 1, padding: 'same' }, convs: [[64, 1]] },
      ] as Branch[],
      repeat: { type: 'block35', count: 10, scale: 0.17 },
    },
    {
      mixed: 'mixed_6a',
      branches: [
        { convs: [[384, 3, 2, 'valid']] },
        { convs: [[256, 1], [256, 3], [384, 3, 2, 'valid']] },
        { pool: { kind: 'max', strides: 2, padding: 'valid' }, convs: [] },
      ] as Branch[],
      repeat: { type: 'block17', count: 20, scale: 0.1 },
    },
    {
      mixed: 'mixed_7a',
      branches: [
        { convs: [[256, 1], [384, 3, 2, 'valid']] },
        { convs: [[256, 1], [288, 3, 2, 'valid']] },
        { convs: [[256, 1], [288, 3], [320, 3, 2, 'valid']] },
        { pool: { kind: 'max', strides: 2, padding: 'valid' }, convs: [] },
      ] as Branch[],
      repeat: { type: 'block8', count: 10, scale: 0.2 },
    },
  ] as Array<{ mixed: string; branches: Branch[]; repeat: { type: ResidualBlockType; count: number; scale: number } }>,
  /** Final 1×1 conv2d_bn width. */
  head: 1536,
};

/** Builds Inception-ResNet-v2 with Keras' layer names (mixed_5b, block35_1 … block8_10, conv_7b, avg_pool, predictions). */
export function inceptionResnetV2(options: ModelOptions = {}): GraphSpec {
  rejectUnknownOptions('inception_resnet_v2', options, []);
  const o = kerasOptions(options, { model: 'inception_resnet_v2', defaultSize: 299, minSize: 75 });
  const b = new GraphBuilder('inception_resnet_v2');
  let x = b.input(o.input, 'input');
  // Keras names no stem and no stage; the blocks are named here (stem; block35, block17, block8 for each run of residual blocks).
  x = b.scope('stem', () =>
    INCEPTION_RESNET_V2.stem.reduce(
      (y, layer) => (layer === 'maxpool' ? b.maxPool(y, { poolSize: 3, strides: 2 }) : conv2dBn(b, y, layer[0], layer[1], { strides: layer[2] ?? 1, padding: layer[3] ?? 'same' })),
      x,
    ));
  const stages = INCEPTION_RESNET_V2.stages;
  stages.forEach((stage, s) => {
    x = mixedBlock(b, x, stage.branches, stage.mixed);
    const { type, count, scale } = stage.repeat;
    x = b.scope(type, () => {
      let y = x;
      for (let i = 1; i <= count; i++) {
        // Keras ends the network with an unscaled, unactivated block8_10 before conv_7b.
        const last = s === stages.length - 1 && i === count;
        y = inceptionResnetBlock(b, y, last ? { type, index: i, scale: 1, activation: null } : { type, index: i, scale });
      }
      return y;
    });
  });
  x = conv2dBn(b, x, INCEPTION_RESNET_V2.head, 1, { name: 'conv_7b' });
  return b.build(kerasTop(b, x, o, { topPool: 'avg_pool' }));
}

registerModel(
  {
    id: 'inception_resnet_v2',
    family: 'inception_resnet',
    year: 2016,
    paper: {
      title: 'Inception-v4, Inception-ResNet and the Impact of Residual Connections on Learning',
      url: 'https://arxiv.org/abs/1602.07261',
    },
    input: [299, 299, 3],
    classes: 1000,
    accuracy: { top1: 0.803, top5: 0.953, source: 'Keras Applications table (keras.io/api/applications)' },
    licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/inception_resnet_v2.py)',
    reference: 'keras',
    preprocessing: { mode: 'tf', scale: 1 / 127.5, mean: [1, 1, 1], std: [1, 1, 1] },
    description: 'Inception modules with scaled residual connections',
  },
  inceptionResnetV2,
);
