/** Analysis layer: per-layer metrics, totals, memory model and conventions. */
export * from './analyze.js';
export * from './memory.js';
