/**
 * The state of one ONNX import: what each ONNX tensor stands for, the convlab nodes emitted so
 * far (with their weights, converted lazily to Keras layout), deterministic node names, and the
 * location every message carries (`node /conv1/Conv (Conv) at index 3`).
 */
import { AttributeError, ConvlabError, DataError, ShapeError, SpecError, UsageError } from '../../core/errors.js';
import { resolveNode } from '../../graph/graph.js';
import type { AttrValue, InputSpec, NodeSpec, Shape } from '../../graph/types.js';
import type { OpType } from '../../ops/types.js';
import { readAttr, type NodeProto } from '../../onnx/proto.js';
import { scopeBlocks } from '../scopes.js';
import { sameOrder, type ConstValue, type Layout, type PendingInput, type TensorValue, type Value } from './values.js';
import { messages as m } from '../../core/messages.js';

/** A weight getter: Keras-layout values, or undefined when the file carries none. */
export type LazyWeight = () => Float32Array | undefined;

/** A convlab node emitted by the importer. */
export interface Emitted {
  spec: NodeSpec & { attrs: Record<string, AttrValue> };
  /** The tensors it reads, as the importer saw them (layout included). */
  inputValues: TensorValue[];
  inputShapes: Shape[];
  shape: Shape;
  weights: Map<string, LazyWeight>;
  removed: boolean;
  /** Name of the ONNX node it came from. */
  onnxName: string;
}

/** Options that shape how tensors are read. */
interface ContextOptions {
  source: string;
  opset: number;
  /** True when the file's metadata says its feature-map inputs are NHWC (files convlab exported). */
  nhwcInputs: boolean;
  /** Replaces the single data input's [H, W, C]. */
  input?: Shape;
}

/** Turns an ONNX name into a convlab name: `/layer1/layer1.0/conv1/Conv` → `layer1_layer1_0_conv1_Conv`. */
export const sanitize = (name: string): string => name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');

/** Appends to a list in a map of lists. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

interface Current {
  node: NodeProto;
  index: number;
  base?: string;
  emitted: number;
}

export class ImportContext {
  private readonly values = new Map<string, Value>();
  /** ONNX names bound to each convlab tensor, and to each graph input not yet classified. */
  private readonly tensorNames = new Map<string, string[]>();
  private readonly pendingNames = new Map<PendingInput, string[]>();
  /** How many live convlab nodes read each convlab tensor. */
  private readonly nodeReaders = new Map<string, number>();
  readonly nodes: Emitted[] = [];
  readonly inputs: Array<InputSpec & { index: number }> = [];
  /** Batch size of the ONNX graph (its first data input's leading dim, 1 when free). */
  batch = 1;
  private readonly byName = new Map<string, Emitted>();
  private readonly used = new Set<string>();
  private readonly uses = new Map<string, number>();
  private current: Current | undefined;
  /** The block of each ONNX node, from its name scopes. */
  private readonly blocks: string[][];

  constructor(readonly o: ContextOptions, nodes: readonly NodeProto[], graphOutputs: readonly string[]) {
    this.blocks = scopeBlocks(nodes.map((n) => n.name ?? ''));
    for (const n of nodes) for (const i of n.input) if (i) this.uses.set(i, (this.uses.get(i) ?? 0) + 1);
    for (const out of graphOutputs) this.uses.set(out, (this.uses.get(out) ?? 0) + 1);
  }

  /** Binds ONNX tensor `name` to a value. */
  bind(name: string, v: Value): void {
    this.values.set(name, v);
    if (v.kind === 'tensor') push(this.tensorNames, v.name, name);
    if (v.kind === 'input') push(this.pendingNames, v, name);
  }

  /** The value bound to ONNX tensor `name`. */
  value(name: string): Value | undefined {
    return this.values.get(name);
  }

  /** Rebinds every ONNX name of a graph input, once it is classified. */
  private classify(p: PendingInput, v: Value): void {
    for (const name of this.pendingNames.get(p) ?? []) this.bind(name, v);
    this.pendingNames.delete(p);
  }

  /** Starts converting ONNX node `index`. */
  begin(node: NodeProto, index: number): void {
    this.current = { node, index, emitted: 0 };
  }

  get node(): NodeProto {
    return this.current!.node;
  }

  /** Prefixes a message with the current node's location. */
  where(what: string): string {
    const c = this.current;
    if (!c) return `${this.o.source}: ${what}`;
    return m.onnxAtNode(this.o.source, c.node.name ?? '', c.node.opType, c.index, what);
  }

  /** Fails at the current node with a SpecError (or another ConvlabError class). */
  fail(what: string, kind: 'spec' | 'attribute' | 'data' = 'spec'): never {
    const text = this.where(what);
    const node = this.current?.node.name ?? '';
    if (kind === 'attribute') throw new AttributeError(text, { node });
    if (kind === 'data') throw new DataError(text);
    throw new SpecError(text, { node });
  }

  /** An attribute of the current node, decoded by its type; undefined when absent. */
  attr(name: string): ReturnType<typeof readAttr> {
    return readAttr(this.node, name);
  }

  /** A string attribute. */
  strAttr(name: string, fallback: string): string {
    const v = this.attr(name);
    if (v === undefined) return fallback;
    if (typeof v !== 'string') this.fail(m.unsupportedAttr(name, v, 'expected a string'), 'attribute');
    return v;
  }

  /** An integer attribute; a wrong type is an error naming it. */
  intAttr(name: string, fallback: number): number {
    const v = this.attr(name);
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(m.unsupportedAttr(name, v, 'expected an integer'), 'attribute');
    return v;
  }

  /** A float attribute. */
  floatAttr(name: string, fallback: number): number {
    const v = this.attr(name);
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(m.unsupportedAttr(name, v, 'expected a number'), 'attribute');
    return v;
  }

  /** A list-of-integers attribute of a given length (or any length when `length` is undefined). */
  intsAttr(name: string, fallback: number[], length?: number): number[] {
    const v = this.attr(name);
    if (v === undefined) return fallback;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x)) || (length !== undefined && v.length !== length)) {
      this.fail(m.unsupportedAttr(name, v, length === undefined ? 'expected integers' : `expected ${length} integers`), 'attribute');
    }
    return v as number[];
  }

  /** The Value of input `i`, or undefined when the input is absent (optional inputs may be ''). */
  optional(i: number): Value | undefined {
    const name = this.node.input[i];
    if (name === undefined || name === '') return undefined;
    return this.values.get(name);
  }

  /** The ONNX name of input `i`. */
  inputName(i: number): string {
    return this.node.input[i] ?? '';
  }

  /**
   * Input `i` as a computed tensor. Graph inputs become convlab inputs here. `layouts` lists the
   * layouts the op understands; `chw` allows vectors held in NCHW flatten order.
   */
  tensor(i: number, role: string, o: { layouts?: readonly Layout[]; chw?: boolean } = {}): TensorValue {
    const v = this.optional(i);
    const name = this.inputName(i);
    if (!v) this.fail(m.unsupportedInput(role, 'is missing'));
    if (v.kind === 'const') this.fail(m.needsTensor(role, name));
    const t = v.kind === 'input' ? this.materialize(v) : v;
    const layouts = o.layouts ?? ['nchw', 'plain'];
    if (!layouts.includes(t.layout)) this.fail(m.layout(name, t.layout === 'nhwc' ? 'an NHWC feature map' : t.layout === 'nchw' ? 'an NCHW feature map' : `a rank-${t.shape.length + 1} tensor`, layouts.join(' or ')));
    if (t.chw && !o.chw) this.fail(m.flattenOrder(name, t.chw));
    return t;
  }

  /** Input `i` as a constant; a graph input here is a weight exported without values. */
  constant(i: number, role: string): ConstValue {
    const v = this.optional(i);
    const name = this.inputName(i);
    if (!v) this.fail(m.unsupportedInput(role, 'is missing'));
    if (v.kind === 'tensor') this.fail(m.needsConstant(role, name));
    if (v.kind === 'const') return v;
    const dims = v.dims.map((d) => (typeof d === 'number' ? d : NaN));
    if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) this.fail(m.onnxWeightShape(role, name, 'fully known', v.dims));
    const c: ConstValue = { kind: 'const', dims, values: () => undefined, origin: v.name, int: false };
    // Every ONNX name bound to this graph input now means the same weight.
    this.classify(v, c);
    return c;
  }

  /** Values of a constant input that decides structure (shapes, pads, clip bounds): they must be in the file. */
  constValues(i: number, role: string): { c: ConstValue; data: Float32Array } {
    const c = this.constant(i, role);
    const data = c.values();
    if (!data) this.fail(m.needsValues(role, this.inputName(i)));
    return { c, data };
  }

  /** A convlab input for a graph input, at its first use as data. */
  private materialize(p: PendingInput): TensorValue {
    const source = this.o.source;
    const d = [...p.dims];
    if (d.length < 2) throw new SpecError(m.onnxInputRank(source, p.name, d));
    if (typeof d[0] === 'number' && d[0] > 0 && this.inputs.length === 0) this.batch = d[0];
    let layout: Layout = 'plain';
    let shape: Array<number | string> = d.slice(1);
    if (d.length === 4) {
      layout = this.o.nhwcInputs || this.looksNhwc(d) ? 'nhwc' : 'nchw';
      shape = layout === 'nhwc' ? [d[1]!, d[2]!, d[3]!] : [d[2]!, d[3]!, d[1]!];
    }
    if (this.o.input && this.inputs.length === 0) {
      if (this.o.input.length !== shape.length) throw new UsageError(m.onnxInputRank(source, p.name, ['N', ...this.o.input]));
      shape = [...this.o.input];
    }
    if (!shape.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x > 0)) throw new SpecError((o) => m.freeDim(source, p.name, d, o));
    const name = this.unique(sanitize(p.name) || `input_${p.index}`);
    this.inputs.push({ name, shape: shape as number[], index: p.index });
    const t: TensorValue = { kind: 'tensor', name, shape: shape as number[], layout };
    this.classify(p, t);
    return t;
  }

  /**
   * Without metadata, a rank-4 input is NCHW unless its consumer converts it from NHWC: a
   * Transpose with perm [0, 3, 1, 2] (or the Reshape an exporter uses when the orders agree).
   */
  private looksNhwc(d: Array<number | string>): boolean {
    const n = this.node;
    if (n.opType === 'Transpose') {
      const perm = readAttr(n, 'perm');
      return Array.isArray(perm) && perm.join() === '0,3,1,2';
    }
    if (n.opType === 'Reshape') {
      const target = this.values.get(n.input[1] ?? '');
      const t = target?.kind === 'const' ? target.values() : undefined;
      if (!t || t.length !== 4 || typeof d[1] !== 'number' || typeof d[2] !== 'number' || typeof d[3] !== 'number') return false;
      const nhwc = [d[1], d[2], d[3]];
      return t[1] === d[3] && t[2] === d[1] && t[3] === d[2] && sameOrder(nhwc) && !(d[1] === d[3] && d[2] === d[1]);
    }
    return false;
  }

  /** A unique convlab name. */
  unique(base: string): string {
    let n = base;
    for (let k = 1; this.used.has(n); k++) n = `${base}_${k}`;
    this.used.add(n);
    return n;
  }

  private nextName(): string {
    const c = this.current!;
    if (c.base === undefined) {
      const fromNode = sanitize(c.node.name ?? '');
      const fromOutput = sanitize(c.node.output[0] ?? '');
      c.base = fromNode || fromOutput || `${c.node.opType.toLowerCase()}_${c.index}`;
    }
    c.emitted++;
    return this.unique(c.emitted === 1 ? c.base : `${c.base}_${c.emitted - 1}`);
  }

  /**
   * Emits a convlab node named after the current ONNX node; its shape is inferred at once, and a
   * rule failure is reported at the ONNX node. Rank-3 outputs are NCHW maps unless `layout` says.
   */
  emit(op: OpType, inputs: TensorValue[], attrs: Record<string, AttrValue>, weights: Record<string, LazyWeight> = {}, layout?: Layout): TensorValue {
    const block = this.blocks[this.current!.index] ?? [];
    const spec = { name: this.nextName(), op, inputs: inputs.map((t) => t.name), attrs, ...(block.length ? { block } : {}) };
    const inputShapes = inputs.map((t) => t.shape);
    const shape = this.infer(spec, inputShapes);
    const e: Emitted = { spec, inputValues: inputs, inputShapes, shape, weights: new Map(Object.entries(weights)), removed: false, onnxName: this.node.name ?? '' };
    this.nodes.push(e);
    this.byName.set(spec.name, e);
    for (const i of spec.inputs) this.nodeReaders.set(i, (this.nodeReaders.get(i) ?? 0) + 1);
    return { kind: 'tensor', name: spec.name, shape, layout: layout ?? (shape.length === 3 ? inputs[0]?.layout === 'nhwc' ? 'nhwc' : 'nchw' : 'plain') };
  }

  /** Re-checks an emitted node after its attrs changed (a folded bias or scale). */
  update(e: Emitted, attrs: Record<string, AttrValue>): void {
    const shape = this.infer({ ...e.spec, attrs }, e.inputShapes);
    e.spec.attrs = attrs;
    e.shape = shape;
  }

  private infer(spec: NodeSpec, inputShapes: Shape[]): Shape {
    try {
      return resolveNode(spec, inputShapes).outputShape;
    } catch (err) {
      if (!(err instanceof ConvlabError)) throw err;
      const text = this.where(err.message);
      const where = { node: spec.name };
      if (err instanceof ShapeError) throw new ShapeError(text, where);
      if (err instanceof AttributeError) throw new AttributeError(text, where);
      throw new SpecError(text, where);
    }
  }

  /** The emitted node computing a tensor, when it is a node (not a graph input). */
  producer(t: TensorValue): Emitted | undefined {
    const e = this.byName.get(t.name);
    return e && !e.removed ? e : undefined;
  }

  /**
   * True when tensor `t` has no reader but the current node (or `readers` ONNX readers in all,
   * when a pattern has already absorbed the others), so a pattern may rewrite its producer.
   * Counted over every ONNX name bound to it, graph outputs included.
   */
  soleUse(t: TensorValue, readers = 1): boolean {
    let count = 0;
    for (const name of new Set(this.tensorNames.get(t.name))) count += this.uses.get(name) ?? 0;
    return count === readers && (this.nodeReaders.get(t.name) ?? 0) === 0;
  }

  /** True when some node or graph output reads ONNX tensor `name`. */
  isUsed(name: string): boolean {
    return (this.uses.get(name) ?? 0) > 0;
  }

  /** Drops an emitted node a pattern has absorbed. */
  remove(e: Emitted): void {
    e.removed = true;
    this.byName.delete(e.spec.name);
    for (const i of e.spec.inputs) this.nodeReaders.set(i, (this.nodeReaders.get(i) ?? 0) - 1);
  }
}
