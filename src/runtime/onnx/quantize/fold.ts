/**
 * Float rewrites that come before quantization and change no result beyond rounding:
 * BatchNormalization folded into the Conv or Gemm before it, zero Pad folded into the Conv after
 * it (or the MaxPool after it, when its input cannot be negative), Identity removed. A conv quantizes as one kernel only when its BatchNorm is inside its
 * weights (ORT's conv+BN fusion needs float weights, which a quantized conv no longer has).
 */
import { attr, floatTensor, readAttr, type NodeProto } from '../../../onnx/proto.js';
import type { OnnxGraph } from './onnx_graph.js';

/** Which node each removed node went into (BatchNorm → its conv, Pad → its conv or pool, Identity → its input's producer). */
export type Folded = Map<string, { op: string; into: string; how: string }>;

const name = (n: NodeProto): string => n.name ?? n.output[0]!;

/** Applies every fold until none applies; returns what went where. */
export function foldForQuantization(g: OnnxGraph): Folded {
  const folded: Folded = new Map();
  removeIdentities(g, folded);
  foldBatchNorms(g, folded);
  foldPads(g, folded);
  return folded;
}

function removeIdentities(g: OnnxGraph, folded: Folded): void {
  const producers = g.producers();
  for (const n of [...g.nodes]) {
    if (n.opType !== 'Identity' && n.opType !== 'Dropout') continue;
    if (n.opType === 'Dropout' && (n.output.length > 1 && n.output[1] !== '')) continue;
    const [x] = n.input;
    const y = n.output[0]!;
    if (!x || g.isOutput(y)) continue;
    for (const m of g.nodes) m.input = m.input.map((t) => (t === y ? x : t));
    g.nodes = g.nodes.filter((m) => m !== n);
    folded.set(name(n), { op: n.opType, into: producers.get(x) ? name(producers.get(x)!) : x, how: 'removed (does nothing at inference)' });
  }
}

/** The single reader of a tensor that is not a graph output, if there is exactly one. */
function soleReader(g: OnnxGraph, tensor: string): NodeProto | undefined {
  if (g.isOutput(tensor)) return undefined;
  const readers = g.readers().get(tensor) ?? [];
  return readers.length === 1 ? readers[0]!.node : undefined;
}

function foldBatchNorms(g: OnnxGraph, folded: Folded): void {
  for (const bn of [...g.nodes]) {
    if (bn.opType !== 'BatchNormalization' || bn.output.filter((o) => o).length !== 1) continue;
    const [x, scaleName, biasName, meanName, varName] = bn.input;
    if (![scaleName, biasName, meanName, varName].every((t) => t && g.isFloatConstant(t))) continue;
    const prev = g.producer(x!);
    if (!prev || soleReader(g, x!) !== bn) continue;
    const eps = g.floatAttr(bn, 'epsilon', 1e-5);
    const gamma = g.values(scaleName!);
    const beta = g.values(biasName!);
    const mean = g.values(meanName!);
    const variance = g.values(varName!);
    const factor = Float32Array.from(gamma, (v, c) => v / Math.sqrt(variance[c]! + eps));
    const shift = Float32Array.from(beta, (b, c) => b - mean[c]! * factor[c]!);
    if (!scaleInto(g, prev, factor, shift)) continue;
    prev.output = [bn.output[0]!];
    g.nodes = g.nodes.filter((m) => m !== bn);
    folded.set(name(bn), { op: bn.opType, into: name(prev), how: 'folded into its weights and bias' });
  }
}

/**
 * Multiplies a Conv's or Gemm's output channels by `factor` and adds `shift`, through its weights
 * and bias. False when the node's layout does not allow it (weights not constant, Gemm transposed A).
 */
function scaleInto(g: OnnxGraph, node: NodeProto, factor: Float32Array, shift: Float32Array): boolean {
  const [, wName, bName] = node.input;
  if (!wName || !g.isFloatConstant(wName) || (bName && !g.isFloatConstant(bName))) return false;
  const dims = g.dims(wName);
  const channels = factor.length;
  // The weight seen as [outer, channels, inner]: conv (K, ...) has outer 1; Gemm B (K, N) has inner 1.
  let outer = 1;
  let inner = 1;
  if (node.opType === 'Conv') {
    if (dims[0] !== channels) return false;
    inner = dims.slice(1).reduce((a, b) => a * b, 1);
  } else if (node.opType === 'Gemm') {
    if (g.intAttr(node, 'transA', 0) !== 0 || dims.length !== 2 || g.floatAttr(node, 'alpha', 1) !== 1 || g.floatAttr(node, 'beta', 1) !== 1) return false;
    const transB = g.intAttr(node, 'transB', 0) === 1;
    const [rows, cols] = dims as [number, number];
    if ((transB ? rows : cols) !== channels) return false;
    if (transB) inner = cols;
    else outer = rows;
    if (bName && g.dims(bName).reduce((a, b) => a * b, 1) !== channels) return false;
  } else {
    return false;
  }
  const scaled = g.values(wName);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const f = factor[c]!;
      for (let k = 0; k < inner; k++, i++) scaled[i]! *= f;
    }
  }
  const bias = bName ? g.values(bName) : new Float32Array(channels);
  const newBias = Float32Array.from(shift, (s, c) => bias[c]! * factor[c]! + s);
  // An initializer other nodes also read keeps its values; the folded one then gets a new name.
  const readers = g.readers();
  const own = (t: string) => (readers.get(t) ?? []).length === 1;
  const wOut = g.setInitializer(floatTensor(own(wName) ? wName : g.fresh(`${wName}/folded`), dims, scaled));
  const bOut = g.setInitializer(floatTensor(bName && own(bName) ? bName : g.fresh(`${name(node)}/bias`), [channels], newBias));
  node.input = [node.input[0]!, wOut, bOut];
  return true;
}

function foldPads(g: OnnxGraph, folded: Folded): void {
  for (const pad of [...g.nodes]) {
    if (pad.opType !== 'Pad') continue;
    const mode = readAttr(pad, 'mode');
    if (mode !== undefined && mode !== 'constant') continue;
    const [x, padsName, valueName] = pad.input;
    if (!padsName || !g.initializers.has(padsName) || (valueName && !(g.initializers.has(valueName) && g.values(valueName).every((v) => v === 0)))) continue;
    if (pad.input.length > 3 && pad.input[3]) continue;
    const pads = Array.from(g.values(padsName));
    // NCHW pads [n, c, h, w, n, c, h, w]: only the spatial ones may be non-zero.
    if (pads.length !== 8 || pads[0] || pads[1] || pads[4] || pads[5] || pads.some((p) => p < 0)) continue;
    const next = soleReader(g, pad.output[0]!);
    if (!next || next.input[0] !== pad.output[0] || !(next.opType === 'Conv' || (next.opType === 'MaxPool' && nonNegative(g, x!)))) continue;
    const autoPad = readAttr(next, 'auto_pad');
    if (autoPad !== undefined && autoPad !== 'NOTSET') continue;
    const old = readAttr(next, 'pads');
    const ownPads = Array.isArray(old) && old.length === 4 ? (old as number[]) : [0, 0, 0, 0];
    const merged = [ownPads[0]! + pads[2]!, ownPads[1]! + pads[3]!, ownPads[2]! + pads[6]!, ownPads[3]! + pads[7]!];
    // MaxPool pads with -∞; zeros pad the same way only while every window keeps a real value.
    const kernel = readAttr(next, 'kernel_shape') as number[] | undefined;
    if (next.opType === 'MaxPool' && (!kernel || merged.some((p, i) => p >= kernel[i % 2]!))) continue;
    next.attribute = [...(next.attribute ?? []).filter((a) => a.name !== 'pads'), attr.ints('pads', merged)];
    next.input = [x!, ...next.input.slice(1)];
    g.nodes = g.nodes.filter((m) => m !== pad);
    folded.set(name(pad), { op: pad.opType, into: name(next), how: 'folded into its padding' });
  }
}

/** True when a tensor is the output of a Relu, or of a Clip whose lower bound is a constant ≥ 0. */
function nonNegative(g: OnnxGraph, tensor: string): boolean {
  const p = g.producer(tensor);
  if (p?.opType === 'Relu') return true;
  if (p?.opType !== 'Clip') return false;
  const lo = p.input[1];
  return lo !== undefined && lo !== '' && g.initializers.has(lo) && g.values(lo)[0]! >= 0;
}
