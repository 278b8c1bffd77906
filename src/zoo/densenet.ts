/**
 * DenseNet-121/169/201 as Keras Applications defines them: a 7×7 stem, four dense blocks joined by
 * transitions that halve channels and resolution, then BN-ReLU and the top. Members differ only
 * in how many conv blocks each dense block holds.
 */
import { GraphBuilder } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { denseBlock, transitionBlock } from './blocks.js';
import { rejectUnknownOptions } from './family_options.js';
import { KERAS_BLOCKS, kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelMeta, type ModelOptions } from './registry.js';

/** Conv blocks per dense block, as Keras' `blocks` argument. */
export const DENSENET_STAGES = {
  densenet121: [6, 12, 24, 16],
  densenet169: [6, 12, 32, 32],
  densenet201: [6, 12, 48, 32],
} as const;

export type DenseNetId = keyof typeof DENSENET_STAGES;

const GROWTH_RATE = 32;
const REDUCTION = 0.5;

/** Builds a DenseNet whose dense blocks hold `blocks[i]` conv blocks; Keras names throughout (conv2_block1_0_bn, pool2_conv, ...). */
export function densenet(id: string, blocks: readonly number[], options: ModelOptions = {}): GraphSpec {
  rejectUnknownOptions(id, options, []);
  const o = kerasOptions(options, { model: id, defaultSize: 224, minSize: 32 });
  const b = new GraphBuilder(id);
  let x = b.input(o.input, 'input');
  x = b.scope('conv1', () => {
    const y = b.conv2d(b.zeroPad(x, 3), { filters: 64, kernelSize: 7, strides: 2, useBias: false, name: 'conv1_conv' });
    return b.activation(b.batchNorm(y, { epsilon: 1.001e-5, name: 'conv1_bn' }), 'relu', 'conv1_relu');
  });
  x = b.scope('pool1', () => b.maxPool(b.zeroPad(x, 1), { poolSize: 3, strides: 2, name: 'pool1' }));
  blocks.forEach((n, i) => {
    // Keras numbers stages from conv2; a transition named pool{stage+1} follows every block but the last.
    x = denseBlock(b, x, { blocks: n, growthRate: GROWTH_RATE }, `conv${i + 2}`);
    if (i < blocks.length - 1) x = transitionBlock(b, x, { reduction: REDUCTION }, `pool${i + 2}`);
  });
  x = b.batchNorm(x, { epsilon: 1.001e-5, name: 'bn' });
  x = b.activation(x, 'relu', 'relu');
  return b.build(kerasTop(b, x, o, { topPool: 'avg_pool', avg: 'avg_pool', max: 'max_pool' }));
}

const ACCURACY: Record<DenseNetId, [number, number]> = {
  densenet121: [0.75, 0.923],
  densenet169: [0.762, 0.932],
  densenet201: [0.773, 0.936],
};

for (const id of Object.keys(DENSENET_STAGES) as DenseNetId[]) {
  const [top1, top5] = ACCURACY[id];
  const meta: ModelMeta = {
    id,
    family: 'densenet',
    year: 2016,
    paper: { title: 'Densely Connected Convolutional Networks', url: 'https://arxiv.org/abs/1608.06993' },
    input: [224, 224, 3],
    classes: 1000,
    accuracy: { top1, top5, source: 'Keras Applications table (keras.io/api/applications)' },
    licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/densenet.py)',
    reference: 'keras',
    preprocessing: { mode: 'torch', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    blocks: KERAS_BLOCKS,
    description: `DenseNet with dense blocks of ${DENSENET_STAGES[id].join(', ')} conv blocks, growth rate ${GROWTH_RATE}`,
  };
  registerModel(meta, (options) => densenet(id, DENSENET_STAGES[id], options));
}
