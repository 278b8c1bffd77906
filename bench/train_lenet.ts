/**
 * The lecture's LeNet-5 (tanh, average pooling, 61,706 params) on the full MNIST, 28×28 padded to
 * 32×32, standardized, shifted by up to 2 pixels while training, batch 64, Adam with a cosine
 * schedule. Without the shifts it fits the training set and stops near 98.8%. Target: ≥ 99.0%
 * test accuracy. Prints one JSON line per epoch (samples/s, test accuracy) and a summary with the
 * epoch the target was reached.
 * Usage: node dist/bench/train_lenet.js [--epochs 20] [--threads N] [--out runs/lenet-mnist]
 */
import { getModel } from '../src/zoo/index.js';
import { runBench } from './tfjs_bench.js';

await runBench({
  name: 'lenet5-mnist',
  dataset: 'mnist',
  spec: getModel('lenet5'),
  options: { epochs: 20, batchSize: 64, optimizer: 'adam', lr: 1e-3, schedule: 'cosine', seed: 0 },
  data: { standardize: true, augment: 'shift' },
  target: 0.99,
});
