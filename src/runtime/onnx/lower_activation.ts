/** Activation functions in ONNX opset 17 terms, shared by the Activation op and fused activations. */
import type { Shape } from '../../graph/types.js';
import { alphaOf } from '../../ops/activation.js';
import type { ActivationFn } from '../../ops/types.js';
import type { Emitter } from './emitter.js';
import { onnxAxis } from './layout.js';
import { attr } from '../../onnx/proto.js';

/**
 * Writes `fn(x)` into `out`; `alpha` is leaky_relu's slope or elu's α (the caller resolves the
 * default). Definitions follow Keras 3: relu6 = min(max(x, 0), 6);
 * hard_sigmoid = relu6(x + 3) / 6; hard_swish = x · hard_sigmoid(x); swish = x · sigmoid(x);
 * gelu is the exact erf form (approximate=False); softmax runs over the channel axis; selu has
 * the fixed α and scale of Klambauer et al., which are ONNX Selu's defaults.
 */
export function activate(e: Emitter, fn: ActivationFn, x: string, out: string, shape: Shape, main = false, alpha = alphaOf(fn, null)): void {
  // Fused into a conv or dense the activation is a helper node (`conv1/relu`); as its own op it is the main one.
  const role = main ? { out } : { role: fn, out };
  switch (fn) {
    case 'linear':
      if (x !== out) e.op('Identity', [x], [], role);
      return;
    case 'relu':
      e.op('Relu', [x], [], role);
      return;
    case 'relu6':
      e.op('Clip', [x, e.scalar(0), e.scalar(6)], [], role);
      return;
    case 'sigmoid':
      e.op('Sigmoid', [x], [], role);
      return;
    case 'tanh':
      e.op('Tanh', [x], [], role);
      return;
    case 'hard_sigmoid':
      e.op('HardSigmoid', [x], [attr.float('alpha', 1 / 6), attr.float('beta', 0.5)], role);
      return;
    case 'hard_swish':
      e.op('HardSwish', [x], [], role);
      return;
    case 'swish': {
      const s = e.op('Sigmoid', [x], [], { role: 'swish_sigmoid' });
      e.op('Mul', [x, s], [], role);
      return;
    }
    case 'softmax':
      e.op('Softmax', [x], [attr.int('axis', onnxAxis(shape, -1))], role);
      return;
    case 'leaky_relu':
      e.op('LeakyRelu', [x], [attr.float('alpha', alpha)], role);
      return;
    case 'elu':
      e.op('Elu', [x], [attr.float('alpha', alpha)], role);
      return;
    case 'selu':
      e.op('Selu', [x], [], role);
      return;
    case 'gelu': {
      // 0.5 · x · (1 + erf(x / √2)); ORT fuses this pattern into its Gelu kernel.
      const scaled = e.op('Div', [x, e.scalar(Math.SQRT2)], [], { role: 'gelu_div' });
      const erf = e.op('Erf', [scaled], [], { role: 'gelu_erf' });
      const plus = e.op('Add', [erf, e.scalar(1)], [], { role: 'gelu_add' });
      const times = e.op('Mul', [x, plus], [], { role: 'gelu_mul' });
      e.op('Mul', [times, e.scalar(0.5)], [], role);
      return;
    }
  }
}
