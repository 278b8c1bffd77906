/**
 * Calibration: runs the float model on real samples with every tensor the plan quantizes exposed
 * as an output, and gathers each tensor's statistics (extremes, then a histogram for the
 * percentile and entropy methods). The ONNX Runtime module is injected, as in session.ts.
 */
import { DataError } from '../../../core/errors.js';
import type { ModelProto } from '../../../onnx/proto.js';
import { encodeModel, infoDims } from '../../../onnx/proto.js';
import type { OrtModule } from '../session.js';
import { emptyStats, observeHistogram, observeRange, type CalibrationMethod, type TensorStats } from './ranges.js';
import { messages as m } from '../../../core/messages.js';

/** Samples to calibrate with: `count` samples of one NHWC shape, read in slices. */
export interface CalibrationSamples {
  /** Where they came from, for reports ("mnist train, 256 samples"). */
  label: string;
  /** Per-sample shape (NHWC, no batch). */
  shape: number[];
  count: number;
  /** Samples [start, end) packed one after another. */
  slice(start: number, end: number): Float32Array;
}

/** Calibration settings. */
export interface CalibrateOptions {
  method: CalibrationMethod;
  /** Values kept in memory per run (all exposed tensors of a batch); sets the batch size. Default 32 M. */
  valuesPerRun?: number;
  /** Threads for ONNX Runtime. */
  threads?: number;
  /** Called after every batch with samples done and the pass (1 or 2). */
  onProgress?: (done: number, total: number, pass: number) => void;
}

/** Statistics of every tensor, by name. */
export type CalibrationStats = Map<string, TensorStats>;

/** Runs calibration; `tensors` may include the graph input, whose samples are observed directly. */
export async function calibrate(
  ort: OrtModule, model: ModelProto, tensors: readonly string[], samples: CalibrationSamples, o: CalibrateOptions, source = 'model',
): Promise<CalibrationStats> {
  const inputs = model.graph.input.filter((i) => !model.graph.initializer.some((t) => t.name === i.name));
  if (inputs.length !== 1) throw new DataError(m.calibrationInputs(source, inputs.length));
  if (samples.count === 0) throw new DataError(m.noSamples(source));
  const input = inputs[0]!;
  const declared = infoDims(input).slice(1);
  if (declared.length !== samples.shape.length || declared.some((d, i) => typeof d === 'number' && d !== samples.shape[i])) {
    throw new DataError(m.calibrationShape(source, input.name, declared, samples.shape));
  }
  const exposed = tensors.filter((t) => t !== input.name);
  const known = new Set(model.graph.output.map((x) => x.name));
  const probe: ModelProto = {
    ...model,
    graph: {
      ...model.graph,
      output: [...model.graph.output, ...exposed.filter((t) => !known.has(t)).map((name) => ({ name, type: { tensorType: { elemType: 1 } } }))],
    },
  };
  const session = await ort.InferenceSession.create(encodeModel(probe), {
    graphOptimizationLevel: 'all', executionMode: 'sequential', logSeverityLevel: 3, ...(o.threads ? { intraOpNumThreads: o.threads } : {}),
  });
  const stats: CalibrationStats = new Map(tensors.map((t) => [t, emptyStats()]));
  const passes = o.method === 'minmax' ? 1 : 2;
  try {
    let batch = 1;
    for (let pass = 1; pass <= passes; pass++) {
      const observe = pass === 1 ? observeRange : observeHistogram;
      for (let start = 0; start < samples.count; ) {
        const end = Math.min(samples.count, start + batch);
        const data = samples.slice(start, end);
        const feed = new ort.Tensor('float32', data, [end - start, ...samples.shape]);
        const out = await session.run({ [input.name]: feed }, exposed);
        let values = 0;
        for (const t of exposed) {
          const d = out[t]!.data as Float32Array;
          values += d.length;
          observe(stats.get(t)!, d);
        }
        if (stats.has(input.name)) observe(stats.get(input.name)!, data);
        // The first run measures how many values a sample exposes; later runs fill the budget.
        if (pass === 1 && start === 0) batch = Math.max(1, Math.min(64, Math.floor((o.valuesPerRun ?? 32e6) / Math.max(1, values / (end - start)))));
        start = end;
        o.onProgress?.(end, samples.count, pass);
      }
    }
  } finally {
    await session.release();
  }
  return stats;
}
