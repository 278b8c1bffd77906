/** Activation functions in ONNX opset 17 terms, shared by the Activation op and fused activations. */
import type { Shape } from '../../graph/types.js';
import type { ActivationFn } from '../../ops/types.js';
import type { Emitter } from './emitter.js';
import { onnxAxis } from './layout.js';
import { attr } from '../../onnx/proto.js';

/**
 * Writes `fn(x)` into `out`. Definitions follow Keras 3: relu6 = min(max(x, 0), 6);
 * hard_sigmoid = relu6(x + 3) / 6; hard_swish = x · hard_sigmoid(x); swish = x · sigmoid(x);
 * gelu is the exact erf form (approximate=False); softmax runs over the channel axis.
 */
export function activate(e: Emitter, fn: ActivationFn, x: string, out: string, shape: Shape, main = false, axis = -1): void {
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
      e.op('Softmax', [x], [attr.int('axis', onnxAxis(shape, axis))], role);
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
