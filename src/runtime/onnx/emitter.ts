/**
 * Collects ONNX nodes and initializers while a graph is lowered. Names follow convlab's: the main
 * ONNX node of convlab node `conv1` is `conv1`, helpers are `conv1/<role>`, and weights are
 * `conv1/kernel`, so profiles and importers can map everything back to the node it came from.
 */
import { floatTensor, int64Tensor, type AttributeProto, type NodeProto, type TensorProto } from '../../onnx/proto.js';

/** The nodes and initializers of one export, named after the convlab node being lowered. */
export class Emitter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  /** ONNX node name → the convlab node (or graph input / output) it implements. */
  readonly owners = new Map<string, string>();
  /** The convlab node being lowered; names of new nodes and tensors derive from it. */
  owner = '';
  private readonly constants = new Map<string, string>();
  private readonly initializerNames = new Set<string>();

  /**
   * Adds a node. Without a role it is the owner's main node and takes the owner's name; with a
   * role it is `owner/role`. Writes to `out`, or to a fresh `<node name>/out`. Returns the output.
   */
  op(opType: string, inputs: string[], attrs: AttributeProto[] = [], o: { role?: string; out?: string } = {}): string {
    const name = o.role ? `${this.owner}/${o.role}` : this.owner;
    if (this.owners.has(name)) throw new Error(`exporter bug: two ONNX nodes named ${JSON.stringify(name)}`);
    const out = o.out ?? `${name}/out`;
    const node: NodeProto = { name, opType, input: inputs, output: [out] };
    if (attrs.length > 0) node.attribute = attrs;
    this.nodes.push(node);
    this.owners.set(name, this.owner);
    return out;
  }

  /** A float initializer with an explicit name (weights use `node/weight`). */
  float(name: string, dims: number[], data: Float32Array, doc?: string): string {
    return this.add(floatTensor(name, dims, data, doc));
  }

  /** An int64 initializer named `owner/<role>` (shapes, pads, slice bounds). */
  ints(role: string, values: readonly number[]): string {
    return this.add(int64Tensor(`${this.owner}/${role}`, [values.length], values));
  }

  /** A float scalar shared by the whole graph: `const/<value>`. */
  scalar(value: number): string {
    const name = `const/${value}`;
    if (!this.constants.has(name)) {
      this.add(floatTensor(name, [], Float32Array.of(value)));
      this.constants.set(name, name);
    }
    return name;
  }

  private add(t: TensorProto): string {
    if (this.initializerNames.has(t.name!)) throw new Error(`exporter bug: two initializers named ${JSON.stringify(t.name)}`);
    this.initializerNames.add(t.name!);
    this.initializers.push(t);
    return t.name!;
  }
}
