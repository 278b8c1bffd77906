/** Messages of the TensorFlow.js graph-model importer: every one names the file, and the node and its op where there is one. */
import { show } from './text.js';

export const graphModelMessages = {
  graphNoNodes: (file: string) => `${file}: a graph model needs modelTopology.node, a list of TensorFlow NodeDefs`,
  graphNodeEntry: (file: string, index: number) => `${file}: modelTopology.node[${index}] must be an object with a string name and op`,
  graphAtNode: (file: string, node: string, op: string, what: string) => `${file}: node ${show(node)} (${op}): ${what}`,
  graphUnknownOp: (op: string) => `TensorFlow op ${show(op)} has no convlab equivalent (docs/import.md lists the graph-model ops convlab reads)`,
  graphMirrorPad: () => 'MirrorPad (reflect or symmetric padding) has no convlab op; convlab pads with a constant',
  graphNeedsConst: (role: string, input: string) => `${role} ${show(input)} must be a constant (a Const node or a weight); it is computed at run time`,
  graphNeedsTensor: (role: string, input: string) => `${role} ${show(input)} is a constant; a computed feature tensor is needed here`,
  graphMissingInput: (input: string) => `input ${show(input)} is not produced by any node`,
  graphNoValues: (name: string) => `constant ${show(name)} has no values: neither in the weights manifest nor in its value attribute`,
  graphNchw: () => 'data_format NCHW is not supported; convlab reads NHWC graphs',
  graphAttr: (attr: string, value: unknown, why: string) => `attribute ${attr} = ${show(value)} is not supported: ${why}`,
  graphShape: (input: string, dims: unknown) => `input ${show(input)} must have a fully known shape [batch, H, W, C] or [batch, N]; it has ${show(dims)}`,
  graphConstShape: (role: string, expected: string, dims: readonly number[]) => `${role} must have shape ${expected}; it has ${show(dims)}`,
  graphFusedOp: (ops: readonly string[]) => `fused ops ${show(ops)} are not supported; convlab reads BiasAdd or FusedBatchNorm, then Relu, Relu6, Elu, LeakyRelu, Sigmoid or Tanh`,
  graphFreeBias: () => 'a BiasAdd (or an Add of a per-channel constant) must follow a conv or MatMul without a bias, which it becomes the bias of',
  graphNoOutputs: (file: string) => `${file}: the graph has no outputs (no signature outputs, no node whose result is unused)`,
};
