/**
 * Precision variants of a float model on onnxruntime-node (Node-side): static int8 (calibrated),
 * dynamic int8, and float16 / bfloat16, each probed in ONNX Runtime, which reports the nodes it
 * cannot run in 16 bits (it inserts casts around them) or refuses the model outright.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { RuntimeError, UsageError } from '../../../core/errors.js';
import { decodeModel, encodeModel, type ModelProto } from '../../../onnx/proto.js';
import type { OrtModule } from '../session.js';
import type { CalibrationSamples } from './calibrate.js';
import { quantizeDynamic } from './dynamic.js';
import { toHalf, type HalfType } from './half.js';
import type { LayerDecision } from './plan.js';
import { quantizeStatic, withRecord, type QuantRecord, type StaticOptions } from './quantize.js';
import { messages as m } from '../../../core/messages.js';

/** Every precision a model can be compared in. */
export const VARIANTS = ['fp32', 'int8', 'dynamic', 'fp16', 'bf16'] as const;
/** One of VARIANTS. */
export type Variant = (typeof VARIANTS)[number];

/** Reads `--compare fp32,int8`. */
export function parseVariants(text: string): Variant[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || !parts.every((p): p is Variant => (VARIANTS as readonly string[]).includes(p))) throw new UsageError(m.badVariant(VARIANTS, text));
  return [...new Set(parts)];
}

/** What a variant needs beyond the model. */
export interface VariantOptions extends Omit<StaticOptions, 'method'> {
  method?: StaticOptions['method'];
  /** Calibration samples for int8. */
  samples?: CalibrationSamples;
}

/** A variant ready to run. */
export interface MadeVariant {
  variant: Variant;
  model: ModelProto;
  bytes: Uint8Array;
  /** How it was made (null for fp32). */
  record: QuantRecord | null;
}

// ORT names the casts it inserts around nodes it cannot run in the model's type.
const INSERTED_CAST = 'InsertedPrecisionFreeCast_';

/**
 * Opens a 16-bit model in ONNX Runtime with optimizations off (node names stay the model's) and
 * reports, for every node of the float model, whether the engine runs it in 16 bits or wraps it
 * in float32 casts. Throws a RuntimeError when the engine refuses the model.
 */
export async function probeHalf(float: ModelProto, half: ModelProto, type: HalfType): Promise<LayerDecision[]> {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-half-'));
  const file = join(dir, 'optimized.onnx');
  try {
    try {
      const session = await ort.InferenceSession.create(encodeModel(half), { graphOptimizationLevel: 'disabled', optimizedModelFilePath: file, logSeverityLevel: 3 });
      await session.release();
    } catch (e) {
      throw new RuntimeError(m.halfRefused(type, String((e as Error)?.message ?? e).split('\n')[0]!.trim()));
    }
    const ran = decodeModel(readFileSync(file), file).graph.node.filter((n) => !n.name?.startsWith(INSERTED_CAST));
    const strip = (t: string) => (t.startsWith(INSERTED_CAST) ? t.slice(INSERTED_CAST.length) : t);
    const decisions: LayerDecision[] = [];
    for (const n of float.graph.node) {
      const name = n.name || n.output[0]!;
      // A node keeps its name, or (a function ORT inlined, such as Softmax) its output's.
      const mine = ran.filter((r) => r.name === name || r.output.some((t) => n.output.includes(strip(t))));
      if (mine.length === 0) continue;
      const cast = mine.some((r) => [...r.input, ...r.output].some((t) => t.startsWith(INSERTED_CAST)));
      decisions.push(cast ? { node: name, op: n.opType, precision: 'fp32', reason: m.noHalfKernel(type) } : { node: name, op: n.opType, precision: type });
    }
    return decisions;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes one variant of a float model. */
export async function makeVariant(fp32: ModelProto, variant: Variant, o: VariantOptions, source = 'model'): Promise<MadeVariant> {
  let model: ModelProto;
  let record: QuantRecord | null = null;
  if (variant === 'fp32') model = fp32;
  else if (variant === 'int8') {
    ({ model, record } = await quantizeStatic(ort as unknown as OrtModule, fp32, o.samples!, { ...o, method: o.method ?? 'minmax' }, source));
  } else if (variant === 'dynamic') ({ model, record } = quantizeDynamic(fp32, o, source));
  else {
    const half = toHalf(fp32, variant, source);
    const layers = await probeHalf(fp32, half, variant);
    record = {
      scheme: variant,
      weights: `${variant} (stored)`,
      activations: `${variant} where ONNX Runtime has a ${variant} kernel, float32 between casts elsewhere`,
      layers,
    };
    model = withRecord(half, record);
  }
  return { variant, model, bytes: encodeModel(model), record };
}
