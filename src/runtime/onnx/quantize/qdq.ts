/**
 * Writes a plan into the graph in QDQ form, the layout ONNX Runtime fuses into quantized kernels:
 * one QuantizeLinear after each planned tensor, a DequantizeLinear of its own for every reader,
 * weights as per-channel symmetric int8 behind a DequantizeLinear, biases as int32 with scale
 * x_scale · w_scale[c]. Activations are uint8 with a zero point (ORT's x86 kernels take
 * uint8 activations with int8 weights). Browser-safe.
 */
import { attr, floatTensor, type NodeProto } from '../../../onnx/proto.js';
import type { OnnxGraph } from './onnx_graph.js';
import type { QuantPlan } from './plan.js';
import type { Range } from './ranges.js';
import { int32Tensor, int8Tensor, uint8Tensor } from '../../../onnx/tensors.js';

/** uint8 quantization of one activation tensor: real = scale · (q − zeroPoint). */
export interface ActivationParams {
  scale: number;
  zeroPoint: number;
}

/** How weights are stored. */
export interface WeightOptions {
  /**
   * 7-bit weights (±63), the default. x86 without VNNI (AVX2, AVX-512 without VNNI) multiplies
   * uint8 by int8 in pairs summed into int16 (vpmaddubsw), which saturates with full 8-bit weights
   * (255·127·2 > 32767); one bit less keeps every pair in range. False: ±127, for VNNI and ARM.
   */
  reduceRange?: boolean;
  /** One scale per output channel (default) or one for the whole tensor. */
  perChannel?: boolean;
}

/** The largest weight magnitude stored: 63 with reduceRange (the default), else 127. */
export const weightLimit = (o: WeightOptions): number => (o.reduceRange ?? true ? 63 : 127);

/** A weight stored as int8: initializer names, the scales, and the axis they run along (none per tensor). */
export interface StoredWeight {
  q: string;
  scale: string;
  zeroPoint: string;
  scales: Float32Array;
  axis?: number;
}

/** Stores weight `w` as symmetric int8 with scales along `axis` (or one scale per tensor). */
export function storeWeight(g: OnnxGraph, w: string, axis: number, o: WeightOptions): StoredWeight {
  const dims = g.dims(w);
  const qmax = weightLimit(o);
  const perChannel = o.perChannel ?? true;
  const { q, scales } = quantizeWeights(g.values(w), perChannel ? dims : [1, dims.reduce((a, b) => a * b, 1)], perChannel ? axis : 0, qmax);
  const scaleDims = perChannel ? [scales.length] : [];
  return {
    q: g.setInitializer(int8Tensor(g.fresh(`${w}/int8`), dims, q)),
    scale: g.setInitializer(floatTensor(g.fresh(`${w}/scale`), scaleDims, scales)),
    zeroPoint: g.setInitializer(int8Tensor(g.fresh(`${w}/zero_point`), scaleDims, new Int8Array(scales.length))),
    scales,
    ...(perChannel ? { axis } : {}),
  };
}

/** Rounds half to even, as ONNX QuantizeLinear (and numpy) round. */
export function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Scale and zero point covering a range (widened to include 0, so zero padding is exact). */
export function activationParams(r: Range): ActivationParams {
  const lo = Math.min(r.min, 0);
  const hi = Math.max(r.max, 0);
  if (!(hi > lo) || !Number.isFinite(hi - lo)) return { scale: 1, zeroPoint: 0 };
  const scale = (hi - lo) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, roundEven(-lo / scale))) };
}

/** Symmetric per-channel int8 values of a weight tensor along `axis`, with one scale per channel. */
export function quantizeWeights(w: Float32Array, dims: readonly number[], axis: number, qmax: number): { q: Int8Array; scales: Float32Array } {
  const channels = dims[axis]!;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = w.length / (channels * inner);
  const absMax = new Float32Array(channels);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      let a = absMax[c]!;
      for (let k = 0; k < inner; k++, i++) a = Math.max(a, Math.abs(w[i]!));
      absMax[c] = a;
    }
  }
  const scales = Float32Array.from(absMax, (a) => (a > 0 ? a / qmax : 1));
  const q = new Int8Array(w.length);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = scales[c]!;
      for (let k = 0; k < inner; k++, i++) q[i] = Math.max(-qmax, Math.min(qmax, roundEven(w[i]! / s)));
    }
  }
  return { q, scales };
}

const INT32_MAX = 2 ** 31 - 1;

/** Inserts the plan's Q/DQ nodes and quantized weights; `params` holds every planned tensor's parameters. */
export function applyQdq(g: OnnxGraph, plan: QuantPlan, params: ReadonlyMap<string, ActivationParams>, o: WeightOptions = {}): void {
  const nameOf = (n: NodeProto): string => n.name ?? n.output[0]!;
  const root = (t: string): string => {
    let r = t;
    while (plan.sameAs.has(r)) r = plan.sameAs.get(r)!;
    return r;
  };
  const paramsOf = (t: string): ActivationParams => params.get(root(t))!;
  // One scale / zero-point pair per distinct parameter set: outputs of data movers share their input's.
  const initializers = new Map<string, [string, string]>();
  const qparams = (t: string): [string, string] => {
    const r = root(t);
    let names = initializers.get(r);
    if (!names) {
      const p = params.get(r)!;
      names = [
        g.setInitializer(floatTensor(g.fresh(`${r}/scale`), [], Float32Array.of(p.scale))),
        g.setInitializer(uint8Tensor(g.fresh(`${r}/zero_point`), [], Uint8Array.of(p.zeroPoint))),
      ];
      initializers.set(r, names);
    }
    return names;
  };

  const planned = new Set(plan.tensors);
  const quantizeNode = (t: string): NodeProto => {
    const [s, z] = qparams(t);
    return { name: g.fresh(`${t}/quantize`), opType: 'QuantizeLinear', input: [t, s, z], output: [g.fresh(`${t}/q`)] };
  };
  const dequantize = (owner: string, input: string[], axis?: number): { node: NodeProto; out: string } => {
    const out = g.fresh(`${owner}/dequantized`);
    const node: NodeProto = { name: g.fresh(`${owner}/dequantize`), opType: 'DequantizeLinear', input, output: [out] };
    if (axis !== undefined) node.attribute = [attr.int('axis', axis)];
    return { node, out };
  };

  const out: NodeProto[] = [];
  const quantized = new Map<string, string>();
  const emitQ = (t: string) => {
    const q = quantizeNode(t);
    out.push(q);
    quantized.set(t, q.output[0]!);
  };
  for (const input of g.inputs) if (planned.has(input.name)) emitQ(input.name);

  for (const n of g.nodes) {
    const kind = plan.kinds.get(n);
    const owner = nameOf(n);
    const original = [...n.input];
    // Activations read through a DequantizeLinear of their own.
    n.input.forEach((t, slot) => {
      const q = t ? quantized.get(t) : undefined;
      if (!q) return;
      const [s, z] = qparams(t);
      const dq = dequantize(slot === 0 ? owner : `${owner}/input${slot}`, [q, s, z]);
      out.push(dq.node);
      n.input[slot] = dq.out;
    });
    if (kind === 'conv' || kind === 'gemm' || kind === 'matmul') {
      const xScale = paramsOf(original[0]!).scale;
      const w = n.input[1]!;
      const axis = kind === 'conv' ? 0 : kind === 'gemm' && g.intAttr(n, 'transB', 0) === 1 ? 0 : 1;
      const sw = storeWeight(g, w, axis, o);
      const dqW = dequantize(`${owner}/weights`, [sw.q, sw.scale, sw.zeroPoint], sw.axis);
      out.push(dqW.node);
      n.input[1] = dqW.out;
      const b = n.input[2];
      if (b && kind !== 'matmul') {
        const bias = g.values(b);
        const bScale = Float32Array.from(sw.scales, (s) => s * xScale);
        const scaleOf = (c: number) => bScale[sw.axis === undefined ? 0 : c]!;
        const bq = Int32Array.from(bias, (v, c) => Math.max(-INT32_MAX, Math.min(INT32_MAX, scaleOf(c) > 0 ? roundEven(v / scaleOf(c)) : 0)));
        const bDims = g.dims(b);
        const scaleDims = sw.axis === undefined ? [] : [bScale.length];
        const bqName = g.setInitializer(int32Tensor(g.fresh(`${b}/int32`), bDims, bq));
        const bsName = g.setInitializer(floatTensor(g.fresh(`${b}/scale`), scaleDims, bScale));
        const bzName = g.setInitializer(int32Tensor(g.fresh(`${b}/zero_point`), scaleDims, new Int32Array(bScale.length)));
        const dqB = dequantize(`${owner}/bias`, [bqName, bsName, bzName], sw.axis === undefined ? undefined : bDims.length === 2 ? 1 : 0);
        out.push(dqB.node);
        n.input[2] = dqB.out;
      }
    }
    if (kind === 'binary' || kind === 'variadic') {
      n.input.forEach((t, slot) => {
        if (!t || !g.initializers.has(t)) return;
        const { node, out: dqOut } = constantDequantize(g, t, `${owner}/input${slot}`, dequantize);
        out.push(...node);
        n.input[slot] = dqOut;
      });
    }
    out.push(n);
    const y = n.output[0];
    if (y && planned.has(y)) emitQ(y);
  }
  g.nodes = out;
}

/** A float constant read by a quantized binary or variadic op, stored as uint8 over its own range. */
function constantDequantize(
  g: OnnxGraph, t: string, owner: string,
  dequantize: (owner: string, input: string[]) => { node: NodeProto; out: string },
): { node: NodeProto[]; out: string } {
  const v = g.values(t);
  let lo = 0;
  let hi = 0;
  for (const x of v) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const p = activationParams({ min: lo, max: hi });
  const q = Uint8Array.from(v, (x) => Math.max(0, Math.min(255, roundEven(x / p.scale) + p.zeroPoint)));
  const qName = g.setInitializer(uint8Tensor(g.fresh(`${t}/uint8`), g.dims(t), q));
  const s = g.setInitializer(floatTensor(g.fresh(`${t}/scale`), [], Float32Array.of(p.scale)));
  const z = g.setInitializer(uint8Tensor(g.fresh(`${t}/zero_point`), [], Uint8Array.of(p.zeroPoint)));
  const dq = dequantize(owner, [qName, s, z]);
  return { node: [dq.node], out: dq.out };
}
