/**
 * Messages of the model layers: specs, graphs, ops, analysis, the zoo, and weights held in
 * memory. Errors come in ONNX's two halves: an op rule says what is wrong, `atNode` adds where.
 */
import { numel } from '../numel.js';
import { show } from './text.js';

/** Prefix that locates a message at a node, as ONNX's walker does: `node conv1 (Conv2D): ...`. */
export const atNode = (node: string, op: string, what: string): string => `node ${node} (${op}): ${what}`;

/** The model layers' messages. */
export const modelMessages = {
  notJson: (file: string, detail: string) => `${file}: not valid JSON (${detail})`,
  specNotObject: (received: unknown) =>
    `spec: expected a JSON object with "name", "inputs", "nodes", "outputs"; received ${Array.isArray(received) ? 'an array' : received === null ? 'null' : `a ${typeof received}`}` +
    (Array.isArray(received) ? ' (a spec is one object; its layers go in "nodes")' : ''),
  specField: (field: string, expected: string, received: unknown) =>
    `spec: field "${field}" must be ${expected}; received ${show(received)}`,
  nodeField: (index: number, field: string, expected: string, received: unknown) =>
    `spec: nodes[${index}].${field} must be ${expected}; received ${show(received)}`,
  unknownOp: (op: string, known: readonly string[], suggestion?: string) =>
    `unknown op ${show(op)}${suggestion ? ` (did you mean ${show(suggestion)}?)` : ''}; known ops: ${known.join(', ')}`,
  duplicateName: (name: string) => `duplicate name ${show(name)}: node and input names must be unique`,
  danglingInput: (input: string) => `input ${show(input)} is not a graph input or an earlier node`,
  cycle: (names: readonly string[]) =>
    `the graph has a cycle: ${names.map((n) => show(n)).join(' → ')} (each feeds the next), so no node of it can be computed first; check the "inputs" of these nodes`,
  unknownOutput: (name: string) => `graph output ${show(name)} names no node or input`,
  noOutputs: () => `spec: "outputs" is empty; name at least one node`,
  arity: (expected: string, received: number) => `expects ${expected} input(s); received ${received}`,
  unknownAttr: (attr: string, known: readonly string[]) =>
    `unknown attribute ${show(attr)}; allowed: ${known.length ? known.join(', ') : '(none)'}`,
  missingAttr: (attr: string, expected: string) => `missing required attribute ${show(attr)} (${expected})`,
  attrType: (attr: string, expected: string, received: unknown) =>
    `attribute ${show(attr)} must be ${expected}; received ${show(received)}`,
  attrRange: (attr: string, expected: string, received: unknown) =>
    `attribute ${show(attr)} must be ${expected}; received ${show(received)}`,
  inputRank: (expected: string, received: readonly number[]) => `expects an input of ${expected}; received shape ${show(received)}`,
  kernelTooLarge: (axis: string, kernel: number, size: number) =>
    `effective kernel ${kernel} is larger than the padded input ${axis} ${size}; output would be empty`,
  channelsNotDivisible: (cin: number, groups: number) => `input channels (${cin}) must be divisible by groups (${groups})`,
  filtersNotDivisible: (filters: number, groups: number) => `filters (${filters}) must be divisible by groups (${groups})`,
  shapesDiffer: (what: string, a: readonly number[], b: readonly number[], inputA: string, inputB: string) =>
    `${what}: input ${show(inputA)} has shape ${show(a)} but ${show(inputB)} has ${show(b)}`,
  concatMismatch: (axis: number, a: readonly number[], b: readonly number[], inputA: string, inputB: string) =>
    `inputs must agree on every axis except ${axis}: ${show(inputA)} has ${show(a)}, ${show(inputB)} has ${show(b)}`,
  reshapeSize: (from: readonly number[], to: readonly number[]) =>
    `cannot reshape ${show(from)} (${numel(from)} elements) to ${show(to)}`,
  reflectTooWide: (axis: string, pad: number, size: number) => `reflect padding of ${pad} on ${axis} needs a map larger than ${pad}; the input has ${size} (PyTorch and ONNX mirror once, without repeating the edge)`,
  cropTooLarge: (axis: string, crop: number, size: number) => `cropping ${crop} on ${axis} leaves nothing of size ${size}`,
  graphInputShape: (name: string, received: unknown) =>
    `input ${show(name)}: shape must be a list of positive integers; received ${show(received)}`,
  badBudget: (received: unknown) => `memory budget must be a positive number of bytes; received ${show(received)}`,
  budgetTooSmall: (budget: number, fixed: number) =>
    `the memory budget (${budget} bytes) does not hold even the fixed part (${fixed} bytes: weights, gradients, optimizer state)`,
  modelOption: (model: string, option: string, expected: string, received: unknown) =>
    `${model}: option ${show(option)} must be ${expected}; received ${show(received)}`,
  listOption: (option: string, allowed: readonly string[], received: string) =>
    `${option} needs at least one of ${allowed.join(', ')}; received ${show(received)}`,
  unknownListItem: (option: string, item: string, allowed: readonly string[], near: readonly string[]) =>
    `${option}: unknown ${show(item)}${near.length ? `; did you mean ${near.join(', ')}?` : ''} (choose from ${allowed.join(', ')})`,
  badSeed: (received: unknown) => `seed must be a finite integer; received ${JSON.stringify(received)}`,
  badState: (received: unknown) => `random state must be 4 unsigned 32-bit integers, not all zero; received ${JSON.stringify(received)}`,
  badRange: (received: unknown) => `Rng.int: n must be an integer in 1..2^32; received ${JSON.stringify(received)}`,
  unknownModel: (id: string, near: readonly string[]) =>
    `unknown model ${show(id)}${near.length ? `; did you mean ${near.join(', ')}?` : ''} (convlab list shows all)`,
  weightConstant: (key: string, given: number, size: number) => `weight ${key}: attribute gives ${given} values; expected 1 or ${size}`,
  weightsMissing: (count: number, examples: readonly string[], example: string) =>
    `weights: ${count} ${count === 1 ? 'tensor' : 'tensors'} missing, e.g. ${examples.join(', ')}; expected keys "node/weight" as in "${example}"`,
  weightType: (key: string, received: string) => `weight ${key}: expected a Float32Array; received ${received}`,
  weightLength: (key: string, size: number, shape: readonly number[], received: number) =>
    `weight ${key}: expected ${size} values for Keras shape [${shape.join(', ')}]; received ${received}`,
} as const;
