/**
 * An editable view of an ONNX graph for the quantizer's passes: who produces and who reads each
 * tensor, initializers by name, and fresh names. Passes rewrite `nodes` and `initializers`, then
 * `toModel` writes them back. Browser-safe.
 */
import { DataType, readAttr, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../../../onnx/proto.js';
import { tensorValues } from '../../../onnx/tensors.js';

/** A node with the position it had in the graph. */
export interface Reader {
  node: NodeProto;
  /** Which input slot reads the tensor. */
  slot: number;
}

/** A mutable copy of a model's graph with producer / reader indexes. */
export class OnnxGraph {
  nodes: NodeProto[];
  readonly initializers = new Map<string, TensorProto>();
  readonly inputs: ValueInfoProto[];
  readonly outputs: ValueInfoProto[];
  private readonly taken = new Set<string>();

  constructor(readonly model: ModelProto, readonly source = 'model') {
    const g = model.graph;
    this.nodes = g.node.map((n) => ({ ...n, input: [...n.input], output: [...n.output] }));
    for (const t of g.initializer) this.initializers.set(t.name!, t);
    // Initializers listed as graph inputs (old exporters) are constants, not inputs.
    this.inputs = g.input.filter((i) => !this.initializers.has(i.name));
    this.outputs = [...g.output];
    for (const n of this.nodes) {
      if (n.name) this.taken.add(n.name);
      for (const o of n.output) this.taken.add(o);
    }
    for (const name of this.initializers.keys()) this.taken.add(name);
    for (const i of this.inputs) this.taken.add(i.name);
  }

  /** The opset of the default domain. */
  get opset(): number {
    return this.model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0;
  }

  /** A name nothing in the graph uses yet, based on `wanted`. */
  fresh(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.taken.has(name); i++) name = `${wanted}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** The node writing a tensor, or undefined for graph inputs and initializers. */
  producer(tensor: string): NodeProto | undefined {
    return this.nodes.find((n) => n.output.includes(tensor));
  }

  /** Map from tensor name to its producing node. */
  producers(): Map<string, NodeProto> {
    const m = new Map<string, NodeProto>();
    for (const n of this.nodes) for (const o of n.output) if (o) m.set(o, n);
    return m;
  }

  /** Map from tensor name to the nodes (and slots) reading it. */
  readers(): Map<string, Reader[]> {
    const m = new Map<string, Reader[]>();
    for (const node of this.nodes) {
      node.input.forEach((t, slot) => {
        if (!t) return;
        const list = m.get(t);
        if (list) list.push({ node, slot });
        else m.set(t, [{ node, slot }]);
      });
    }
    return m;
  }

  /** True when a tensor is one of the graph outputs. */
  isOutput(tensor: string): boolean {
    return this.outputs.some((o) => o.name === tensor);
  }

  /** True for a float32 initializer. */
  isFloatConstant(tensor: string): boolean {
    return this.initializers.get(tensor)?.dataType === DataType.FLOAT;
  }

  /** An initializer's values as float32. */
  values(tensor: string): Float32Array {
    return tensorValues(this.initializers.get(tensor)!, this.source);
  }

  /** An initializer's dims. */
  dims(tensor: string): number[] {
    return this.initializers.get(tensor)?.dims ?? [];
  }

  /** Adds (or replaces) an initializer. */
  setInitializer(t: TensorProto): string {
    this.initializers.set(t.name!, t);
    this.taken.add(t.name!);
    return t.name!;
  }

  /** A node's integer attribute, or a default. */
  intAttr(node: NodeProto, name: string, fallback: number): number {
    const v = readAttr(node, name);
    return typeof v === 'number' ? v : fallback;
  }

  /** A node's float attribute, or a default. */
  floatAttr(node: NodeProto, name: string, fallback: number): number {
    const v = readAttr(node, name);
    return typeof v === 'number' ? v : fallback;
  }

  /** The model with this graph's nodes and the initializers they still read. */
  toModel(extra: Partial<ModelProto> = {}): ModelProto {
    const used = new Set(this.nodes.flatMap((n) => n.input));
    for (const o of this.outputs) used.add(o.name);
    const graph: GraphProto = {
      ...this.model.graph,
      node: this.nodes,
      initializer: [...this.initializers.values()].filter((t) => used.has(t.name!)),
      input: this.inputs,
      output: this.outputs,
    };
    // Shapes recorded for the float graph no longer hold for renamed or re-typed tensors.
    delete graph.valueInfo;
    return { ...this.model, ...extra, graph };
  }
}
