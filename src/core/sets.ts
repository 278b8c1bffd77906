/**
 * The closed sets of names several layers share, each an `as const` list with its type. The
 * analysis, the runtimes, the command line and the web page read their choices from here, so a
 * new value is added once and every table typed `Record<…>` over it fails to compile until it
 * handles the value.
 */

/** FLOP-counting conventions; see docs/metrics.md. */
export const CONVENTIONS = ['lecture', 'macs', 'flops'] as const;
/** One of CONVENTIONS. */
export type Convention = (typeof CONVENTIONS)[number];

/** How BatchNorm-style statistics are counted: Keras (non-trainable params) or torch (buffers, not params). */
export const PARAM_CONVENTIONS = ['keras', 'torch'] as const;
/** One of PARAM_CONVENTIONS. */
export type ParamConvention = (typeof PARAM_CONVENTIONS)[number];

/** Element types for memory figures: int8 is what a quantized model stores (convlab export --quantize int8). */
export const DTYPES = ['fp32', 'fp16', 'bf16', 'int8'] as const;
/** One of DTYPES. */
export type DType = (typeof DTYPES)[number];
/** Bytes per element of each DType. */
export const DTYPE_BYTES: Record<DType, number> = { fp32: 4, fp16: 2, bf16: 2, int8: 1 };

/** Optimizers, for training memory (their state) and for training itself. */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
/** One of OPTIMIZERS. */
export type Optimizer = (typeof OPTIMIZERS)[number];

/** Learning-rate schedules of training. */
export const SCHEDULES = ['constant', 'step', 'cosine'] as const;
/** One of SCHEDULES. */
export type ScheduleName = (typeof SCHEDULES)[number];

/** TensorFlow.js backends convlab trains on: wasm (default) or the slow pure-JS cpu fallback. */
export const BACKENDS = ['wasm', 'cpu'] as const;
/** One of BACKENDS. */
export type BackendName = (typeof BACKENDS)[number];

/** Training-time augmentations: none, ±2 px shifts, or ±4 px crops with mirroring. */
export const AUGMENTATIONS = ['none', 'shift', 'crop-flip'] as const;
/** One of AUGMENTATIONS. */
export type AugmentationName = (typeof AUGMENTATIONS)[number];
