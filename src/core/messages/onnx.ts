/** Messages of model files: the ONNX codec, the ONNX and Keras importers, weights manifests, and ONNX Runtime sessions. */
import { bytes as size } from '../format.js';
import { asKey, show, type Spell } from './text.js';

const bracketed = (d: ReadonlyArray<number | string>): string => `[${d.join(', ')}]`;
const list = (s: ReadonlyArray<number | string | null>): string => `[${s.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
/** Names from a file may hold control characters; escaped, a message stays on one line. */
const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Messages of model files and of running them. */
export const onnxMessages = {
  emptyFile: (source: string) => `${source}: the file is empty; expected an ONNX model (protobuf ModelProto)`,
  undecodable: (source: string, offset: number, length: number, detail: string) =>
    `${source}: not a valid ONNX model: protobuf decoding failed at byte ${offset} of ${length} (${detail})`,
  notAModel: (source: string, why: string) => `${source}: decodes as protobuf but is not an ONNX model: ${why}`,
  externalData: (source: string, tensor: string) =>
    `${source}: tensor ${show(tensor)} keeps its data in an external file; only self-contained models are supported`,
  tensorSize: (source: string, tensor: string, expected: number, received: number) =>
    `${source}: tensor ${show(tensor)} should hold ${expected} value(s) (bytes for raw data); it holds ${received}`,
  tensorType: (source: string, tensor: string, type: number) =>
    `${source}: tensor ${show(tensor)} has data type ${type}; expected float, double, int32 or int64`,
  lrnNeedsMap: (shape: readonly number[]) => `LRN is exported for feature maps [H, W, C] only; received shape ${show(shape)}`,
  badOpset: (received: unknown, min: number, max: number) => `opset must be an integer from ${min} to ${max}; received ${show(received)}`,
  cannotRead: (file: string, code: string) => `${file}: cannot read the model (${code})`,
  ortLoad: (source: string, detail: string) => `${source}: ONNX Runtime could not load the model: ${detail}`,
  ortRun: (source: string, batch: number, detail: string) => `${source}: ONNX Runtime failed to run a batch of ${batch}: ${detail}`,
  badThreads: (received: unknown) => `threads must be a positive integer; received ${show(received)}`,
  badLevel: (received: unknown, allowed: readonly string[]) => `optimization level must be one of ${allowed.join(', ')}; received ${show(received)}`,
  unknownInput: (name: string, known: readonly string[]) => `the model has no input ${show(name)}; its inputs are ${known.join(', ')}`,
  missingInput: (name: string) => `no data given for the model input ${show(name)}`,
  batchShape: (input: string, expected: ReadonlyArray<number | null>, received: readonly number[]) =>
    `input ${show(input)}: expected a batch of shape ${list(['N', ...expected] as Array<number | string | null>)} (NHWC); received ${list(received)}`,
  batchLength: (input: string, perSample: number, received: number) =>
    `input ${show(input)}: ${received} values is not a whole number of samples of ${perSample} values each`,
  emptyBatch: (input: string) => `input ${show(input)}: the batch is empty`,
  batchTooLarge: (batch: number, need: number, budget: number, perSample: number, fixed: number) =>
    `a batch of ${batch} needs about ${size(need)} (model ${size(fixed)} + ${size(perSample)} per sample), more than the ${size(budget)} of memory allowed; the largest batch that fits is ${Math.max(0, Math.floor((budget - fixed) / perSample))}`,
  freeDims: (source: string, input: string, shape: ReadonlyArray<number | null>) =>
    `${source}: input ${show(input)} has free dimensions ${list(shape)} besides the batch; convlab needs a fixed sample shape to make inputs`,
  notProfiled: () => 'collectProfile: the session was not opened with profile: true',
  badCount: (option: string, received: string) => `${option} must be a whole number (0 or more); received ${JSON.stringify(received)}`,
  optionsOnFile: (file: string, options: readonly string[]) =>
    `${options.join(', ')} ${options.length === 1 ? 'is a model option' : 'are model options'} for zoo ids and spec files; ${file} is a finished model file`,
  trainedDirectory: (dir: string) =>
    `${dir}: a folder is read as a trained model only when it holds model.json and spec.json (as convlab train writes them)`,
  flopsUnknown: (reason: string) => `FLOPs unknown: convlab has no graph for this model (${reason})`,
  seededWeights: (model: string, seed: number) =>
    `note: ${model} runs with seeded random weights (seed ${seed}), not trained ones: its predictions are meaningless`,
  noImages: () => 'predict needs at least one image file (PNG or JPEG)',
  labelsCount: (file: string, got: number, classes: number) => `${file}: ${got} class names for a model with ${classes} outputs`,
  notClassifier: (shape: readonly number[]) => `predict expects a classifier with one output of shape [N, classes]; this model gives ${show(shape)}`,
  noProfile: (dir: string) => `ONNX Runtime wrote no profile into ${dir}`,
  badProfile: (file: string, detail: string) => `${file}: not an ONNX Runtime profile (${detail})`,
  /** The location half of every node-level message: `model.onnx: node /conv1/Conv (Conv) at index 3: ...`. */
  onnxAtNode: (source: string, node: string, op: string, index: number, what: string) =>
    `${source}: node ${node === '' ? '(unnamed)' : printable(node)} (${printable(op)}) at index ${index}: ${what}`,

  unsupportedOp: (op: string, domain: string) =>
    `ONNX op ${printable(domain ? `${domain}.${op}` : op)} has no convlab equivalent (docs/import.md lists the supported ops)`,
  foldOnly: (op: string) =>
    `ONNX op ${printable(op)} is folded when its inputs are constants, but here an input is computed at run time (or has no values); convlab has no layer for it`,
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
  onnxWeightShape: (role: string, tensor: string, expected: string, received: ReadonlyArray<number | string>) =>
    `${role} ${show(tensor)} must have shape ${expected}; it has ${bracketed(received)}`,
  layout: (tensor: string, layout: string, expected: string) =>
    `input ${show(tensor)} is held as ${layout}; this op needs ${expected}`,
  flattenOrder: (tensor: string, map: readonly number[]) =>
    `input ${show(tensor)} is an NCHW flatten of a [${map.join(', ')}] (H, W, C) map; convlab flattens in NHWC order and can reorder it only for a following Gemm or MatMul`,
  axis: (axis: number, rank: number, why: string) => `axis ${axis} of a rank-${rank} tensor is not supported: ${why}`,
  reshape: (from: ReadonlyArray<number | string>, to: readonly number[], why: string) =>
    `reshape from ${bracketed(from)} to ${bracketed(to)} is not supported: ${why}`,
  batchChanged: (batch: number, to: readonly number[]) =>
    `the target shape ${bracketed(to)} changes the batch dimension (${batch}); convlab shapes exclude the batch`,
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
  onnxDanglingInput: (source: string, node: string, op: string, index: number, tensor: string) =>
    onnxMessages.onnxAtNode(source, node, op, index, `input ${show(tensor)} is not produced by any node, initializer or graph input`),
  onnxCycle: (source: string, names: readonly string[]) =>
    `${source}: the graph has a cycle through nodes ${names.slice(0, 12).map((n) => show(n)).join(' → ')}${names.length > 12 ? ` → … (${names.length - 1} nodes)` : ''}`,
  unknownGraphOutput: (source: string, name: string) => `${source}: graph output ${show(name)} is not produced by any node`,
  onnxNoOutputs: (source: string) => `${source}: the graph declares no outputs`,
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
  freeDim: (source: string, input: string, d: ReadonlyArray<number | string>, o: Spell = asKey) =>
    `${source}: input ${show(input)} has shape ${bracketed(d)} with free dimensions; give a fixed size (${o('input')} H,W,C)`,
  onnxInputRank: (source: string, input: string, d: ReadonlyArray<number | string>) =>
    `${source}: input ${show(input)} has shape ${bracketed(d)}; convlab imports [N, C, H, W] feature maps and [N, F] vectors`,
  inputOverride: (source: string, count: number) =>
    `${source}: an input shape was given but the graph has ${count} data inputs; it applies only to a single-input model`,
  noWeights: (source: string, count: number, examples: readonly string[]) =>
    `${source}: the file carries no values for ${count} weight ${count === 1 ? 'tensor' : 'tensors'} (${examples.map((e) => show(e)).join(', ')}${count > examples.length ? ` and ${count - examples.length} more` : ''}); it was exported without parameters, so only its structure can be imported`,
  notOnnx: (source: string) => `${source}: expected an .onnx file or a Keras / TensorFlow.js model.json`,
  fileTooLarge: (path: string, size: number, limit: number) => `${path}: ${size} bytes is larger than the ${limit}-byte limit for this kind of file`,
  jsonWeightsNeedPath: (source: string) => `${source}: the weights of a model.json live in files beside it; import it from its path to read them`,

  kerasLayer: (file: string, layer: string, cls: string, why: string) => `${file}: layer ${show(layer)} (${cls}): ${why}`,
  kerasNoLayerList: (file: string, cls: string) => `${file}: model ${show(cls)} has no layer list`,
  kerasLayerEntry: (file: string, index: number) => `${file}: layers[${index}] must be an object with class_name and config`,
  kerasEmptySequential: (file: string) => `${file}: the Sequential model has no layers`,
  kerasUnboundInput: (file: string, input: string) => `${file}: nested model input ${show(input)} has no tensor bound to it`,
  kerasMissingOutput: (file: string, layer: string) => `${file}: output layer ${show(layer)} is not in the model`,
  kerasNotObject: (file: string) => `${file}: expected a JSON object (a Keras or TensorFlow.js model.json)`,
  kerasNoTopology: (file: string) => `${file}: no model topology (expected "modelTopology" or a Keras "class_name"/"config")`,

  manifestNotList: (file: string, received: string) => `${file}: "weightsManifest" must be a list of groups; received ${received}`,
  manifestGroup: (file: string, group: number) => `${file}: weightsManifest[${group}] must have "paths" and "weights" lists`,
  manifestPath: (file: string, group: number, path: unknown) =>
    `${file}: weightsManifest[${group}].paths names ${show(path)}, which points outside the model's folder`,
  manifestWeight: (file: string, group: number, weight: number) =>
    `${file}: weightsManifest[${group}].weights[${weight}] needs a name and a shape of non-negative integers`,
  manifestDtype: (file: string, weight: string, dtype: string, quantized: boolean) =>
    `${file}: weight ${show(weight)} has dtype ${show(dtype)}${quantized ? ' with quantization' : ''}; only unquantized float32 is supported`,
  packedWeightSize: (key: string, size: number, held: number | undefined) =>
    `weights: ${key} should hold ${size} values; ${held === undefined ? 'it is missing' : `it holds ${held}`}`,
  noManifest: (file: string) => `${file}: has no "weightsManifest", so it carries no weights`,
  noManifestMeta: (file: string, key: string) => `${file}: spec.meta has no "${key}", so it names no weights file`,
  weightsFileMissing: (file: string, weights: string) => `${file}: weights file ${weights} is missing`,
  weightsBytes: (file: string, paths: readonly string[], held: number, declared: number) =>
    `${file}: weights files ${paths.join(', ')} hold ${held} bytes but the manifest declares ${declared}`,
  noWeightFor: (file: string, node: string, op: string, weight: string, key: string) =>
    `${file}: no weight for node ${node} (${op}) ${weight}; expected a tensor named ${show(key)}`,
  storedWeightShape: (file: string, tensor: string, node: string, received: readonly number[], expected: readonly number[]) =>
    `${file}: weight ${show(tensor)} of node ${node} has shape ${show(received)}; expected ${show(expected)}`,
} as const;
