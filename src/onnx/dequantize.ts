/**
 * The float graph a QDQ model computes: constant DequantizeLinear nodes become float initializers
 * (q − zero point) · scale, and QuantizeLinear → DequantizeLinear pairs on activations are
 * removed, so convlab can analyse a quantized file (its MACs, shapes and layer names) like any
 * other. Pairs that do not fit the pattern are left for the importer to report. Browser-safe.
 */
import { floatTensor, readAttr, type ModelProto, type NodeProto } from './proto.js';
import { tensorValues } from './tensors.js';

/** True when a model holds QuantizeLinear or DequantizeLinear nodes. */
export const hasQdq = (model: ModelProto): boolean => model.graph.node.some((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear');

/** A constant's values, or undefined when the name is not an initializer. */
function constant(model: ModelProto, name: string | undefined, source: string): { values: Float32Array; dims: number[] } | undefined {
  const t = name ? model.graph.initializer.find((i) => i.name === name) : undefined;
  return t ? { values: tensorValues(t, source), dims: t.dims ?? [] } : undefined;
}

/** (q − zero point) · scale along `axis` (per tensor when scale is a scalar). */
function dequantized(q: Float32Array, dims: number[], scale: Float32Array, zero: Float32Array | undefined, axis: number): Float32Array {
  const a = axis < 0 ? axis + dims.length : axis;
  const inner = dims.slice(a + 1).reduce((x, y) => x * y, 1);
  const channels = dims[a] ?? 1;
  return Float32Array.from(q, (v, i) => {
    const c = scale.length === 1 ? 0 : Math.floor(i / inner) % channels;
    return (v - (zero?.[c] ?? 0)) * scale[c]!;
  });
}

/** The model with its QDQ nodes folded away; models without them come back as they are. */
export function floatOfQdq(model: ModelProto, source = 'model'): ModelProto {
  if (!hasQdq(model)) return model;
  const g = model.graph;
  const drop = new Set<NodeProto>();
  const rename = new Map<string, string>();
  const initializers = [...g.initializer];
  for (const n of g.node) {
    if (n.opType !== 'DequantizeLinear') continue;
    const [x, s, z] = n.input;
    const scale = constant(model, s, source);
    const zero = z ? constant(model, z, source) : undefined;
    if (!scale || (z && !zero)) continue;
    const q = constant(model, x, source);
    const axis = readAttr(n, 'axis');
    if (q) {
      initializers.push(floatTensor(n.output[0]!, q.dims, dequantized(q.values, q.dims, scale.values, zero?.values, typeof axis === 'number' ? axis : 1)));
      drop.add(n);
      continue;
    }
    // An activation: DequantizeLinear(QuantizeLinear(t)) is t up to rounding.
    const quantize = g.node.find((m) => m.opType === 'QuantizeLinear' && m.output[0] === x);
    if (!quantize || !quantize.input[0]) continue;
    if (g.node.some((m) => m.input.includes(x!) && m.opType !== 'DequantizeLinear')) continue;
    rename.set(n.output[0]!, quantize.input[0]);
    drop.add(n);
    drop.add(quantize);
  }
  const resolve = (t: string) => rename.get(t) ?? t;
  const node = g.node.filter((n) => !drop.has(n)).map((n) => ({ ...n, input: n.input.map(resolve) }));
  // A graph output written by a DequantizeLinear takes its name back from the float tensor's producer.
  for (const o of g.output) {
    const from = rename.get(o.name);
    if (!from) continue;
    for (const n of node) n.output = n.output.map((t) => (t === from ? o.name : t));
    for (const n of node) n.input = n.input.map((t) => (t === from ? o.name : t));
  }
  const used = new Set(node.flatMap((n) => n.input));
  return { ...model, graph: { ...g, node, initializer: initializers.filter((t) => used.has(t.name!) || g.output.some((o) => o.name === t.name)) } };
}
