/**
 * Fashion-MNIST with a small CNN written as a convlab spec (bench/specs/fashion_cnn.json: two
 * 3×3 conv-BN-ReLU-pool stages of 32 and 64 filters, a 128-unit dense layer with dropout), batch
 * 64, Adam with a cosine schedule. Target: ≥ 90% test accuracy.
 * Usage: node dist/bench/train_fashion.js [--epochs 8] [--threads N] [--out runs/fashion-cnn]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphSpec } from '../src/graph/types.js';
import { runBench } from './tfjs_bench.js';

const here = dirname(fileURLToPath(import.meta.url));
// The spec lives beside the sources (bench/specs), two levels up from dist/bench.
const spec = JSON.parse(readFileSync(join(here, '..', '..', 'bench', 'specs', 'fashion_cnn.json'), 'utf8')) as GraphSpec;

await runBench({
  name: 'cnn-fashion-mnist',
  dataset: 'fashion-mnist',
  spec,
  options: { epochs: 8, batchSize: 64, optimizer: 'adam', lr: 2e-3, schedule: 'cosine', seed: 0 },
  target: 0.9,
});
