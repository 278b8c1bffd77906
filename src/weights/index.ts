/**
 * Weights in Keras layout, keyed `node/weight`: the WeightMap every layer shares, the seeded
 * Keras-style initializer, and the layers-format weights manifest (read, bound to a graph, packed).
 * Reading weight files from disk (files.ts) is Node-only; the rest runs in a browser.
 */
export * from './map.js';
export * from './init.js';
export * from './manifest.js';
export * from './files.js';
