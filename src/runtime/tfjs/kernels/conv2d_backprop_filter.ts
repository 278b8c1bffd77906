/**
 * Conv2DBackpropFilter for wasm, in one of two ways, both on XNNPACK:
 *  - as a convolution: with the batch moved to the channel axis, the input convolved with the
 *    output gradient as a filter gives dW directly; the forward strides become dilations and the
 *    forward dilations become strides. One conv and two transposes.
 *  - as one matrix product, for first layers (few input channels, many filters) where that conv
 *    runs at a fraction of XNNPACK's speed: each filter tap's shifted view of the input is a row
 *    of A [fh·fw·Cin, N·Ho·Wo], and dW = A · dy. Stride 1 only.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Composer, convInfo, inputSpan, type WindowAttrs } from './compose.js';

interface Attrs extends WindowAttrs {
  filterShape: [number, number, number, number];
  dataFormat?: 'NHWC' | 'NCHW';
}

/** Rows of A at most this many, and filters at least this many, take the matrix product. */
const MAX_ROWS = 32;
const MIN_FILTERS = 16;

function asConvolution(c: Composer, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, span: { h: [number, number]; w: [number, number] }): tf.TensorInfo {
  // The transposes below keep H and W on axes 1 and 2, so the conv can pad them implicitly.
  const framed = c.frame(x, span.h, span.w);
  // [N, H, W, Cin] -> [Cin, H, W, N]: input channels become the batch, the batch the channels.
  const xt = c.transpose(framed.x, [3, 1, 2, 0]);
  // [N, Ho, Wo, Cout] -> [Ho, Wo, N, Cout]: the output gradient is the filter.
  const dyt = c.transpose(dy, [1, 2, 0, 3]);
  const dw = c.run('Conv2D', { x: xt, filter: dyt }, {
    strides: [info.dilationHeight, info.dilationWidth],
    dilations: [info.strideHeight, info.strideWidth],
    pad: framed.pad,
    dataFormat: 'NHWC',
  });
  // [Cin, fh, fw, Cout] -> [fh, fw, Cin, Cout].
  return c.transpose(dw, [1, 2, 0, 3]);
}

function asProduct(c: Composer, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, span: { h: [number, number]; w: [number, number] }): tf.TensorInfo {
  const { batchSize: n, outHeight: oh, outWidth: ow, inChannels: cin, outChannels: cout, filterHeight: fh, filterWidth: fw } = info;
  const positions = n * oh * ow;
  const padded = c.padOrCrop(x, [[0, 0], span.h, span.w, [0, 0]]);
  const rows: tf.TensorInfo[] = [];
  for (let a = 0; a < fh; a++) {
    for (let b = 0; b < fw; b++) {
      const view = c.run('Slice', { x: padded }, { begin: [0, a * info.dilationHeight, b * info.dilationWidth, 0], size: [n, oh, ow, cin] });
      rows.push(cin === 1 ? c.reshape(view, [1, positions]) : c.transpose(c.reshape(view, [positions, cin]), [1, 0]));
    }
  }
  // Concat takes its inputs as a list.
  const a = c.run('Concat', rows as unknown as Record<string, tf.TensorInfo>, { axis: 0 });
  const product = c.run('BatchMatMul', { a: c.reshape(a, [1, fh * fw * cin, positions]), b: c.reshape(dy, [1, positions, cout]) }, { transposeA: false, transposeB: false });
  return c.reshape(product, [fh, fw, cin, cout]);
}

function conv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: Attrs }): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = args.attrs;
  if (a.dataFormat === 'NCHW') throw new Error(`wasm Conv2DBackpropFilter supports NHWC only; received dataFormat ${a.dataFormat}`);
  const info = convInfo(x.shape, a.filterShape, a, false);
  const c = new Composer(args.backend);
  // The rows and columns the forward windows touched, padded as they saw them.
  const span = {
    h: inputSpan(info.inHeight, info.filterHeight, info.dilationHeight, info.strideHeight, info.outHeight, info.padInfo.top),
    w: inputSpan(info.inWidth, info.filterWidth, info.dilationWidth, info.strideWidth, info.outWidth, info.padInfo.left),
  };
  const unitStride = info.strideHeight === 1 && info.strideWidth === 1;
  const product = unitStride && info.filterHeight * info.filterWidth * info.inChannels <= MAX_ROWS && info.outChannels >= MIN_FILTERS;
  return c.finish(product ? asProduct(c, x, dy, info, span) : asConvolution(c, x, dy, info, span));
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
