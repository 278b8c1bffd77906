/** convlab's public API. */
export * from './graph/index.js';
export * from './ops/index.js';
export * from './analysis/index.js';
export * from './zoo/index.js';
export * from './rewrite/index.js';
