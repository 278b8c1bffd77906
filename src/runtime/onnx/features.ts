/**
 * A graph run over a whole set in ONNX Runtime, batch by batch, with every core: the frozen base
 * of a fine-tuning run computes its features this way, once per image. Batches are prepared on
 * demand, so a large set never exists in memory at the model's input size.
 */
import { numel } from '../../core/numel.js';
import type { Graph } from '../../graph/graph.js';
import type { WeightMap } from '../../weights/map.js';
import { closeSession, createSession, run } from './node.js';

/** How to run a set. */
export interface RunSetOptions {
  /** Samples per ONNX Runtime call (default 64). */
  batchSize?: number;
  /** Intra-op threads (default: ONNX Runtime's, one per core). */
  threads?: number;
  /** Called after each batch with the samples done so far. */
  onBatch?: (done: number, total: number) => void;
}

/**
 * Runs `graph` with `weights` over `count` samples; `inputs(start, end)` gives samples
 * [start, end) as NHWC floats of the graph's input shape. Returns the single output of every
 * sample, concatenated.
 */
export async function runOverSet(
  graph: Graph, weights: WeightMap, count: number, inputs: (start: number, end: number) => Float32Array, o: RunSetOptions = {},
): Promise<Float32Array> {
  const batchSize = o.batchSize ?? 64;
  const inShape = graph.inputs[0]!.shape;
  const perSample = numel(graph.shapes.get(graph.outputs[0]!)!);
  const session = await createSession(graph, { export: { weights }, ...(o.threads ? { threads: o.threads } : {}) });
  const out = new Float32Array(count * perSample);
  try {
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      const result = await run(session, { data: inputs(start, end), shape: [end - start, ...inShape] });
      out.set(result[session.outputNames[0]!]!.data, start * perSample);
      o.onBatch?.(end, count);
    }
  } finally {
    await closeSession(session);
  }
  return out;
}
