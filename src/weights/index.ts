/**
 * Weights in Keras layout, keyed `node/weight`: the WeightMap every layer shares, the seeded
 * Keras-style initializer, the layers-format weights manifest (read, bound to a graph, packed),
 * Keras weight files (HDF5 and .keras, bound in Keras' layer order) and Keras' published ImageNet
 * weights with their class names. Reading files from disk (files.ts, keras_h5.ts, keras_files.ts,
 * load.ts) is Node-only; the rest runs in a browser.
 */
export * from './map.js';
export * from './init.js';
export * from './manifest.js';
export * from './files.js';
export * from './keras_order.js';
export * from './keras_bind.js';
export * from './keras_h5.js';
export * from './keras_files.js';
export * from './imagenet.js';
export * from './imagenet_classes.js';
export * from './load.js';
