/**
 * VGG: five stages of 3×3 'same' convs, each closed by a 2×2/2 max pool, then three FC layers.
 * A configuration is only the number of convs per stage (the paper's Table 1 columns A, B, D, E),
 * so VGG11 … VGG19 and their batch-norm variants come from one builder.
 * Names follow Keras (block1_conv1 … block5_pool, flatten, fc1, fc2, predictions), so Keras'
 * VGG16 and VGG19 weight files map one to one; the _bn variants add `block1_conv1_bn` and
 * `block1_conv1_relu` after each conv and take torchvision's top.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { TORCH_PREPROCESSING } from './alexnet.js';
import { adaptiveAvgPool } from './blocks.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop, type KerasOptions } from './keras_app.js';
import { registerModel, type Accuracy, type ModelMeta, type ModelOptions } from './registry.js';

/** Filters of the five stages; every configuration shares them. */
export const VGG_WIDTHS = [64, 128, 256, 512, 512] as const;

/** Convs per stage of each configuration. */
export const VGG_CONFIGS = {
  vgg11: [1, 1, 2, 2, 2],
  vgg13: [2, 2, 2, 2, 2],
  vgg16: [2, 2, 3, 3, 3],
  vgg19: [2, 2, 4, 4, 4],
} as const;
export type VggConfig = keyof typeof VGG_CONFIGS;

/** How a variant is built: batch norm after each conv, and whose top it carries. */
export interface VggVariant {
  batchNorm: boolean;
  /**
   * 'keras': flatten, fc1, fc2 (ReLU) and a softmax `predictions`.
   * 'torchvision': a 7×7 adaptive average pool first, dropout 0.5 after fc1 and fc2, and logits.
   */
  top: 'keras' | 'torchvision';
}

/**
 * One VGG stage `block{stage}`: `convs` 3×3 'same' convs with ReLU (with batch norm, conv → BN →
 * ReLU as torchvision's make_layers, eps 1e-5), then the 2×2/2 max pool.
 */
export function vggBlock(b: GraphBuilder, x: Tensor, o: { filters: number; convs: number; batchNorm: boolean }, stage: number): Tensor {
  return b.scope(`block${stage}`, () => {
    let y = x;
    for (let i = 1; i <= o.convs; i++) {
      const name = `block${stage}_conv${i}`;
      if (o.batchNorm) {
        y = b.conv2d(y, { filters: o.filters, kernelSize: 3, padding: 'same', name });
        y = b.batchNorm(y, { epsilon: 1e-5, momentum: 0.9, name: `${name}_bn` });
        y = b.activation(y, 'relu', `${name}_relu`);
      } else {
        y = b.conv2d(y, { filters: o.filters, kernelSize: 3, padding: 'same', activation: 'relu', name });
      }
    }
    return b.maxPool(y, { poolSize: 2, strides: 2, name: `block${stage}_pool` });
  });
}

function vggTop(b: GraphBuilder, x: Tensor, o: KerasOptions, style: VggVariant['top']): Tensor {
  const torch = style === 'torchvision';
  let y = torch ? adaptiveAvgPool(b, x, 7, 'avgpool') : x;
  y = b.flatten(y, 'flatten');
  for (const fc of ['fc1', 'fc2']) {
    y = b.dense(y, { units: 4096, activation: 'relu', name: fc });
    if (torch) y = b.dropout(y, 0.5, `${fc}_dropout`);
  }
  return b.dense(y, { units: o.classes, activation: torch ? 'linear' : 'softmax', name: 'predictions' });
}

/** The generic VGG builder: one configuration, one variant, the common options. */
export function vgg(id: string, config: VggConfig, variant: VggVariant, options: ModelOptions = {}): GraphSpec {
  rejectUnknownOptions(id, options, []);
  const o = kerasOptions(options, { model: id, defaultSize: 224, minSize: 32 });
  const b = new GraphBuilder(id);
  let x = b.input(o.input, 'input');
  VGG_CONFIGS[config].forEach((convs, i) => {
    x = vggBlock(b, x, { filters: VGG_WIDTHS[i]!, convs, batchNorm: variant.batchNorm }, i + 1);
  });
  return b.build(o.includeTop ? vggTop(b, x, o, variant.top) : kerasTop(b, x, o));
}

const PAPER = { title: 'Very Deep Convolutional Networks for Large-Scale Image Recognition', url: 'https://arxiv.org/abs/1409.1556' };
const KERAS_LICENCE = (file: string) => `Apache-2.0 (keras-team/keras, keras/src/applications/${file})`;
const TORCH_LICENCE = 'BSD-3-Clause (pytorch/vision, torchvision/models/vgg.py)';
const CAFFE_PREPROCESSING = { mode: 'caffe' as const, mean: [103.939, 116.779, 123.68] };
const torchAccuracy = (top1: number, top5: number, weights: string): Accuracy => ({ top1, top5, source: `torchvision ${weights}.IMAGENET1K_V1` });

/** The registered VGG ids: configuration, variant and the metadata of the definition each follows. */
/** VGG16's ILSVRC-2014 entry and its row in the lecture's table. */
const VGG16_RESULTS: Pick<ModelMeta, 'ilsvrc' | 'lecture'> = {
  ilsvrc: { top5: 0.927, year: 2014, source: 'Simonyan & Zisserman 2015, Table 7: the ILSVRC-2014 submission, seven nets, test (7.3% top-5 error)' },
  lecture: {
    params: 138e6, gflops: 13.6, top5Error: 0.073,
    notes: { gflops: "the slide's 13.6 disagrees with the lecture's own VGG16 table, whose conv and FC rows add up to 15.5 G multiply-accumulates" },
  },
};

const ENTRIES: Array<{ id: string; config: VggConfig; batchNorm: boolean; reference: string; licence: string; accuracy: Accuracy } & Pick<ModelMeta, 'ilsvrc' | 'lecture'>> = [
  { id: 'vgg11', config: 'vgg11', batchNorm: false, reference: 'paper', licence: 'definition from the paper (configuration A)', accuracy: torchAccuracy(0.6902, 0.88628, 'VGG11_Weights') },
  { id: 'vgg13', config: 'vgg13', batchNorm: false, reference: 'paper', licence: 'definition from the paper (configuration B)', accuracy: torchAccuracy(0.69928, 0.89246, 'VGG13_Weights') },
  { id: 'vgg16', config: 'vgg16', batchNorm: false, reference: 'keras', licence: KERAS_LICENCE('vgg16.py'), accuracy: { top1: 0.713, top5: 0.901, source: 'Keras Applications table (keras.io/api/applications)' }, ...VGG16_RESULTS },
  { id: 'vgg19', config: 'vgg19', batchNorm: false, reference: 'keras', licence: KERAS_LICENCE('vgg19.py'), accuracy: { top1: 0.713, top5: 0.9, source: 'Keras Applications table (keras.io/api/applications)' } },
  { id: 'vgg11_bn', config: 'vgg11', batchNorm: true, reference: 'torchvision', licence: TORCH_LICENCE, accuracy: torchAccuracy(0.7037, 0.8981, 'VGG11_BN_Weights') },
  { id: 'vgg13_bn', config: 'vgg13', batchNorm: true, reference: 'torchvision', licence: TORCH_LICENCE, accuracy: torchAccuracy(0.71586, 0.90374, 'VGG13_BN_Weights') },
  { id: 'vgg16_bn', config: 'vgg16', batchNorm: true, reference: 'torchvision', licence: TORCH_LICENCE, accuracy: torchAccuracy(0.7336, 0.91516, 'VGG16_BN_Weights') },
  { id: 'vgg19_bn', config: 'vgg19', batchNorm: true, reference: 'torchvision', licence: TORCH_LICENCE, accuracy: torchAccuracy(0.74218, 0.91842, 'VGG19_BN_Weights') },
];

for (const e of ENTRIES) {
  const variant: VggVariant = { batchNorm: e.batchNorm, top: e.batchNorm ? 'torchvision' : 'keras' };
  const depth = VGG_CONFIGS[e.config].reduce((s, c) => s + c, 0) + 3;
  registerModel(
    {
      id: e.id,
      family: 'vgg',
      year: 2014,
      paper: PAPER,
      input: [224, 224, 3],
      classes: 1000,
      accuracy: e.accuracy,
      ...(e.ilsvrc ? { ilsvrc: e.ilsvrc } : {}),
      ...(e.lecture ? { lecture: e.lecture } : {}),
      licence: e.licence,
      reference: e.reference,
      preprocessing: e.batchNorm ? TORCH_PREPROCESSING : CAFFE_PREPROCESSING,
      // A stage's convs are its repeated blocks: block3_conv1, block3_conv2 (with _bn and _relu in the _bn variants).
      blocks: { template: 'block{stage}_conv{index}{rest}', index: 'number' },
      description: `VGG with ${depth} weight layers: stages of 3×3 convs (${VGG_CONFIGS[e.config].join('-')}) and 2×2 pools${e.batchNorm ? ', batch norm after each conv' : ''}, three FC layers`,
    },
    (o) => vgg(e.id, e.config, variant, o),
  );
}
