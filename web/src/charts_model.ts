/**
 * The charts view as data: batch slider positions, the training-memory breakdown and the budget
 * fit (the report's summary, as `convlab summary --fits` gives them), the sweeps a zoo model
 * offers with their points (the report's sweep plans), and the in-browser timing as text.
 */
import { analyze, type Analysis, type AnalyzeOptions } from '../../src/analysis/index.js';
import { parseBytes } from '../../src/analysis/memory.js';
import type { Optimizer } from '../../src/core/sets.js';
import type { SweepPoint } from '../../src/report/charts.js';
import { summarize, trainingParts, type Summary, type TrainingPart } from '../../src/report/summary.js';
import { familySweep, optionSweep, resolutionSizes, resolutionSweep, sweepPoint, WIDTH_MULTIPLIERS, type SweepPlan } from '../../src/report/sweeps.js';
import { bytes, human, int } from '../../src/report/units.js';
import type { BatchResult } from '../../src/report/bench.js';
import { getModel, type ModelMeta, type ModelOptions } from '../../src/zoo/index.js';
import { phiSiblings, slidersFor, toProblem, zooOptions, type Source, type ZooChoice } from './source.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Batch slider positions: powers of two from 1 to 1024. */
export const BATCHES: readonly number[] = Array.from({ length: 11 }, (_, i) => 2 ** i);

/** The slider position of a batch size: the first power of two at or above it. */
export const batchIndex = (batch: number): number => Math.max(0, BATCHES.findIndex((b) => b >= batch));

/** The optimizer menu. */
export const OPTIMIZER_CHOICES: ReadonlyArray<readonly [Optimizer, string]> = [['sgd', 'SGD'], ['momentum', 'momentum'], ['adam', 'Adam']];

/** The style class of each part's bar and swatch. */
const PART_CLASSES: Record<TrainingPart['key'], string> = { weights: 'w', gradients: 'g', optimizerState: 'o', activations: 'a', activationGradients: 'ag', input: 'i' };

/** Training memory as the view writes it. */
export interface TrainingView {
  total: string;
  caption: string;
  parts: Array<TrainingPart & { cls: string; text: string }>;
  /** Fixed plus per-sample bytes, then the largest batch for the budget or why there is none. */
  footnote: string;
}

/** Training memory at a batch and optimizer, and the largest batch that fits `budget` (as typed, `8GiB`). */
export function trainingView(a: Analysis, o: { batch: number; optimizer: Optimizer }, budget: string): TrainingView {
  let s: Summary;
  let fits: string;
  try {
    s = summarize(a, { ...o, budgetBytes: parseBytes(budget), budgetText: budget });
    fits = `largest batch in ${budget}: ${int(s.fits!.maxBatch)}`;
  } catch (e) {
    s = summarize(a, o);
    fits = toProblem(e).message;
  }
  const m = s.training;
  return {
    total: `${bytes(m.total)} `,
    caption: `at batch ${m.batch}, ${m.optimizer}, ${m.dtype}`,
    parts: trainingParts(m).map((p) => ({ ...p, cls: PART_CLASSES[p.key], text: bytes(p.bytes) })),
    footnote: `fixed ${bytes(m.fixed)} + ${m.batch} × ${bytes(m.perSample)} per sample · ${fits}`,
  };
}

/** The knobs a zoo model can be swept along: resolution ρ, width α, compound φ. */
export type SweepKind = 'rho' | 'alpha' | 'phi';

/** The sweeps on offer, with their menu labels: ρ always, α where the builder reads it, φ where the model has siblings. */
export function sweepKinds(source: Source, ids: readonly string[]): Array<[SweepKind, string]> {
  const kinds: Array<[SweepKind, string]> = [['rho', 'resolution ρ']];
  if (source.kind === 'zoo') {
    if (slidersFor(source.choice.id).some((x) => x.key === 'alpha')) kinds.push(['alpha', 'width α']);
    if (phiSiblings(source.choice.id, ids)) kinds.push(['phi', 'compound φ']);
  }
  return kinds;
}

/** The plan of a sweep of the zoo model on screen, with its options, or null when the knob does not apply. */
export function sweepPlan(kind: SweepKind, c: ZooChoice, models: readonly ModelMeta[]): SweepPlan | null {
  const meta = models.find((m) => m.id === c.id)!;
  const base = zooOptions(c);
  if (kind === 'rho') return resolutionSweep(c.id, resolutionSizes(meta.input[0]!), (c.input ?? meta.input)[2]!, base);
  if (kind === 'alpha') return optionSweep(c.id, 'alpha', WIDTH_MULTIPLIERS.map((alpha) => ({ text: String(alpha), options: { alpha } })), base);
  const phi = phiSiblings(c.id, models.map((m) => m.id));
  if (!phi) return null;
  const ids = [...phi.byPhi.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  const options: ModelOptions = {};
  if (c.classes !== undefined) options.classes = c.classes;
  if (c.includeTop !== undefined) options.includeTop = c.includeTop;
  return familySweep(ids, options);
}

/** Builds and analyses every step of a plan; a step the builder refuses (an input too small) is left out. */
export function sweepPoints(plan: SweepPlan, settings: AnalyzeOptions, models: readonly ModelMeta[]): SweepPoint[] {
  return plan.steps.flatMap((step) => {
    try {
      return [sweepPoint(plan, step, analyze(resolveGraph(getModel(step.model, step.options)), settings), models.find((m) => m.id === step.model))];
    } catch {
      return [];
    }
  });
}

/** A timing run in the browser, as the view writes it. */
export interface TimingText {
  latency: string;
  caption: string;
  throughput: string;
  engine: string;
}

/** The text of a timing: median and p90 latency, images/s and GFLOP/s beside the FLOPs, and what ran it. */
export function timingText(result: BatchResult, threads: number, modelBytes: number, macs: number, weightsFrom: string | null = null): TimingText {
  const l = result.latencyMs;
  return {
    latency: `${l.p50.toFixed(1)} ms `,
    caption: `median of ${result.runs} runs at batch 1 (p90 ${l.p90.toFixed(1)} ms)`,
    throughput: `${result.imagesPerSecond.toFixed(1)} images/s · ${result.gflops === null ? '—' : result.gflops.toFixed(2)} GFLOP/s achieved against ${human(2 * macs)} FLOPs (2 × MACs) per image`,
    engine: `onnxruntime-web, WebAssembly, ${threads} thread${threads > 1 ? 's' : ''}, ${bytes(modelBytes)} ONNX model with ${weightsFrom ? `the weights of ${weightsFrom}` : 'seeded random weights (latency does not depend on their values)'}.`,
  };
}
