/**
 * Dynamic quantization of dense layers: weights stored as per-column int8, activations quantized
 * to uint8 on every run from their own range (DynamicQuantizeLinear), so no calibration is
 * needed. Written as ONNX's MatMulInteger → Cast → Mul pattern, which ONNX Runtime fuses into one
 * DynamicQuantizeMatMul kernel. Convs stay float: this is for dense-heavy models. Browser-safe.
 */
import { DataError } from '../../../core/errors.js';
import { DataType, attr, type ModelProto, type NodeProto } from '../../../onnx/proto.js';
import { foldForQuantization } from './fold.js';
import { OnnxGraph } from './onnx_graph.js';
import { inOriginalOrder, type LayerDecision } from './plan.js';
import { storeWeight, weightLimit, type WeightOptions } from './qdq.js';
import { checkQuantizable, withRecord, type Quantized } from './quantize.js';
import { messages as m } from '../../../core/messages.js';

const nameOf = (n: NodeProto): string => n.name ?? n.output[0]!;

/** Why a Gemm or MatMul cannot take the dynamic form, or null when it can. */
function block(g: OnnxGraph, n: NodeProto): string | null {
  const [x, w, b] = n.input;
  if (!x || g.initializers.has(x)) return m.allConstant();
  if (!w || !g.isFloatConstant(w) || g.dims(w).length !== 2) return m.weightsNotConstant();
  if (n.opType === 'Gemm') {
    if (g.intAttr(n, 'transA', 0) !== 0 || g.intAttr(n, 'transB', 0) !== 0 || g.floatAttr(n, 'alpha', 1) !== 1 || g.floatAttr(n, 'beta', 1) !== 1) return m.gemmForm();
    if (b && (!g.isFloatConstant(b) || g.dims(b).reduce((p, d) => p * d, 1) !== g.dims(w)[1])) return m.biasNotConstant();
  }
  return null;
}

/** Rewrites every eligible Gemm and MatMul; other nodes are left as they are. */
export function quantizeDynamic(model: ModelProto, o: WeightOptions = {}, source = 'model'): Quantized {
  checkQuantizable(model, source);
  const g = new OnnxGraph(model, source);
  const folded = foldForQuantization(g);
  const decisions = new Map<string, LayerDecision>();
  const out: NodeProto[] = [];
  const qmax = weightLimit(o);
  for (const n of g.nodes) {
    const name = nameOf(n);
    if (n.opType !== 'Gemm' && n.opType !== 'MatMul') {
      out.push(n);
      const why = n.opType === 'Conv' ? m.dynamicCoversDense() : undefined;
      decisions.set(name, { node: name, op: n.opType, precision: 'fp32', ...(why ? { reason: why } : {}) });
      continue;
    }
    const why = block(g, n);
    if (why) {
      out.push(n);
      decisions.set(name, { node: name, op: n.opType, precision: 'fp32', reason: why });
      continue;
    }
    const [x, w, b] = n.input as [string, string, string | undefined];
    const sw = storeWeight(g, w, 1, o);
    const t = (role: string) => g.fresh(`${name}/${role}`);
    const [xq, xs, xz] = [t('x_uint8'), t('x_scale'), t('x_zero_point')];
    const product = t('int32');
    const asFloat = t('float');
    const scale = t('scale');
    const y = n.output[0]!;
    const scaled = b ? t('scaled') : y;
    out.push(
      { name: t('quantize_input'), opType: 'DynamicQuantizeLinear', input: [x], output: [xq, xs, xz] },
      { name, opType: 'MatMulInteger', input: [xq, sw.q, xz, sw.zeroPoint], output: [product] },
      { name: t('to_float'), opType: 'Cast', input: [product], output: [asFloat], attribute: [attr.int('to', DataType.FLOAT)] },
      { name: t('scale_product'), opType: 'Mul', input: [xs, sw.scale], output: [scale] },
      { name: t('rescale'), opType: 'Mul', input: [asFloat, scale], output: [scaled] },
    );
    if (b) out.push({ name: t('bias'), opType: 'Add', input: [scaled, b], output: [y] });
    decisions.set(name, { node: name, op: n.opType, precision: 'int8' });
  }
  if (![...decisions.values()].some((d) => d.precision === 'int8')) throw new DataError(m.nothingQuantized(source));
  g.nodes = out;
  const layers = inOriginalOrder(g, folded, decisions);
  const record = {
    scheme: 'dynamic' as const,
    weights: `int8 ${o.perChannel ?? true ? 'per output column' : 'per tensor'}, symmetric (±${qmax})`,
    activations: 'uint8, range measured on every run (DynamicQuantizeLinear)',
    layers,
  };
  return { model: withRecord(g.toModel(), record), record };
}
