/**
 * SqueezeNet 1.1 as torchvision defines it: a strided 3×3 conv, then fire modules between
 * ceil-mode 3×3/2 max pools, and a classifier that is a 1×1 conv to `classes` channels with
 * ReLU, averaged over the whole map (no FC layer). Node names are torchvision's module paths
 * (features_3_squeeze, classifier_1), so a torchvision state dict maps onto them one to one.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { TORCH_PREPROCESSING } from './alexnet.js';
import { fireModule, type FireFilters } from './blocks.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelOptions } from './registry.js';

/** One row of the features Sequential: the first conv, a max pool, or a fire module. */
export type SqueezeRow = { conv: number; kernel: number; stride: number } | 'maxpool' | FireFilters;

const fire = (squeeze: number, expand: number): FireFilters => ({ squeeze, expand1x1: expand, expand3x3: expand });

/** SqueezeNet 1.1's features: pooling moved earlier than 1.0, so most fire modules run on smaller maps. */
export const SQUEEZENET_1_1: SqueezeRow[] = [
  { conv: 64, kernel: 3, stride: 2 },
  'maxpool',
  fire(16, 64),
  fire(16, 64),
  'maxpool',
  fire(32, 128),
  fire(32, 128),
  'maxpool',
  fire(48, 192),
  fire(48, 192),
  fire(64, 256),
  fire(64, 256),
];

/** The generic SqueezeNet builder; torchvision's index counts the first conv's ReLU as its own module. */
export function squeezeNet(id: string, rows: SqueezeRow[], options: ModelOptions = {}): GraphSpec {
  rejectUnknownOptions(id, options, []);
  const o = kerasOptions(options, { model: id, defaultSize: 224, minSize: 1 });
  const b = new GraphBuilder(id);
  let x: Tensor = b.input(o.input, 'input');
  let index = 0;
  for (const row of rows) {
    const name = `features_${index}`;
    if (row === 'maxpool') {
      x = b.maxPool(x, { poolSize: 3, strides: 2, ceilMode: true, name });
      index += 1;
    } else if ('conv' in row) {
      x = b.conv2d(x, { filters: row.conv, kernelSize: row.kernel, strides: row.stride, activation: 'relu', name });
      index += 2;
    } else {
      x = fireModule(b, x, row, name);
      index += 1;
    }
  }
  if (!o.includeTop) return b.build(kerasTop(b, x, o));
  x = b.dropout(x, 0.5, 'classifier_0');
  x = b.conv2d(x, { filters: o.classes, kernelSize: 1, activation: 'relu', name: 'classifier_1' });
  return b.build(b.globalAvgPool(x, { name: 'classifier_3' }));
}

/** Builds torchvision's SqueezeNet 1.1. */
export const squeezenet11 = (o: ModelOptions = {}): GraphSpec => squeezeNet('squeezenet1_1', SQUEEZENET_1_1, o);

registerModel(
  {
    id: 'squeezenet1_1',
    family: 'squeezenet',
    year: 2016,
    paper: { title: 'SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size', url: 'https://arxiv.org/abs/1602.07360' },
    input: [224, 224, 3],
    classes: 1000,
    accuracy: { top1: 0.58178, top5: 0.80624, source: 'torchvision SqueezeNet1_1_Weights.IMAGENET1K_V1' },
    licence: 'BSD-3-Clause (pytorch/vision, torchvision/models/squeezenet.py)',
    reference: 'torchvision',
    preprocessing: TORCH_PREPROCESSING,
    description: 'Fire modules (1×1 squeeze, then 1×1 and 3×3 expands) and a conv classifier averaged globally',
  },
  squeezenet11,
);
