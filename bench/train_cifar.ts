/**
 * A small CNN on the CIFAR-10 subset (4,000 training and 1,000 test images): three 3×3
 * conv-BN-ReLU stages of 32, 64 and 128 filters, global average pooling, dropout, softmax
 * (bench/specs/cifar_cnn.json). Standardized per channel, augmented with random crops and flips,
 * batch 64, Adam with a cosine schedule. There is no target: it reports what the subset allows.
 * Usage: node dist/bench/train_cifar.js [--epochs 40] [--threads N] [--out runs/cifar-cnn]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphSpec } from '../src/graph/types.js';
import { runBench } from './tfjs_bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const spec = JSON.parse(readFileSync(join(here, '..', '..', 'bench', 'specs', 'cifar_cnn.json'), 'utf8')) as GraphSpec;

await runBench({
  name: 'cnn-cifar10-subset',
  dataset: 'cifar10',
  spec,
  options: { epochs: 40, batchSize: 64, optimizer: 'adam', lr: 3e-3, schedule: 'cosine', seed: 0 },
});
