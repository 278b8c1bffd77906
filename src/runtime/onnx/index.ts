/**
 * The ONNX runtime on Node: export a graph to ONNX, open onnxruntime-node sessions on graphs,
 * bytes or files, run batches, benchmark and profile. The browser uses session.ts with
 * onnxruntime-web injected.
 */
export * from './export.js';
export * from './node.js';
export { runOverSet, type RunSetOptions } from './features.js';
export { OPTIMIZATION_LEVELS, openSession, checkBatch, type OptimizationLevel, type OrtModule, type SessionInput } from './session.js';
export { benchmark, latencyStats, percentile, perLayer, type BenchOptions } from './bench.js';
export { benchModel, type BenchTarget, type BenchModelOptions } from './bench_node.js';
export { quantizeStatic, type QuantRecord } from './quantize/quantize.js';
export { randomSamples } from './quantize/samples.js';
