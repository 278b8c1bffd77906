/** Shared by the ONNX tests: run a spec in ORT and in the reference on the same weights and input. */
import { Rng } from '../../../src/core/random.js';
import { GraphBuilder, type Tensor } from '../../../src/graph/builder.js';
import { resolveGraph } from '../../../src/graph/graph.js';
import type { GraphSpec, Shape } from '../../../src/graph/types.js';
import { closeSession, createSession, run } from '../../../src/runtime/onnx/node.js';
import { initWeights } from '../../../src/weights/init.js';
import { type WeightMap } from '../../../src/weights/map.js';
import { runReference } from '../../helpers/reference.js';

/** A one-input spec built by `body`. */
export function specOf(input: Shape, body: (b: GraphBuilder, x: Tensor) => Tensor | Tensor[], name = 'case'): GraphSpec {
  const b = new GraphBuilder(name);
  const x = b.input(input, 'input');
  return b.build(body(b, x));
}

/** Seeded NHWC input in [-1, 1). */
export function randomInput(shape: number[], seed = 1): Float32Array {
  const rng = new Rng(seed, 7);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * rng.next() - 1);
}

export interface Comparison {
  /** Largest |ORT - reference| over all outputs. */
  maxAbsDiff: number;
  /** Largest |reference| value, to show the scale the difference is measured at. */
  maxAbs: number;
  outputs: Record<string, { shape: number[]; data: Float32Array }>;
}

/** Exports `spec` with random weights (constants randomized too), runs ORT and the reference, compares. */
export async function compareWithReference(spec: GraphSpec, o: { batch?: number; seed?: number; weights?: WeightMap } = {}): Promise<Comparison> {
  const graph = resolveGraph(spec);
  const batch = o.batch ?? 2;
  const weights = o.weights ?? initWeights(graph, { seed: o.seed ?? 3, randomizeConstants: true });
  const session = await createSession(graph, { threads: 1, export: { weights } });
  try {
    const inp = graph.inputs[0]!;
    const shape = [batch, ...inp.shape];
    const data = randomInput(shape, o.seed ?? 1);
    const ort = await run(session, { data, shape });
    const ref = runReference(graph, weights, { [inp.name]: { shape, data: Float64Array.from(data) } });
    let maxAbsDiff = 0;
    let maxAbs = 0;
    for (const name of graph.outputs) {
      const a = ort[name]!;
      const r = ref[name]!;
      if (a.shape.join() !== r.shape.join()) throw new Error(`output ${name}: ORT shape [${a.shape}] vs reference [${r.shape}]`);
      for (let i = 0; i < r.data.length; i++) {
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a.data[i]! - r.data[i]!));
        maxAbs = Math.max(maxAbs, Math.abs(r.data[i]!));
      }
      if (a.data.some((v) => !Number.isFinite(v))) throw new Error(`output ${name}: ORT gave non-finite values`);
    }
    return { maxAbsDiff, maxAbs, outputs: ort };
  } finally {
    await closeSession(session);
  }
}
