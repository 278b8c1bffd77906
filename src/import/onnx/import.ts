/**
 * Reads ONNX models into convlab graphs. Browser-safe: takes the file's bytes.
 *
 * The walk: decode (the exporter's protobuf layer), check the graph's structure (one producer per
 * tensor, no dangling inputs, no cycles), then visit nodes in dependency order. Constant work is
 * folded (onnx_fold.ts); every other node goes through the op table, which emits convlab nodes in
 * NHWC and converts weights to Keras layout. A node the table cannot map stops the import with a
 * message naming it, its op type and its index; nothing is dropped or counted as zero.
 */
import { DataError, SpecError } from '../../core/errors.js';
import { resolveGraph } from '../../graph/graph.js';
import type { GraphSpec, Shape } from '../../graph/types.js';
import { decodeModel, metadataOf, type GraphProto, type ModelProto } from '../../onnx/proto.js';
import { floatOfQdq } from '../../onnx/dequantize.js';
import { ImportContext, type Emitted } from './context.js';
import { FOLDERS, foldGlobalPoolFlatten, tryFold } from './fold.js';
import { COMPUTE_OPS, type Converter } from './ops.js';
import { MERGE_OPS } from './ops_merge.js';
import { SHAPE_OPS } from './ops_shape.js';
import { RESAMPLE_OPS } from './ops_resample.js';
import { constOf, type Layout, type Value } from './values.js';
import { WEIGHTS_META_KEY } from '../../weights/manifest.js';
import type { WeightMap } from '../../weights/map.js';
import type { ImportedModel, ImportSource } from '../types.js';
import { messages as m } from '../../core/messages.js';

export interface OnnxImportOptions {
  /** Names the file in messages (default "model.onnx"); its stem names the graph. */
  source?: string;
  /**
   * Also read the weights into a WeightMap (Keras layout): `true` fails when the file carries
   * none; 'available' gives them when the file carries them all and leaves them out otherwise.
   */
  weights?: boolean | 'available';
  /**
   * Values for the graph inputs no initializer backs, in their order (what `convlab run` is
   * given): an input the graph reads as a weight (a file exported without initializers) takes its
   * value from here; inputs read as data ignore theirs.
   */
  inputValues?: ReadonlyArray<{ dims: number[]; data: Float32Array }>;
  /** Replaces the single data input's [H, W, C] (or [F]), for files with free dimensions. */
  input?: Shape;
}


/** The op table: every ONNX op convlab maps. Ops whose inputs are all constants are folded before it. */
const CONVERTERS: Readonly<Record<string, Converter>> = { ...COMPUTE_OPS, ...SHAPE_OPS, ...MERGE_OPS, ...RESAMPLE_OPS };

/** ONNX op types the importer maps (for docs and messages). */
export const SUPPORTED_OPS: readonly string[] = Object.keys(CONVERTERS).sort();

const isStr = (x: unknown): x is string => typeof x === 'string';

/** The default-domain opset, checked. */
function opsetOf(model: ModelProto, source: string): number {
  const entry = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  const v = entry?.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1000) throw new DataError(m.badField(source, 'the ai.onnx opset version', 'an integer from 1', v));
  return v;
}

/** Checks the fields the walk relies on: node op types and tensor names are strings. */
function checkStructure(g: GraphProto, source: string): void {
  const lists: Array<[string, unknown]> = [['graph.node', g.node], ['graph.input', g.input], ['graph.output', g.output], ['graph.initializer', g.initializer]];
  for (const [where, list] of lists) if (!Array.isArray(list)) throw new DataError(m.badField(source, where, 'a list', list));
  g.node.forEach((n, i) => {
    if (!isStr(n.opType) || n.opType === '') throw new DataError(m.badField(source, `graph.node[${i}].op_type`, 'a non-empty string', n.opType));
    if (!Array.isArray(n.input) || !n.input.every(isStr) || !Array.isArray(n.output) || !n.output.every(isStr)) {
      throw new DataError(m.badField(source, `graph.node[${i}] inputs and outputs`, 'lists of tensor names', { input: n.input, output: n.output }));
    }
  });
  if (g.output.length === 0) throw new SpecError(m.onnxNoOutputs(source));
}

/**
 * Node indices in dependency order (Kahn's algorithm, file order among ready nodes). Reports a
 * tensor with two producers, an input nothing produces, and cycles by node name.
 */
function dependencyOrder(g: GraphProto, known: ReadonlySet<string>, source: string): number[] {
  const producer = new Map<string, number>();
  g.node.forEach((n, i) => {
    for (const out of n.output) {
      if (out === '') continue;
      const first = producer.get(out);
      if (first !== undefined || known.has(out)) throw new SpecError(m.duplicateOutput(source, out, first ?? -1, i));
      producer.set(out, i);
    }
  });
  const pending = new Array<number>(g.node.length).fill(0);
  const readers = new Map<number, number[]>();
  g.node.forEach((n, i) => {
    const deps = new Set<number>();
    for (const inp of n.input) {
      if (inp === '' || known.has(inp)) continue;
      const p = producer.get(inp);
      if (p === undefined) throw new SpecError(m.onnxDanglingInput(source, n.name ?? '', n.opType, i, inp));
      deps.add(p);
    }
    pending[i] = deps.size;
    for (const d of deps) {
      const list = readers.get(d);
      if (list) list.push(i);
      else readers.set(d, [i]);
    }
  });
  // Ready nodes leave in file order, so a file that is already sorted keeps its order.
  const order: number[] = [];
  const ready = new MinHeap();
  pending.forEach((p, i) => p === 0 && ready.push(i));
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    order.push(i);
    for (const r of readers.get(i) ?? []) if (--pending[r]! === 0) ready.push(r);
  }
  if (order.length < g.node.length) throw new SpecError(m.onnxCycle(source, findCycle(g, pending, producer)));
  return order;
}

/** A binary min-heap of node indices. */
class MinHeap {
  private readonly a: number[] = [];

  push(x: number): void {
    const a = this.a;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= a[i]!) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  pop(): number | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]! < a[m]!) m = l;
      if (r < a.length && a[r]! < a[m]!) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i]!, a[m]!];
      i = m;
    }
    return top;
  }
}

/** One cycle among the nodes left waiting, as node names. */
function findCycle(g: GraphProto, pending: number[], producer: Map<string, number>): string[] {
  const stuck = (i: number) => pending[i]! > 0;
  let cur = pending.findIndex((p) => p > 0);
  const seen: number[] = [];
  const visited = new Set<number>();
  while (!visited.has(cur)) {
    seen.push(cur);
    visited.add(cur);
    const next = g.node[cur]!.input.map((t) => producer.get(t)).find((p) => p !== undefined && stuck(p));
    if (next === undefined) break;
    cur = next;
  }
  const label = (i: number) => g.node[i]!.name || `#${i} (${g.node[i]!.opType})`;
  return [...seen.slice(Math.max(seen.indexOf(cur), 0)).reverse(), cur].map(label);
}

/** Converts the current node: folded when constant, mapped through the op table otherwise. */
function convert(ctx: ImportContext): Value[] {
  const folded = tryFold(ctx);
  if (folded) return folded;
  const n = ctx.node;
  if (n.domain && n.domain !== 'ai.onnx') ctx.fail(m.unsupportedOp(n.opType, n.domain));
  const converter = Object.prototype.hasOwnProperty.call(CONVERTERS, n.opType) ? CONVERTERS[n.opType] : undefined;
  if (!converter && (Object.prototype.hasOwnProperty.call(FOLDERS, n.opType) || n.opType === 'Shape' || n.opType === 'Size')) {
    return ctx.fail(m.foldOnly(n.opType));
  }
  if (!converter) return ctx.fail(m.unsupportedOp(n.opType, ''));
  return converter(ctx);
}

const stemOf = (source: string): string | undefined => /([^/\\]+)\.onnx$/i.exec(source)?.[1];

/** spec.meta: what a convlab export recorded, plus where this graph came from. */
function metaOf(model: ModelProto, source: ImportSource): Record<string, unknown> {
  let recorded: Record<string, unknown> = {};
  const text = metadataOf(model)['convlab.meta'];
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) recorded = parsed as Record<string, unknown>;
      // A weights file named by the spec that was exported is not this file's weights.
      delete recorded[WEIGHTS_META_KEY];
    } catch {
      // Metadata is informative only; a damaged entry must not stop the import.
    }
  }
  return { ...recorded, source };
}

/** Imports ONNX bytes as a resolved graph (and, when asked, its weights in Keras layout). */
export function importOnnx(bytes: Uint8Array, o: OnnxImportOptions = {}): OnnxImported {
  const source = o.source ?? 'model.onnx';
  const decoded = decodeModel(bytes, source);
  checkStructure(decoded.graph, source);
  // A quantized (QDQ) file imports as the float graph it computes.
  const model = floatOfQdq(decoded, source);
  const g = model.graph;
  const opset = opsetOf(model, source);
  const meta = metadataOf(model);
  const ctx = new ImportContext(
    { source, opset, nhwcInputs: meta['convlab.layout'] === 'NHWC', ...(o.input ? { input: o.input } : {}) },
    g.node,
    g.output.map((x) => x.name),
  );

  const known = new Set<string>();
  for (const t of g.initializer) {
    if (!isStr(t.name) || t.name === '') throw new DataError(m.badField(source, 'an initializer name', 'a non-empty string', t.name));
    known.add(t.name);
    ctx.bind(t.name, constOf(t, source));
  }
  let position = 0;
  g.input.forEach((inp, index) => {
    if (!isStr(inp.name) || ctx.value(inp.name)) return;
    const dims = (inp.type?.tensorType?.shape?.dim ?? []).map((d) => (typeof d.dimValue === 'number' && d.dimValue > 0 ? d.dimValue : d.dimParam ?? '?'));
    const given = o.inputValues?.[position++];
    ctx.bind(inp.name, { kind: 'input', name: inp.name, index, dims, ...(given ? { given } : {}) });
    known.add(inp.name);
  });

  for (const i of dependencyOrder(g, known, source)) {
    const node = g.node[i]!;
    ctx.begin(node, i);
    const outs = convert(ctx);
    node.output.forEach((name, k) => {
      if (name === '') return;
      const v = outs[k];
      if (v) ctx.bind(name, v);
      else if (ctx.isUsed(name)) ctx.fail(m.unusedOutputUsed(name, `#${k}`));
    });
  }

  const outputIo: OnnxTensorIo[] = g.output.map((out) => {
    const v = ctx.value(out.name);
    if (!v) throw new SpecError(m.unknownGraphOutput(source, out.name));
    if (v.kind === 'const') throw new SpecError(`${source}: ${m.constantOutput(out.name)}`);
    if (v.kind === 'input') throw new SpecError(`${source}: ${m.inputOutput(out.name)}`);
    if (v.chw) throw new SpecError(`${source}: ${m.flattenedOutput(out.name, v.chw)}`);
    return { onnx: out.name, tensor: v.name, layout: v.layout };
  });
  const outputs = outputIo.map((x) => x.tensor);
  if (ctx.inputs.length === 0) throw new SpecError(m.noDataInput(source));
  if (o.input && ctx.inputs.length > 1) throw new SpecError(m.inputOverride(source, ctx.inputs.length));
  foldGlobalPoolFlatten(ctx.nodes, outputs);
  // A folded Flatten hands its output name to the pool before it: the ONNX output now reads that.
  outputIo.forEach((x, k) => (x.tensor = outputs[k]!));

  const live = ctx.nodes.filter((e) => !e.removed);
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ');
  const from: ImportSource = { format: 'onnx', file: source, opset, ...(producer ? { producer } : {}) };
  const spec: GraphSpec = {
    name: stemOf(source) ?? (g.name || 'imported'),
    inputs: [...ctx.inputs].sort((a, b) => a.index - b.index).map(({ name, shape }) => ({ name, shape })),
    nodes: live.map((e) => ({ name: e.spec.name, op: e.spec.op, inputs: [...e.spec.inputs], attrs: e.spec.attrs, ...(e.spec.block ? { block: e.spec.block } : {}) })),
    outputs,
    meta: metaOf(model, from),
  };
  const graph = resolveGraph(spec);
  const inputIo: OnnxTensorIo[] = [...ctx.inputs].sort((a, b) => a.index - b.index).map((i) => {
    const onnx = g.input[i.index]!.name;
    const v = ctx.value(onnx);
    return { onnx, tensor: i.name, layout: v?.kind === 'tensor' ? v.layout : 'plain' };
  });
  const initializers = new Set(g.initializer.map((t) => t.name));
  const order = g.input.map((i) => i.name).filter((n) => !initializers.has(n));
  const dataNames = new Set(inputIo.map((d) => d.onnx));
  const io = { inputs: inputIo, outputs: outputIo, order, parameters: order.filter((n) => !dataNames.has(n)) };
  const result: OnnxImported = { graph, spec, source: from, io };
  if (!o.weights) return result;
  const { weights, missing } = collectWeights(live);
  if (missing.length === 0) return { ...result, weights };
  if (o.weights === 'available') return result;
  throw new DataError(m.noWeights(source, missing.length, missing.slice(0, 3)));
}

/** A graph input or output as the file names and lays it out, and the convlab tensor it became. */
export interface OnnxTensorIo {
  onnx: string;
  tensor: string;
  /** 'nchw': the file holds this feature map as [N, C, H, W] where convlab holds [N, H, W, C]. */
  layout: Layout;
}

/** An imported ONNX file with its inputs and outputs as the file has them. */
export interface OnnxImported extends ImportedModel {
  io: {
    inputs: OnnxTensorIo[];
    outputs: OnnxTensorIo[];
    /** Every graph input no initializer backs, data and parameters, in the file's order (ONNX names). */
    order: string[];
    /** Those of them that are parameters (a file exported without initializers): weights given at run time. */
    parameters: string[];
  };
}


/** Evaluates every weight getter; a file exported without parameters has none to give (they are listed as missing). */
function collectWeights(nodes: readonly Emitted[]): { weights: WeightMap; missing: string[] } {
  const weights: WeightMap = new Map();
  const missing: string[] = [];
  for (const e of nodes) {
    for (const [name, get] of e.weights) {
      const v = get();
      if (v) weights.set(`${e.spec.name}/${name}`, v);
      else missing.push(`${e.spec.name}/${name}`);
    }
  }
  return { weights, missing };
}
