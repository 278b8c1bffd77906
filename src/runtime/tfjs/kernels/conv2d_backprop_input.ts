/**
 * Conv2DBackpropInput for wasm, replacing the backend's scalar loop with an XNNPACK convolution:
 * the input gradient is the output gradient, spread back onto the input grid for strides and
 * padded to full windows, correlated with the filter flipped in space and with its in/out
 * channels swapped. Strided convs pay for the zeros (s² more multiply-adds than needed), still
 * far less than the scalar loop costs.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Composer, convInfo, spread, transposedFrame, type WindowAttrs } from './compose.js';

interface Attrs extends WindowAttrs {
  inputShape: [number, number, number, number];
  dataFormat?: 'NHWC' | 'NCHW';
}

function conv2dBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Attrs }): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = args.attrs;
  if (a.dataFormat === 'NCHW') throw new Error(`wasm Conv2DBackpropInput supports NHWC only; received dataFormat ${a.dataFormat}`);
  const info = convInfo(a.inputShape, filter.shape, a, false);
  const c = new Composer(args.backend);
  const spreadDy = spread(c, dy, info.strideHeight, info.strideWidth);
  const ph = transposedFrame(info.inHeight, info.filterHeight, info.dilationHeight, info.padInfo.top, spreadDy.shape[1]!);
  const pw = transposedFrame(info.inWidth, info.filterWidth, info.dilationWidth, info.padInfo.left, spreadDy.shape[2]!);
  const framed = c.frame(spreadDy, ph, pw);
  // [fh, fw, Cin, Cout] flipped in space, then [fh, fw, Cout, Cin]: the filter of the transposed conv.
  const flipped = c.transpose(c.run('Reverse', { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]);
  const dx = c.run('Conv2D', { x: framed.x, filter: flipped }, {
    strides: [1, 1],
    dilations: [info.dilationHeight, info.dilationWidth],
    pad: framed.pad,
    dataFormat: 'NHWC',
  });
  return c.finish(dx);
}

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
