/**
 * 16-bit float variants of a float32 model: every float initializer and activation becomes float16
 * (or bfloat16), while the model's inputs and outputs stay float32 through a Cast at each end, so
 * callers feed and read the same tensors. Whether ONNX Runtime's CPU provider runs the result is
 * for the engine to say (node.ts probes it). Browser-safe.
 */
import { DataType, readAttr, attr, type ModelProto, type NodeProto, type TensorProto } from '../../../onnx/proto.js';
import { OnnxGraph } from './onnx_graph.js';
import { halfTensor, tensorValues, toBfloat16Bits, toFloat16Bits } from '../../../onnx/tensors.js';

/** The 16-bit float types. */
export const HALF_TYPES = ['fp16', 'bf16'] as const;
/** One of HALF_TYPES. */
export type HalfType = (typeof HALF_TYPES)[number];

const CODES: Record<HalfType, number> = { fp16: DataType.FLOAT16, bf16: DataType.BFLOAT16 };
const BITS: Record<HalfType, (x: number) => number> = { fp16: toFloat16Bits, bf16: toBfloat16Bits };

function convert(t: TensorProto, type: HalfType, source: string): TensorProto {
  if (t.dataType !== DataType.FLOAT) return t;
  const v = tensorValues(t, source);
  const bits = Uint16Array.from(v, BITS[type]);
  const out = halfTensor(t.name ?? '', t.dims ?? [], bits, CODES[type]);
  if (t.docString) out.docString = t.docString;
  return out;
}

/** Rewrites type-carrying attributes: Cast to float, Constant float values. */
function convertNode(n: NodeProto, type: HalfType, source: string): NodeProto {
  if (n.opType === 'Cast' && readAttr(n, 'to') === DataType.FLOAT) {
    return { ...n, attribute: [...(n.attribute ?? []).filter((a) => a.name !== 'to'), attr.int('to', CODES[type])] };
  }
  if ((n.opType === 'Constant' || n.opType === 'ConstantOfShape') && n.attribute) {
    return { ...n, attribute: n.attribute.map((a) => (a.t ? { ...a, t: convert(a.t, type, source) } : a)) };
  }
  return n;
}

/** The model in 16-bit floats with float32 inputs and outputs. */
export function toHalf(model: ModelProto, type: HalfType, source = 'model'): ModelProto {
  const g = new OnnxGraph(model, source);
  for (const [name, t] of g.initializers) g.initializers.set(name, convert(t, type, source));
  const nodes: NodeProto[] = [];
  const isFloat = (elem: number | undefined) => elem === DataType.FLOAT;
  for (const input of g.inputs) {
    if (!isFloat(input.type?.tensorType?.elemType)) continue;
    const half = g.fresh(`${input.name}/${type}`);
    for (const n of g.nodes) n.input = n.input.map((t) => (t === input.name ? half : t));
    nodes.push({ name: g.fresh(`${input.name}/to_${type}`), opType: 'Cast', input: [input.name], output: [half], attribute: [attr.int('to', CODES[type])] });
  }
  const tails: NodeProto[] = [];
  for (const output of g.outputs) {
    if (!isFloat(output.type?.tensorType?.elemType)) continue;
    const half = g.fresh(`${output.name}/${type}`);
    for (const n of g.nodes) {
      n.output = n.output.map((t) => (t === output.name ? half : t));
      n.input = n.input.map((t) => (t === output.name ? half : t));
    }
    tails.push({ name: g.fresh(`${output.name}/to_float32`), opType: 'Cast', input: [half], output: [output.name], attribute: [attr.int('to', DataType.FLOAT)] });
  }
  g.nodes = [...nodes, ...g.nodes.map((n) => convertNode(n, type, source)), ...tails];
  return g.toModel();
}
