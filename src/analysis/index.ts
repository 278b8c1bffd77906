/** Analysis layer: per-layer metrics, totals, memory model and conventions. */
export * from './types.js';
export * from './analyze.js';
export * from './peak.js';
export * from './memory.js';
export { DTYPES, DTYPE_BYTES, OPTIMIZERS, PARAM_CONVENTIONS, type DType, type Optimizer, type ParamConvention } from '../core/sets.js';
