/** Data layer: readers for IDX, CIFAR-10 binary and the digits CSV; transforms; batching; downloads. */
export * from './types.js';
export * from './datasets.js';
export * from './files.js';
export * from './idx.js';
export * from './cifar.js';
export * from './digits.js';
export * from './load.js';
export * from '../core/random.js';
export * from './transforms.js';
export * from './augment.js';
export * from './batches.js';
export * from './prepare.js';
export * from './summary.js';
export * from './sources.js';
export * from './download.js';
export * from './npy.js';
