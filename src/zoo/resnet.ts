/**
 * ResNet v1 as Keras Applications defines it (keras/src/applications/resnet.py): conv bias on,
 * the stride on the first 1×1 of a bottleneck, BN epsilon 1.001e-5. Four levels, as in Keras: a
 * block, a stack of blocks, one generic builder shared with ResNetV2, and thin entries that differ
 * only in how many blocks each stage holds.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { bottleneckBlock } from './blocks.js';
import { rejectUnknownOptions } from './family_options.js';
import { KERAS_BLOCKS, kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelMeta, type ModelOptions } from './registry.js';

/** BN epsilon of every Keras ResNet (v1 and v2). */
export const RESNET_BN_EPSILON = 1.001e-5;

/** Bottleneck widths of stages conv2…conv5; each block outputs 4× its width. */
export const STAGE_FILTERS = [64, 128, 256, 512] as const;

/** What distinguishes the members of the Keras ResNet family, as the arguments of Keras' `ResNet()`. */
export interface ResNetDef {
  id: string;
  /** Builds stages conv2…conv5 on the pooled stem. */
  stackFn: (b: GraphBuilder, x: Tensor) => Tensor;
  /** Pre-activation (v2): no BN-ReLU after the stem conv, BN-ReLU (`post_bn`, `post_relu`) after the last stage. */
  preact: boolean;
  useBias: boolean;
}

/** The generic Keras ResNet: padded 7×7/2 stem, padded 3×3/2 max pool, the stages, then the top. */
export function resnet(def: ResNetDef, options: ModelOptions): GraphSpec {
  rejectUnknownOptions(def.id, options, []);
  const o = kerasOptions(options, { model: def.id, defaultSize: 224, minSize: 32 });
  const b = new GraphBuilder(def.id);
  let x = b.input(o.input, 'input');
  x = b.scope('conv1', () => {
    let y = b.zeroPad(x, 3, 'conv1_pad');
    y = b.conv2d(y, { filters: 64, kernelSize: 7, strides: 2, useBias: def.useBias, name: 'conv1_conv' });
    if (def.preact) return y;
    y = b.batchNorm(y, { epsilon: RESNET_BN_EPSILON, name: 'conv1_bn' });
    return b.activation(y, 'relu', 'conv1_relu');
  });
  x = b.scope('pool1', () => b.maxPool(b.zeroPad(x, 1, 'pool1_pad'), { poolSize: 3, strides: 2, name: 'pool1_pool' }));
  x = def.stackFn(b, x);
  if (def.preact) {
    x = b.scope('post', () => b.activation(b.batchNorm(x, { epsilon: RESNET_BN_EPSILON, name: 'post_bn' }), 'relu', 'post_relu'));
  }
  return b.build(kerasTop(b, x, o, { topPool: 'avg_pool', avg: 'avg_pool', max: 'max_pool' }));
}

/**
 * Keras' residual_block_v1: a bottleneck of width `filters` (output 4·filters) with the stride on
 * its first 1×1 and conv bias, plus a projected (`_0_conv`, `_0_bn`) or identity shortcut.
 */
export function residualBlockV1(b: GraphBuilder, x: Tensor, filters: number, stride: number, convShortcut: boolean, name: string): Tensor {
  return bottleneckBlock(b, x, { filters: 4 * filters, stride, shortcut: convShortcut ? 'projection' : 'identity', useBias: true }, name);
}

/** Keras' stack_residual_blocks_v1: block1 projects and carries the stride, the rest keep the shape. */
export function stackV1(b: GraphBuilder, x: Tensor, filters: number, blocks: number, stride1: number, name: string): Tensor {
  return b.scope(name, () => {
    let y = residualBlockV1(b, x, filters, stride1, true, `${name}_block1`);
    for (let i = 2; i <= blocks; i++) y = residualBlockV1(b, y, filters, 1, false, `${name}_block${i}`);
    return y;
  });
}

/** Stages conv2…conv5 of a v1 ResNet with `blocks[i]` blocks each; conv2 keeps the pooled resolution. */
const stacksV1 = (blocks: readonly number[]) => (b: GraphBuilder, x: Tensor): Tensor =>
  blocks.reduce((y, n, i) => stackV1(b, y, STAGE_FILTERS[i]!, n, i === 0 ? 1 : 2, `conv${i + 2}`), x);

/** Keras ResNet50: [3, 4, 6, 3] bottleneck blocks. */
export const resnet50 = (o: ModelOptions = {}): GraphSpec =>
  resnet({ id: 'resnet50', stackFn: stacksV1([3, 4, 6, 3]), preact: false, useBias: true }, o);

/** Keras ResNet101: [3, 4, 23, 3] bottleneck blocks. */
export const resnet101 = (o: ModelOptions = {}): GraphSpec =>
  resnet({ id: 'resnet101', stackFn: stacksV1([3, 4, 23, 3]), preact: false, useBias: true }, o);

/** Keras ResNet152: [3, 8, 36, 3] bottleneck blocks. */
export const resnet152 = (o: ModelOptions = {}): GraphSpec =>
  resnet({ id: 'resnet152', stackFn: stacksV1([3, 8, 36, 3]), preact: false, useBias: true }, o);

/** Metadata shared by the Keras ResNet v1 entries. */
const V1_META = {
  family: 'resnet',
  year: 2015,
  paper: { title: 'Deep Residual Learning for Image Recognition', url: 'https://arxiv.org/abs/1512.03385' },
  input: [224, 224, 3],
  classes: 1000,
  licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/resnet.py)',
  reference: 'keras',
  // Keras 'caffe' mode: RGB to BGR, then subtract the ImageNet mean per channel (BGR order), no scaling.
  preprocessing: { mode: 'caffe', scale: 1, mean: [103.939, 116.779, 123.68] },
  blocks: KERAS_BLOCKS,
} satisfies Omit<ModelMeta, 'id'>;

const KERAS_TABLE = 'Keras Applications table (keras.io/api/applications)';

registerModel(
  { ...V1_META, id: 'resnet50', accuracy: { top1: 0.749, top5: 0.921, source: KERAS_TABLE }, description: 'Keras ResNet50: bottleneck stages [3, 4, 6, 3], conv bias, stride on the first 1×1' },
  resnet50,
);
registerModel(
  { ...V1_META, id: 'resnet101', accuracy: { top1: 0.764, top5: 0.928, source: KERAS_TABLE }, description: 'Keras ResNet101: bottleneck stages [3, 4, 23, 3]' },
  resnet101,
);
registerModel(
  {
    ...V1_META, id: 'resnet152', accuracy: { top1: 0.766, top5: 0.931, source: KERAS_TABLE },
    ilsvrc: { top5: 0.9643, year: 2015, source: 'He et al. 2015, Table 5: an ensemble of six models, ILSVRC-2015 test (3.57% top-5 error)' },
    lecture: { params: 60e6, gflops: 11.3, top5Error: 0.0357 },
    description: 'Keras ResNet152: bottleneck stages [3, 8, 36, 3]',
  },
  resnet152,
);
