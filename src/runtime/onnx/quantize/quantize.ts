/**
 * Static int8 quantization of a float ONNX model, end to end: check, fold, plan, calibrate on
 * real samples, write QDQ, and record what was done in the model's metadata. The ONNX Runtime
 * module that runs calibration is injected (onnxruntime-node from the CLI).
 */
import { DataError, UsageError } from '../../../core/errors.js';
import type { ModelProto } from '../../../onnx/proto.js';
import { calibrate, type CalibrationSamples } from './calibrate.js';
import { foldForQuantization } from './fold.js';
import { OnnxGraph } from './onnx_graph.js';
import { planInt8, type LayerDecision, type PlanOptions } from './plan.js';
import { applyQdq, activationParams, weightLimit, type ActivationParams, type WeightOptions } from './qdq.js';
import { chooseRange, type CalibrationMethod, type RangeOptions } from './ranges.js';
import type { OrtModule } from '../session.js';
import { messages as m } from '../../../core/messages.js';

/** Key of metadata_props holding the quantization record (JSON of QuantRecord). */
export const QUANT_META_KEY = 'convlab.quantization';

/** Ops whose presence means a model is already quantized. */
const QUANTIZED_OPS = new Set(['QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'QLinearConv', 'QLinearMatMul', 'MatMulInteger', 'ConvInteger']);

/** What a quantized file says about itself. */
export interface QuantRecord {
  /** 'int8' (static QDQ), 'dynamic' (int8 dense layers, activations quantized per run) or a 16-bit float type. */
  scheme: 'int8' | 'dynamic' | 'fp16' | 'bf16';
  /** Static only: the calibration method and data. */
  method?: CalibrationMethod;
  percentile?: number;
  calibration?: string;
  samples?: number;
  weights: string;
  activations: string;
  /** Every node of the float model: int8, fp32 (with why) or folded (into what). */
  layers: LayerDecision[];
}

/** Options of static quantization. */
export interface StaticOptions extends WeightOptions, PlanOptions, RangeOptions {
  method: CalibrationMethod;
  threads?: number;
  onProgress?: (done: number, total: number, pass: number) => void;
}

/** A quantized model with its record. */
export interface Quantized {
  model: ModelProto;
  record: QuantRecord;
}

/** Refuses models that cannot be quantized: old opsets, already quantized files. */
export function checkQuantizable(model: ModelProto, source: string): void {
  const opset = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0;
  if (opset < 13) throw new UsageError(m.oldOpset(source, opset));
  const done = model.graph.node.find((n) => QUANTIZED_OPS.has(n.opType));
  if (done) throw new UsageError(m.alreadyQuantized(source, done.opType));
}

/** Adds the record to a model's metadata (replacing an older one). */
export function withRecord(model: ModelProto, record: QuantRecord): ModelProto {
  const props = (model.metadataProps ?? []).filter((p) => p.key !== QUANT_META_KEY);
  return { ...model, metadataProps: [...props, { key: QUANT_META_KEY, value: JSON.stringify(record) }] };
}

/** The record in a model's metadata, or null for a float model. */
export function recordOf(model: ModelProto): QuantRecord | null {
  const text = model.metadataProps?.find((p) => p.key === QUANT_META_KEY)?.value;
  if (!text) return null;
  try {
    return JSON.parse(text) as QuantRecord;
  } catch {
    return null;
  }
}

/** Static int8 quantization calibrated on `samples`. */
export async function quantizeStatic(ort: OrtModule, model: ModelProto, samples: CalibrationSamples, o: StaticOptions, source = 'model'): Promise<Quantized> {
  checkQuantizable(model, source);
  const g = new OnnxGraph(model, source);
  const folded = foldForQuantization(g);
  const plan = planInt8(g, folded, o);
  if (![...plan.kinds.values()].some((k) => k === 'conv' || k === 'gemm' || k === 'matmul')) throw new DataError(m.nothingQuantized(source));
  const stats = await calibrate(ort, g.toModel(), plan.tensors, samples, {
    method: o.method, ...(o.threads ? { threads: o.threads } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  }, source);
  const params = new Map<string, ActivationParams>();
  // The model's own input keeps its observed extremes: clipping it (a histogram method cutting at a
  // dominant background value) would erase the rare bright pixels that carry the content.
  const inputs = new Set(g.inputs.map((i) => i.name));
  for (const t of plan.tensors) {
    if (!plan.sameAs.has(t)) params.set(t, activationParams(chooseRange(stats.get(t)!, inputs.has(t) ? 'minmax' : o.method, o)));
  }
  applyQdq(g, plan, params, o);
  const record: QuantRecord = {
    scheme: 'int8',
    method: o.method,
    ...(o.method === 'percentile' ? { percentile: o.percentile ?? 99.999 } : {}),
    calibration: samples.label,
    samples: samples.count,
    weights: `int8 ${o.perChannel ?? true ? 'per output channel' : 'per tensor'}, symmetric (±${weightLimit(o)})`,
    activations: 'uint8 per tensor, asymmetric (zero point), ranges from calibration',
    layers: plan.decisions,
  };
  return { model: withRecord(g.toModel(), record), record };
}
