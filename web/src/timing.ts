/**
 * Measured latency in the browser: the graph is exported to ONNX (with an uploaded file's own
 * weights, else weights drawn from a seed: latency does not depend on their values) and run by
 * onnxruntime-web on WebAssembly, through the same session and benchmark code `convlab bench`
 * uses with onnxruntime-node.
 */
import type { Graph } from '../../src/graph/graph.js';
import type { BatchResult } from '../../src/report/bench.js';
import type { OrtModule } from '../../src/runtime/onnx/session.js';
import { checkWeights } from '../../src/weights/map.js';
// Served as files of their own: the engine's threads start workers from the glue script's URL,
// which must not be a chunk that also carries the page.
import ortGlue from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

/** Threads the wasm engine may use: several only where the page is cross-origin isolated. */
const wasmThreads = (isolated: boolean, cores: number): number => (isolated ? Math.max(1, Math.min(4, cores)) : 1);

export interface TimingOptions {
  warmup: number;
  runs: number;
  /** The model's own weights (an uploaded file's); absent, they are drawn from seed 0. */
  weights?: ReadonlyMap<string, Float32Array> | null;
  onProgress?: (text: string) => void;
}

/** Exports, opens and times the graph at batch 1; the engine and the exporter load on first use. */
export async function timeInBrowser(graph: Graph, macs: number, o: TimingOptions): Promise<{ result: BatchResult; threads: number; modelBytes: number; ownWeights: boolean }> {
  o.onProgress?.('loading onnxruntime-web…');
  const [ort, session, bench] = await Promise.all([
    import('onnxruntime-web/wasm'),
    import('../../src/runtime/onnx/session.js'),
    import('../../src/runtime/onnx/bench.js'),
  ]);
  const threads = wasmThreads(globalThis.crossOriginIsolated === true, navigator.hardwareConcurrency || 1);
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.wasmPaths = { mjs: new URL(ortGlue, location.href).href, wasm: new URL(ortWasm, location.href).href };
  o.onProgress?.('exporting to ONNX…');
  const own = o.weights ? new Map(o.weights) : null;
  // The file's weights fit the graph it was read as; a graph rebuilt at another input size may not (a dense layer after flatten).
  const fits = own !== null && (() => {
    try {
      checkWeights(graph, own);
      return true;
    } catch {
      return false;
    }
  })();
  const s = await session.openSession(ort as unknown as OrtModule, graph, { label: graph.name, threads, export: fits ? { weights: own! } : { seed: 0 } });
  try {
    const [result] = await bench.benchmark(s, macs, {
      batches: [1], warmup: o.warmup, runs: o.runs,
      onProgress: (done, total) => o.onProgress?.(`run ${done} of ${total}…`),
    });
    return { result: result!, threads, modelBytes: s.bytes.length, ownWeights: fits };
  } finally {
    await session.closeSession(s);
  }
}
