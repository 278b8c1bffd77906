/**
 * DepthwiseConv2dNativeBackpropInput for wasm: the input gradient is a depthwise correlation of
 * the output gradient with the spatially flipped filter. Strided outputs are first spread back
 * onto the input grid (zeros between rows and columns), then padded so every input position sees
 * the full flipped window; the forward dilation stays a dilation. With a depth multiplier the
 * dm gradients that came from one input channel are summed.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Composer, convInfo, spread, transposedFrame, type WindowAttrs } from './compose.js';

interface Attrs extends WindowAttrs {
  inputShape: [number, number, number, number];
}

function depthwiseBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Attrs }): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = args.attrs;
  const info = convInfo(a.inputShape, filter.shape, a, true);
  const [fh, fw, cin, dm] = filter.shape as [number, number, number, number];
  const c = new Composer(args.backend);
  const spreadDy = spread(c, dy, info.strideHeight, info.strideWidth);
  const ph = transposedFrame(info.inHeight, fh, info.dilationHeight, info.padInfo.top, spreadDy.shape[1]!);
  const pw = transposedFrame(info.inWidth, fw, info.dilationWidth, info.padInfo.left, spreadDy.shape[2]!);
  const framed = c.frame(spreadDy, ph, pw);
  const flipped = c.run('Reverse', { x: filter }, { dims: [0, 1] });
  // [fh, fw, Cin, dm] -> [fh, fw, Cin·dm, 1]: channel c·dm + m of dy meets its own filter.
  const perChannel = c.reshape(flipped, [fh, fw, cin * dm, 1]);
  const dx = c.run('DepthwiseConv2dNative', { x: framed.x, filter: perChannel }, {
    strides: [1, 1],
    dilations: [info.dilationHeight, info.dilationWidth],
    pad: framed.pad,
  });
  if (dm === 1) return c.finish(dx);
  const [n, h, w] = a.inputShape;
  const split = c.reshape(dx, [n, h, w, cin, dm]);
  return c.finish(c.run('Sum', { x: split }, { axis: [4], keepDims: false }));
}

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc,
};
