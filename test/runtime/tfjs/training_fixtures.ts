/** Models and data shared by the training tests. */
import { GraphBuilder } from '../../../src/graph/builder.js';
import type { GraphSpec } from '../../../src/graph/types.js';
import type { TrainingData } from '../../../src/runtime/tfjs/data.js';

/** A small net with BatchNorm, dropout and max pooling on 32×32×1 inputs. */
export function smallNet(): GraphSpec {
  const b = new GraphBuilder('small');
  let y = b.conv2d(b.input([32, 32, 1]), { filters: 4, kernelSize: 3, strides: 2, useBias: false, name: 'conv' });
  y = b.activation(b.batchNorm(y, { name: 'bn' }), 'relu', 'relu');
  y = b.maxPool(y, { poolSize: 2, name: 'pool' });
  y = b.dropout(b.flatten(y, 'flatten'), 0.3, 'drop');
  return b.build(b.dense(y, { units: 10, activation: 'softmax', name: 'predictions' }));
}

/** The data with one NaN pixel in every 32×32 training image, so the very first batch (every slice of it) meets one. */
export function withNaNPixels(data: TrainingData): TrainingData {
  const images = Float32Array.from(data.train.images);
  for (let i = 0; i < data.train.count; i++) images[i * 32 * 32 + 5] = NaN;
  return { ...data, train: { ...data.train, images } };
}
