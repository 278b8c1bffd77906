/**
 * The int8 plan of a float graph: which nodes run quantized, which activation tensors get a
 * QuantizeLinear, and for every node left in float32 the reason. Decided from the graph alone
 * (before calibration), so calibration measures exactly the tensors the plan quantizes.
 */
import type { NodeProto } from '../../../onnx/proto.js';
import type { Folded } from './fold.js';
import type { OnnxGraph } from './onnx_graph.js';
import { ABSORBS_ACTIVATION, ACTIVATION_SLOTS, FLOAT_REASONS, INT8_OPS, type QuantKind } from './rules.js';
import { messages as m } from '../../../core/messages.js';

/** What happened to one node of the float graph. */
export interface LayerDecision {
  /** ONNX node name (convlab names its main nodes after the convlab layer). */
  node: string;
  op: string;
  precision: 'int8' | 'fp16' | 'bf16' | 'fp32' | 'folded';
  /** Why the node stayed float, or where it was folded. */
  reason?: string;
}

/** The plan for one graph. */
export interface QuantPlan {
  /** Quantized nodes and their kinds. */
  kinds: Map<NodeProto, QuantKind>;
  /** Relu / Clip nodes absorbed by the quantized node before them. */
  absorbed: Set<NodeProto>;
  /** Gemm / MatMul nodes whose output stays float (every reader is float). */
  floatOutput: Set<NodeProto>;
  /** Activation tensors that get a QuantizeLinear, in graph order. */
  tensors: string[];
  /** Tensors whose quantization parameters must equal another's (outputs of `keep` ops → their input). */
  sameAs: Map<string, string>;
  decisions: LayerDecision[];
}

/** Plan options. */
export interface PlanOptions {
  /** Node names to keep in float (`--exclude`). */
  exclude?: ReadonlySet<string>;
}

const nameOf = (n: NodeProto): string => n.name ?? n.output[0]!;

/** The activation inputs of a node of a given kind. */
export function activationInputs(g: OnnxGraph, n: NodeProto, kind: QuantKind): string[] {
  const slots = ACTIVATION_SLOTS[kind] === 'first' ? n.input.slice(0, 1) : n.input;
  return slots.filter((t) => t && !g.initializers.has(t));
}

/** Why a node of a quantizable op cannot be quantized on its own terms, or null when it can. */
function staticBlock(g: OnnxGraph, n: NodeProto, kind: QuantKind): string | null {
  const [x, w, b] = n.input;
  if (n.output.filter((o) => o).length !== 1) return m.manyOutputs();
  if (kind === 'conv') {
    if (!w || !g.isFloatConstant(w)) return m.weightsNotConstant();
    if (g.dims(w).length !== 4) return m.notConv2d(g.dims(w).length - 2);
    if (b && !g.isFloatConstant(b)) return m.biasNotConstant();
  }
  if (kind === 'gemm') {
    if (!w || !g.isFloatConstant(w) || g.dims(w).length !== 2) return m.weightsNotConstant();
    if (g.intAttr(n, 'transA', 0) !== 0 || g.floatAttr(n, 'alpha', 1) !== 1 || g.floatAttr(n, 'beta', 1) !== 1) return m.gemmForm();
    const units = g.dims(w)[g.intAttr(n, 'transB', 0) === 1 ? 0 : 1];
    if (b && (!g.isFloatConstant(b) || g.dims(b).reduce((p, d) => p * d, 1) !== units)) return m.biasNotConstant();
  }
  if (kind === 'matmul' && (!w || !g.isFloatConstant(w) || g.dims(w).length !== 2)) return m.weightsNotConstant();
  if (kind === 'activation' && n.opType === 'Clip' && n.input.slice(1).some((t) => t && !g.initializers.has(t))) return m.clipBounds();
  if (kind === 'binary' || kind === 'variadic') {
    const constant = n.input.filter((t) => t && g.initializers.has(t));
    if (constant.some((t) => !g.isFloatConstant(t))) return m.nonFloatConstant();
    if (constant.length === n.input.length) return m.allConstant();
  }
  if (x && !g.initializers.has(x) && !isFloatTensor(g, x)) return m.notFloat(x);
  return null;
}

/** False only for graph inputs declared with a non-float element type. */
function isFloatTensor(g: OnnxGraph, t: string): boolean {
  const input = g.inputs.find((i) => i.name === t);
  return !input || input.type?.tensorType?.elemType === 1;
}

/** Plans the int8 form of a (folded) float graph. */
export function planInt8(g: OnnxGraph, folded: Folded, o: PlanOptions = {}): QuantPlan {
  const producers = g.producers();
  const readers = g.readers();
  const kinds = new Map<NodeProto, QuantKind>();
  const reasons = new Map<NodeProto, string>();
  const candidates = new Map<NodeProto, QuantKind>();
  for (const n of g.nodes) {
    const kind = INT8_OPS[n.opType];
    if (o.exclude?.has(nameOf(n))) reasons.set(n, m.excluded());
    else if (!kind) reasons.set(n, FLOAT_REASONS[n.opType] ?? m.noInt8Kernel(n.opType));
    else {
      const block = staticBlock(g, n, kind);
      const writesOutput = n.output.some((t) => g.isOutput(t));
      if (block) reasons.set(n, block);
      else if (writesOutput && kind !== 'gemm' && kind !== 'matmul') reasons.set(n, m.writesOutput());
      else candidates.set(n, kind);
    }
  }
  // Arithmetic ops quantize on their own; data movers and activations follow their neighbours.
  for (const [n, kind] of candidates) if (kind !== 'keep' && kind !== 'activation') kinds.set(n, kind);
  const absorbed = new Set<NodeProto>();
  const quantizedInput = (t: string | undefined): boolean => {
    const p = t ? producers.get(t) : undefined;
    return p !== undefined && kinds.has(p);
  };
  const quantizedReader = (t: string): boolean => (readers.get(t) ?? []).some((r) => kinds.has(r.node));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [n, kind] of candidates) {
      if (kinds.has(n)) continue;
      let join = false;
      if (kind === 'keep') join = quantizedInput(n.input[0]) || quantizedReader(n.output[0]!);
      else if (kind === 'activation') {
        const p = producers.get(n.input[0]!);
        const pKind = p ? kinds.get(p) : undefined;
        const sole = (readers.get(n.input[0]!) ?? []).length === 1 && !g.isOutput(n.input[0]!);
        if (pKind && ABSORBS_ACTIVATION.has(pKind) && sole) absorbed.add(n);
        join = absorbed.has(n) || quantizedInput(n.input[0]);
      }
      if (join) {
        kinds.set(n, kind);
        changed = true;
      }
    }
  }
  for (const [n] of candidates) if (!kinds.has(n)) reasons.set(n, m.floatNeighbours());

  // A Gemm or MatMul keeps a float output when nothing quantized reads it (or it is a graph output).
  const floatOutput = new Set<NodeProto>();
  for (const [n, kind] of kinds) {
    if (kind !== 'gemm' && kind !== 'matmul') continue;
    const out = n.output[0]!;
    const next = (readers.get(out) ?? []).find((r) => absorbed.has(r.node))?.node;
    const effective = next ? next.output[0]! : out;
    if (g.isOutput(effective) || !quantizedReader(effective)) {
      floatOutput.add(n);
      if (next) {
        absorbed.delete(next);
        kinds.delete(next);
        reasons.set(next, m.floatNeighbours());
      }
    }
  }

  const tensors: string[] = [];
  const seen = new Set<string>();
  const add = (t: string) => {
    if (!seen.has(t)) {
      seen.add(t);
      tensors.push(t);
    }
  };
  const sameAs = new Map<string, string>();
  for (const n of g.nodes) {
    const kind = kinds.get(n);
    if (!kind) continue;
    if (!absorbed.has(n)) for (const t of activationInputs(g, n, kind)) add(t);
    const out = n.output[0]!;
    const feedsAbsorbed = (readers.get(out) ?? []).some((r) => absorbed.has(r.node));
    if (!floatOutput.has(n) && !feedsAbsorbed) add(out);
    if (kind === 'keep') sameAs.set(out, n.input[0]!);
  }

  const current = new Map<string, LayerDecision>();
  for (const n of g.nodes) {
    const d: LayerDecision = { node: nameOf(n), op: n.opType, precision: kinds.has(n) ? 'int8' : 'fp32' };
    const why = reasons.get(n);
    if (!kinds.has(n) && why) d.reason = why;
    current.set(d.node, d);
  }
  const decisions = inOriginalOrder(g, folded, current);
  return { kinds, absorbed, floatOutput, tensors, sameAs, decisions };
}

/** Decisions in the order of the original graph, folded nodes where they were. */
export function inOriginalOrder(g: OnnxGraph, folded: Folded, current: ReadonlyMap<string, LayerDecision>): LayerDecision[] {
  const out: LayerDecision[] = [];
  for (const original of g.model.graph.node) {
    const name = nameOf(original);
    const f = folded.get(name);
    const d = current.get(name);
    if (f) out.push({ node: name, op: f.op, precision: 'folded', reason: m.foldedInto(f.into, f.how) });
    else if (d) out.push(d);
  }
  return out;
}
