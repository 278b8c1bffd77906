/** LeNet-5 as the lecture tabulates it: 32×32×1 input, tanh convs, average pooling, three FC layers. */
import { GraphBuilder } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { registerModel, type ModelOptions } from './registry.js';

/** Builds LeNet-5; `classes` sets the output units, `input` the image size. */
export function lenet5(o: ModelOptions = {}): GraphSpec {
  const b = new GraphBuilder('lenet5');
  const x = b.input(o.input ?? [32, 32, 1], 'input');
  let y = b.conv2d(x, { filters: 6, kernelSize: 5, activation: 'tanh', name: 'conv1' });
  y = b.avgPool(y, { poolSize: 2, strides: 2, name: 'pool1' });
  y = b.conv2d(y, { filters: 16, kernelSize: 5, activation: 'tanh', name: 'conv2' });
  y = b.avgPool(y, { poolSize: 2, strides: 2, name: 'pool2' });
  if (o.includeTop === false) {
    if (o.pooling === 'avg') y = b.globalAvgPool(y, { name: 'avg_pool' });
    else if (o.pooling === 'max') y = b.globalMaxPool(y, { name: 'max_pool' });
    return b.build(y);
  }
  y = b.flatten(y, 'flatten');
  y = b.dense(y, { units: 120, activation: 'tanh', name: 'fc1' });
  y = b.dense(y, { units: 84, activation: 'tanh', name: 'fc2' });
  y = b.dense(y, { units: o.classes ?? 10, activation: 'softmax', name: 'predictions' });
  return b.build(y);
}

registerModel(
  {
    id: 'lenet5',
    family: 'lenet',
    year: 1998,
    paper: { title: 'Gradient-based learning applied to document recognition', url: 'http://vision.stanford.edu/cs598_spring07/papers/Lecun98.pdf' },
    input: [32, 32, 1],
    classes: 10,
    licence: 'definition from the paper',
    reference: 'lecture',
    preprocessing: { scale: 1 / 255, mode: 'none' },
    description: 'Conv-pool-conv-pool then three FC layers, as the lecture tabulates it',
  },
  lenet5,
);
