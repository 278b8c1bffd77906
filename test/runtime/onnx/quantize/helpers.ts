/** Shared by the quantization tests: float models with random weights, ORT runs and ORT's optimized graph. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { resolveGraph } from '../../../../src/graph/graph.js';
import type { GraphSpec } from '../../../../src/graph/types.js';
import { exportModel } from '../../../../src/runtime/onnx/export.js';
import { decodeModel, encodeModel, type ModelProto } from '../../../../src/onnx/proto.js';
import type { OrtModule } from '../../../../src/runtime/onnx/session.js';
import { initWeights } from '../../../../src/weights/init.js';
import { randomInput } from '../harness.js';

/** onnxruntime-node as the quantizer's injected engine. */
export const ORT = ort as unknown as OrtModule;

/** A float export with every weight random, BatchNorm statistics and biases included. */
export function floatModel(spec: GraphSpec, seed = 3): ModelProto {
  const graph = resolveGraph(spec);
  return exportModel(graph, { weights: initWeights(graph, { seed, randomizeConstants: true }) }).model;
}

/** The first output of a model on a batch (NHWC, values in [-1, 1)). */
export async function outputOf(model: ModelProto, shape: number[], seed = 1, level: 'disabled' | 'all' = 'all'): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(encodeModel(model), { graphOptimizationLevel: level, logSeverityLevel: 3 });
  try {
    const x = new ort.Tensor('float32', randomInput(shape, seed), shape);
    return (await s.run({ [s.inputNames[0]!]: x }))[s.outputNames[0]!]!.data as Float32Array;
  } finally {
    await s.release();
  }
}

/** The graph ONNX Runtime actually runs, after its optimizations (QDQ fusion among them). */
export async function optimized(model: ModelProto, level: 'extended' | 'all' = 'all'): Promise<ModelProto> {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-qtest-'));
  try {
    const file = join(dir, 'optimized.onnx');
    const s = await ort.InferenceSession.create(encodeModel(model), { graphOptimizationLevel: level, optimizedModelFilePath: file, logSeverityLevel: 3 });
    await s.release();
    return decodeModel(readFileSync(file), file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Largest absolute difference of two arrays. */
export const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** Node count by op type (with its domain when not the default one). */
export function opCounts(m: ModelProto): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of m.graph.node) {
    const key = n.domain ? `${n.domain}.${n.opType}` : n.opType;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
