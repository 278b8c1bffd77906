/** Every user-facing message of the ONNX importer, as typed functions (tests assert against these). */

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const dims = (d: ReadonlyArray<number | string>): string => `[${d.join(', ')}]`;
/** Names from a file may hold control characters; escaped, a message stays on one line. */
const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export const importMessages = {
  /** The location half of every node-level message: `model.onnx: node /conv1/Conv (Conv) at index 3: ...`. */
  atNode: (source: string, node: string, op: string, index: number, what: string) =>
    `${source}: node ${node === '' ? '(unnamed)' : printable(node)} (${printable(op)}) at index ${index}: ${what}`,

  unsupportedOp: (op: string, domain: string) =>
    `ONNX op ${printable(domain ? `${domain}.${op}` : op)} has no convlab equivalent (docs/import.md lists the supported ops)`,
  foldOnly: (op: string) =>
    `ONNX op ${printable(op)} is folded when its inputs are constants, but here an input is computed at run time (or has no values); convlab has no layer for it`,
  convTranspose: () =>
    'ConvTranspose (transposed convolution) has no convlab op; convlab imports only models whose layers it can analyse exactly',
  unsupportedAttr: (attr: string, value: unknown, why: string) => `attribute ${attr} = ${show(value)} is not supported: ${why}`,
  unsupportedInput: (role: string, why: string) => `${role}: ${why}`,
  unusedOutputUsed: (output: string, role: string) =>
    `its ${role} output ${show(output)} is used by the graph; convlab models only the main output`,
  needsConstant: (role: string, tensor: string) =>
    `${role} ${show(tensor)} must be a constant (an initializer, a Constant node or a folded shape computation); it is computed at run time`,
  needsTensor: (role: string, tensor: string) =>
    `${role} ${show(tensor)} is a constant; convlab needs a computed feature tensor here`,
  needsValues: (role: string, tensor: string) =>
    `${role} ${show(tensor)} is a graph input without values (a file exported without parameters), but its values decide the model's structure`,
  weightShape: (role: string, tensor: string, expected: string, received: ReadonlyArray<number | string>) =>
    `${role} ${show(tensor)} must have shape ${expected}; it has ${dims(received)}`,
  layout: (tensor: string, layout: string, expected: string) =>
    `input ${show(tensor)} is held as ${layout}; this op needs ${expected}`,
  flattenOrder: (tensor: string, map: readonly number[]) =>
    `input ${show(tensor)} is an NCHW flatten of a [${map.join(', ')}] (H, W, C) map; convlab flattens in NHWC order and can reorder it only for a following Gemm or MatMul`,
  axis: (axis: number, rank: number, why: string) => `axis ${axis} of a rank-${rank} tensor is not supported: ${why}`,
  reshape: (from: ReadonlyArray<number | string>, to: readonly number[], why: string) =>
    `reshape from ${dims(from)} to ${dims(to)} is not supported: ${why}`,
  batchChanged: (batch: number, to: readonly number[]) =>
    `the target shape ${dims(to)} changes the batch dimension (${batch}); convlab shapes exclude the batch`,
  foldTooLarge: (elements: number, limit: number) =>
    `the constant it computes would hold ${elements} elements, more than the ${limit} allowed for shape computations`,
  foldBad: (why: string) => `cannot fold its constant inputs: ${why}`,
  constantOutput: (name: string) => `graph output ${show(name)} is a constant, not computed from an input`,
  inputOutput: (name: string) => `graph output ${show(name)} is a graph input passed straight through; convlab needs at least one node`,
  flattenedOutput: (name: string, map: readonly number[]) =>
    `graph output ${show(name)} is an NCHW flatten of a [${map.join(', ')}] map; convlab would return it in NHWC order`,
  noDataInput: (source: string) => `${source}: the graph has no data input (every input is a weight or unused)`,

  duplicateOutput: (source: string, tensor: string, first: number, second: number) =>
    `${source}: tensor ${show(tensor)} is written by node ${first} and again by node ${second}; ONNX tensors have one producer`,
  danglingInput: (source: string, node: string, op: string, index: number, tensor: string) =>
    importMessages.atNode(source, node, op, index, `input ${show(tensor)} is not produced by any node, initializer or graph input`),
  cycle: (source: string, names: readonly string[]) =>
    `${source}: the graph has a cycle through nodes ${names.slice(0, 12).map((n) => show(n)).join(' -> ')}${names.length > 12 ? ` -> … (${names.length - 1} nodes)` : ''}`,
  unknownGraphOutput: (source: string, name: string) => `${source}: graph output ${show(name)} is not produced by any node`,
  noOutputs: (source: string) => `${source}: the graph declares no outputs`,
  badField: (source: string, where: string, expected: string, received: unknown) =>
    `${source}: ${where} must be ${expected}; received ${show(received)}`,
  tensorDims: (source: string, tensor: string, received: unknown) =>
    `${source}: tensor ${show(tensor)} has dims ${show(received)}; expected non-negative integers`,
  tensorTooLarge: (source: string, tensor: string, elements: number, limit: number) =>
    `${source}: tensor ${show(tensor)} declares ${elements} elements, more than the ${limit} convlab reads`,
  tensorData: (source: string, tensor: string, declared: number, width: number, held: number, unit: string) =>
    `${source}: tensor ${show(tensor)} declares ${declared} elements (${declared * width} bytes of ${unit}) but holds ${held}; the file is truncated or corrupt`,
  tensorKind: (source: string, tensor: string, type: number) =>
    `${source}: tensor ${show(tensor)} has data type ${type}; expected float, double, int32 or int64`,
  freeDim: (source: string, input: string, d: ReadonlyArray<number | string>) =>
    `${source}: input ${show(input)} has shape ${dims(d)} with free dimensions; give a fixed size (--input H,W,C)`,
  inputRank: (source: string, input: string, d: ReadonlyArray<number | string>) =>
    `${source}: input ${show(input)} has shape ${dims(d)}; convlab imports [N, C, H, W] feature maps and [N, F] vectors`,
  inputOverride: (source: string, count: number) =>
    `${source}: an input shape was given but the graph has ${count} data inputs; it applies only to a single-input model`,
  noWeights: (source: string, count: number, examples: readonly string[]) =>
    `${source}: the file carries no values for ${count} weight tensor(s) (${examples.map((e) => show(e)).join(', ')}); it was exported without parameters, so only its structure can be imported`,
  notOnnx: (source: string) => `${source}: expected an .onnx file or a Keras / TensorFlow.js model.json`,
} as const;
