/** Every user-facing message of the ONNX runtime layer, as typed functions (tests assert against these). */
import { bytes as size } from '../../report/units.js';

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const list = (s: ReadonlyArray<number | string | null>): string => `[${s.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

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
  badBatchList: (received: string) => `--batch must be positive integers separated by commas (e.g. 1,8,32); received ${JSON.stringify(received)}`,
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
} as const;
