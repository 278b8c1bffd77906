/** Messages of quantization: why a layer stays in float, and refusals of bad input. */
import { show } from './text.js';

/** Quantization's messages. */
export const quantizeMessages = {
  // Why a node stays in float32 (the plan's reasons).
  noInt8Kernel: (op: string) => `ONNX Runtime's CPU provider has no int8 kernel for ${op}`,
  excluded: () => 'kept in float by --exclude',
  manyOutputs: () => 'has more than one output',
  weightsNotConstant: () => 'its weights are not a constant 2-D matrix or conv kernel',
  notConv2d: (dims: number) => `a ${dims}-D convolution; only 2-D convs are quantized`,
  biasNotConstant: () => 'its bias is not a constant vector with one value per output',
  gemmForm: () => 'a Gemm with transA, alpha or beta other than the plain product; QGemm needs A·B + C',
  clipBounds: () => 'its bounds are computed, not constants',
  nonFloatConstant: () => 'it reads a constant that is not float32',
  allConstant: () => 'all its inputs are constants',
  notFloat: (tensor: string) => `its input ${show(tensor)} is not float32`,
  writesOutput: () => 'writes a model output, kept in float so the outputs are not rounded to 8 bits',
  floatNeighbours: () => 'moves or clips data between float layers; quantizing it alone would only add conversions',
  foldedInto: (into: string, how: string) => `${how}: ${into}`,
  dynamicCoversDense: () => 'dynamic quantization covers dense layers (Gemm, MatMul); convs stay float (use --quantize int8)',

  // Bad input.
  oldOpset: (source: string, opset: number) =>
    `${source}: quantization needs ONNX opset 13 or later (per-channel QuantizeLinear); the model imports opset ${opset}`,
  alreadyQuantized: (source: string, op: string) =>
    `${source}: the model already holds ${op} nodes; quantize the float model it came from`,
  calibrationInputs: (source: string, count: number) =>
    `${source}: calibration feeds one input; the model has ${count}`,
  calibrationShape: (source: string, input: string, expected: ReadonlyArray<number | string>, received: readonly number[]) =>
    `${source}: calibration samples of shape [${received.join(', ')}] do not fit input ${show(input)} of shape [${expected.join(', ')}]`,
  noSamples: (source: string) => `${source}: calibration received no samples`,
  badPercentile: (received: unknown) => `--percentile must be a number above 50 and at most 100 (e.g. 99.999); received ${show(received)}`,
  nothingQuantized: (source: string) =>
    `${source}: no layer can be quantized (no Conv, Gemm or MatMul with constant weights); the file would be the float model`,
  halfRefused: (dtype: string, detail: string) =>
    `${dtype}: ONNX Runtime's CPU provider cannot run this model in ${dtype}: ${detail}`,
  badCalibrate: (received: string) =>
    `--calibrate must be a data set (mnist, fashion-mnist, cifar10, digits) or a folder of PNG / JPEG images; received ${show(received)}`,
  badVariant: (allowed: readonly string[], received: string) => `--compare takes a comma list of ${allowed.join(', ')}; received ${show(received)}`,
  noHalfKernel: (type: string) =>
    `runs in float32: ONNX Runtime casts around it (its CPU provider has no ${type} kernel for it or for the ops beside it)`,
  noCalibrationImages: (dir: string) => `${dir}: no PNG or JPEG images to calibrate with`,
  randomCalibration: (label: string) =>
    `note: ${label} is calibrated on random inputs (no --calibrate): its int8 ranges fit noise, so use it for timing only`,
} as const;
