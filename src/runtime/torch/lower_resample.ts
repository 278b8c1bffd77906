/** PyTorch lowerings of ops that resample or slice feature maps: Resize, AdaptiveAvgPool, ConstantPad2D, Split. */
import type { ResolvedNode } from '../../graph/graph.js';
import { splitOffset, type AdaptiveAvgPoolAttrs, type ConstantPad2DAttrs, type ResizeAttrs, type SplitAttrs } from '../../ops/index.js';
import { onnxAxis } from '../onnx/layout.js';
import type { TorchLowering } from './lower_window.js';
import { float, pair, tuple } from './python.js';

const attrsOf = <A>(node: ResolvedNode): A => node.attrs as unknown as A;

/**
 * Resize → F.interpolate to the output size, whose source positions are convlab's: nearest
 * ⌊o·in/out⌋, bilinear half_pixel (align_corners=False) and align_corners (True). Bilinear
 * asymmetric (tfjs' UpSampling2D) has no F.interpolate mode and goes to BilinearAsymmetric.
 */
export const Resize: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<ResizeAttrs>(node);
  const [h, w] = node.inputShapes[0]!;
  const [oh, ow] = node.outputShape;
  if (a.mode === 'nearest') return { forward: `F.interpolate(${x}, size=${tuple([oh!, ow!])}, mode="nearest")` };
  if (a.coordinates === 'asymmetric') {
    return { module: `BilinearAsymmetric(${tuple([h!, w!])}, ${tuple([oh!, ow!])})`, forward: `${self}(${x})`, helpers: ['BilinearAsymmetric'] };
  }
  return { forward: `F.interpolate(${x}, size=${tuple([oh!, ow!])}, mode="bilinear", align_corners=${a.coordinates === 'align_corners' ? 'True' : 'False'})` };
};

/** AdaptiveAvgPool → F.adaptive_avg_pool2d, whose bins (⌊i·in/out⌋ to ⌈(i+1)·in/out⌉) are convlab's. */
export const AdaptiveAvgPool: TorchLowering = ({ node, inputs: [x] }) => {
  const [oh, ow] = attrsOf<AdaptiveAvgPoolAttrs>(node).outputSize;
  return { forward: `F.adaptive_avg_pool2d(${x}, ${pair(oh, ow)})` };
};

/** ConstantPad2D → F.pad with the node's value. */
export const ConstantPad2D: TorchLowering = ({ node, inputs: [x] }) => {
  const a = attrsOf<ConstantPad2DAttrs>(node);
  const [t, b, l, r] = a.padding as number[];
  return { forward: `F.pad(${x}, ${tuple([l!, r!, t!, b!])}, value=${float(a.value)})` };
};

/** Split → a narrowed view of the channel axis. */
export const Split: TorchLowering = ({ node, inputs: [x] }) => {
  const a = attrsOf<SplitAttrs>(node);
  return { forward: `${x}.narrow(${onnxAxis(node.inputShapes[0]!, -1)}, ${splitOffset(a)}, ${a.splits[a.index]})` };
};
