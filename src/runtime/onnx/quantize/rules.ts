/**
 * Which ONNX ops run in int8 once wrapped in QuantizeLinear / DequantizeLinear, following ONNX
 * Runtime's QDQ selectors (onnxruntime/core/optimizer/qdq_transformer/selectors_actions/
 * qdq_selector_action_transformer.cc): the CPU provider replaces each group with one quantized
 * kernel. An op missing from the table stays in float32, and the plan says why.
 */

/** How an op takes part in int8 inference. */
export type QuantKind =
  /** Conv → QLinearConv: uint8 input, per-channel int8 weights, int32 bias, uint8 output required. */
  | 'conv'
  /** Gemm → QGemm: like conv, but the output may stay float. */
  | 'gemm'
  /** MatMul with a constant B → QLinearMatMul (quantized output) or MatMulIntegerToFloat. */
  | 'matmul'
  /** Moves data without arithmetic: ORT drops the Q/DQ pair, so output parameters equal the input's. */
  | 'keep'
  /** One quantized input, own output parameters (QLinearAveragePool, QLinearSigmoid, ...). */
  | 'unary'
  /** Two quantized inputs (QLinearAdd, QLinearMul). */
  | 'binary'
  /** Any number of quantized inputs (QLinearConcat). */
  | 'variadic'
  /** Relu / Clip: absorbed by the Q after a quantized node when the Q's range already clips. */
  | 'activation';

/** Every op with an int8 form on ORT's CPU provider, and its kind. */
export const INT8_OPS: Readonly<Record<string, QuantKind>> = {
  Conv: 'conv',
  Gemm: 'gemm',
  MatMul: 'matmul',
  MaxPool: 'keep',
  Reshape: 'keep',
  Flatten: 'keep',
  Transpose: 'keep',
  Squeeze: 'keep',
  Unsqueeze: 'keep',
  Slice: 'keep',
  AveragePool: 'unary',
  GlobalAveragePool: 'unary',
  Sigmoid: 'unary',
  LeakyRelu: 'unary',
  Add: 'binary',
  Mul: 'binary',
  Concat: 'variadic',
  Relu: 'activation',
  Clip: 'activation',
};

/** Input slots that carry activations for each kind (the rest are weights, shapes or bounds). */
export const ACTIVATION_SLOTS: Readonly<Record<QuantKind, 'first' | 'all'>> = {
  conv: 'first',
  gemm: 'first',
  matmul: 'first',
  keep: 'first',
  unary: 'first',
  binary: 'all',
  variadic: 'all',
  activation: 'first',
};

/** Kinds whose quantized group can absorb a following Relu or Clip (ORT's "redundant clip"). */
export const ABSORBS_ACTIVATION: ReadonlySet<QuantKind> = new Set(['conv', 'gemm', 'matmul', 'unary', 'binary', 'variadic']);

/** Why some float-only ops stay float, beyond "no int8 kernel". */
export const FLOAT_REASONS: Readonly<Record<string, string>> = {
  Softmax: 'an 8-bit softmax rounds small probabilities to zero; kept in float',
  BatchNormalization: 'not folded into a conv (no Conv or Gemm alone before it), and ORT has no int8 BatchNormalization',
  Cast: 'a type conversion',
  Shape: 'computes a shape, not activations',
};
