/**
 * ResNetV2 as Keras Applications defines it (keras/src/applications/resnet_v2.py and the v2 blocks
 * of resnet.py): pre-activation blocks (BN-ReLU before the convs), the stride on the 3×3 of the
 * last block of a stage, shortcuts from the pre-activated input, and the generic ResNet builder.
 */
import type { GraphBuilder, Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { registerModel, type ModelMeta, type ModelOptions } from './registry.js';
import { KERAS_BLOCKS } from './keras_app.js';
import { resnet, RESNET_BN_EPSILON, STAGE_FILTERS } from './resnet.js';

/**
 * Keras' residual_block_v2: `_preact_bn`/`_preact_relu`, a bias-free 1×1 and a padded, strided,
 * bias-free 3×3, then a 1×1 to 4·filters with bias. The shortcut is a 1×1 conv of the
 * pre-activated input, or the raw input (subsampled by an unnamed 1×1 max pool when strided).
 */
export function residualBlockV2(b: GraphBuilder, x: Tensor, filters: number, stride: number, convShortcut: boolean, name: string): Tensor {
  return b.scope(name, () => blockV2Layers(b, x, filters, stride, convShortcut, name));
}

function blockV2Layers(b: GraphBuilder, x: Tensor, filters: number, stride: number, convShortcut: boolean, name: string): Tensor {
  let preact = b.batchNorm(x, { epsilon: RESNET_BN_EPSILON, name: `${name}_preact_bn` });
  preact = b.activation(preact, 'relu', `${name}_preact_relu`);
  let shortcut = x;
  if (convShortcut) shortcut = b.conv2d(preact, { filters: 4 * filters, kernelSize: 1, strides: stride, name: `${name}_0_conv` });
  else if (stride > 1) shortcut = b.maxPool(x, { poolSize: 1, strides: stride });
  let y = b.conv2d(preact, { filters, kernelSize: 1, useBias: false, name: `${name}_1_conv` });
  y = b.batchNorm(y, { epsilon: RESNET_BN_EPSILON, name: `${name}_1_bn` });
  y = b.activation(y, 'relu', `${name}_1_relu`);
  y = b.zeroPad(y, 1, `${name}_2_pad`);
  y = b.conv2d(y, { filters, kernelSize: 3, strides: stride, useBias: false, name: `${name}_2_conv` });
  y = b.batchNorm(y, { epsilon: RESNET_BN_EPSILON, name: `${name}_2_bn` });
  y = b.activation(y, 'relu', `${name}_2_relu`);
  y = b.conv2d(y, { filters: 4 * filters, kernelSize: 1, name: `${name}_3_conv` });
  return b.add([shortcut, y], `${name}_out`);
}

/** Keras' stack_residual_blocks_v2: block1 projects without striding; the last block carries `stride1`. */
export function stackV2(b: GraphBuilder, x: Tensor, filters: number, blocks: number, stride1: number, name: string): Tensor {
  return b.scope(name, () => {
    let y = residualBlockV2(b, x, filters, 1, true, `${name}_block1`);
    for (let i = 2; i < blocks; i++) y = residualBlockV2(b, y, filters, 1, false, `${name}_block${i}`);
    return residualBlockV2(b, y, filters, stride1, false, `${name}_block${blocks}`);
  });
}

/** Stages conv2…conv5 of a v2 ResNet; every stage but conv5 halves the resolution at its end. */
const stacksV2 = (blocks: readonly number[]) => (b: GraphBuilder, x: Tensor): Tensor =>
  blocks.reduce((y, n, i) => stackV2(b, y, STAGE_FILTERS[i]!, n, i === blocks.length - 1 ? 1 : 2, `conv${i + 2}`), x);

/** Keras ResNet50V2: [3, 4, 6, 3] pre-activation blocks. */
export const resnet50V2 = (o: ModelOptions = {}): GraphSpec =>
  resnet({ id: 'resnet50_v2', stackFn: stacksV2([3, 4, 6, 3]), preact: true, useBias: true }, o);

/** Keras ResNet101V2: [3, 4, 23, 3] pre-activation blocks. */
export const resnet101V2 = (o: ModelOptions = {}): GraphSpec =>
  resnet({ id: 'resnet101_v2', stackFn: stacksV2([3, 4, 23, 3]), preact: true, useBias: true }, o);

/** Keras ResNet152V2: [3, 8, 36, 3] pre-activation blocks. */
export const resnet152V2 = (o: ModelOptions = {}): GraphSpec =>
  resnet({ id: 'resnet152_v2', stackFn: stacksV2([3, 8, 36, 3]), preact: true, useBias: true }, o);

const V2_META = {
  family: 'resnet_v2',
  year: 2016,
  paper: { title: 'Identity Mappings in Deep Residual Networks', url: 'https://arxiv.org/abs/1603.05027' },
  input: [224, 224, 3],
  classes: 1000,
  licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/resnet_v2.py)',
  reference: 'keras',
  // Keras 'tf' mode: x / 127.5 - 1, written as scale to [0, 1] then (x - 0.5) / 0.5.
  preprocessing: { mode: 'tf', scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  blocks: KERAS_BLOCKS,
} satisfies Omit<ModelMeta, 'id'>;

const KERAS_TABLE = 'Keras Applications table (keras.io/api/applications)';

registerModel(
  { ...V2_META, id: 'resnet50_v2', accuracy: { top1: 0.76, top5: 0.93, source: KERAS_TABLE }, description: 'Keras ResNet50V2: pre-activation bottlenecks [3, 4, 6, 3]' },
  resnet50V2,
);
registerModel(
  { ...V2_META, id: 'resnet101_v2', accuracy: { top1: 0.772, top5: 0.938, source: KERAS_TABLE }, description: 'Keras ResNet101V2: pre-activation bottlenecks [3, 4, 23, 3]' },
  resnet101V2,
);
registerModel(
  { ...V2_META, id: 'resnet152_v2', accuracy: { top1: 0.78, top5: 0.942, source: KERAS_TABLE }, description: 'Keras ResNet152V2: pre-activation bottlenecks [3, 8, 36, 3]' },
  resnet152V2,
);
