/**
 * DepthwiseConv2dNativeBackpropFilter for wasm. The gradient of one filter tap is the sum over
 * the batch and output positions of (input window at that tap) × (output gradient). Folding the
 * batch into the channel axis makes that a depthwise convolution of the input with the output
 * gradient as its filter, strides and dilations swapped; a sum over the batch finishes it.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Composer, convInfo, inputSpan, type WindowAttrs } from './compose.js';

interface Attrs extends WindowAttrs {
  filterShape: [number, number, number, number];
}

function depthwiseBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Attrs }): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = args.attrs;
  const info = convInfo(x.shape, a.filterShape, a, true);
  const [fh, fw, cin, dm] = a.filterShape;
  const n = x.shape[0]!;
  const c = new Composer(args.backend);
  const [top, bottom] = inputSpan(info.inHeight, fh, info.dilationHeight, info.strideHeight, info.outHeight, info.padInfo.top);
  const [left, right] = inputSpan(info.inWidth, fw, info.dilationWidth, info.strideWidth, info.outWidth, info.padInfo.left);
  // The transposes below keep H and W on axes 1 and 2, so the conv can pad them implicitly.
  const framed = c.frame(x, [top, bottom], [left, right]);
  const [, h, w] = framed.x.shape as [number, number, number, number];
  // [N, H, W, Cin] -> [1, H, W, N·Cin]: every (sample, channel) pair is its own depthwise channel.
  const xt = c.reshape(c.transpose(framed.x, [1, 2, 0, 3]), [1, h, w, n * cin]);
  // [N, Ho, Wo, Cin·dm] -> [Ho, Wo, N·Cin, dm]: the matching output gradients are the filters.
  const dyt = c.reshape(c.transpose(dy, [1, 2, 0, 3]), [info.outHeight, info.outWidth, n * cin, dm]);
  const perSample = c.run('DepthwiseConv2dNative', { x: xt, filter: dyt }, {
    strides: [info.dilationHeight, info.dilationWidth],
    dilations: [info.strideHeight, info.strideWidth],
    pad: framed.pad,
  });
  // [1, fh, fw, N·Cin·dm] -> sum over N -> [fh, fw, Cin, dm].
  const bySample = c.reshape(perSample, [fh, fw, n, cin * dm]);
  const summed = c.run('Sum', { x: bySample }, { axis: [2], keepDims: false });
  return c.finish(c.reshape(summed, [fh, fw, cin, dm]));
}

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc,
};
