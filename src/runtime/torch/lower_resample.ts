/** PyTorch lowerings of ops that resample, pad or slice feature maps: Resize, AdaptiveAvgPool, ConstantPad2D, BorderPad2D, Split. */
import type { ResolvedNode } from '../../graph/graph.js';
import { resizeTaps, splitOffset, type AdaptiveAvgPoolAttrs, type BorderPad2DAttrs, type ResizeSampling, type ConstantPad2DAttrs, type ResizeAttrs, type SplitAttrs } from '../../ops/index.js';
import { onnxAxis } from '../onnx/layout.js';
import type { TorchLowering } from './lower_window.js';
import { float, num, pair, tuple } from './python.js';

const attrsOf = <A>(node: ResolvedNode): A => node.attrs as unknown as A;

/** Python arguments of one axis for Resample: (size_in, size_out, outputs, inputs, weights) of every tap, and which outputs fall outside a crop. */
function axisArgs(size: number, out: number, a: ResizeSampling, axis: 0 | 1): { taps: string; outside: boolean[] } {
  const at: number[] = [];
  const index: number[] = [];
  const weight: number[] = [];
  const outside: boolean[] = [];
  for (let o = 0; o < out; o++) {
    const t = resizeTaps(o, size, out, a, axis);
    outside.push(t.outside);
    t.index.forEach((i, k) => { at.push(o); index.push(i); weight.push(t.weight[k]!); });
  }
  const list = (xs: number[]): string => `[${xs.map(num).join(', ')}]`;
  return { taps: `(${size}, ${out}, ${list(at)}, ${list(index)}, ${list(weight)})`, outside };
}

/**
 * Resize → F.interpolate where its positions are convlab's: nearest without a rounding
 * (⌊o·in/out⌋), bilinear half_pixel (align_corners=False) or align_corners (True) at whole
 * factors or a size. Every other sampling (fractional factors, bicubic, other coordinate or
 * rounding modes, crops) goes to Resample with the op's own taps.
 */
export const Resize: TorchLowering = ({ node, inputs: [x], self }) => {
  const a = attrsOf<ResizeAttrs>(node);
  const [h, w] = node.inputShapes[0]!;
  const [oh, ow] = node.outputShape;
  const byOut = a.scale === null || a.scale.every(Number.isInteger);
  if (a.mode === 'nearest' && a.rounding === null) return { forward: `F.interpolate(${x}, size=${tuple([oh!, ow!])}, mode="nearest")` };
  if (a.mode === 'bilinear' && byOut && (a.coordinates === 'half_pixel' || a.coordinates === 'align_corners')) {
    return { forward: `F.interpolate(${x}, size=${tuple([oh!, ow!])}, mode="bilinear", align_corners=${a.coordinates === 'align_corners' ? 'True' : 'False'})` };
  }
  const rows = axisArgs(h!, oh!, a, 0);
  const cols = axisArgs(w!, ow!, a, 1);
  const crop = rows.outside.some(Boolean) || cols.outside.some(Boolean);
  const flags = (xs: boolean[]): string => `[${xs.map((b) => (b ? 'True' : 'False')).join(', ')}]`;
  const fill = crop ? `, fill=(${float(a.extrapolation)}, ${flags(rows.outside)}, ${flags(cols.outside)})` : '';
  return { module: `Resample(${rows.taps}, ${cols.taps}${fill})`, forward: `${self}(${x})`, helpers: ['Resample'] };
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

const TORCH_BORDER = { reflect: 'reflect', edge: 'replicate' } as const;

/** BorderPad2D → F.pad in reflect or replicate mode. */
export const BorderPad2D: TorchLowering = ({ node, inputs: [x] }) => {
  const a = attrsOf<BorderPad2DAttrs>(node);
  const [t, b, l, r] = a.padding as number[];
  return { forward: `F.pad(${x}, ${tuple([l!, r!, t!, b!])}, mode="${TORCH_BORDER[a.mode]}")` };
};

/** Split → a narrowed view of the channel axis. */
export const Split: TorchLowering = ({ node, inputs: [x] }) => {
  const a = attrsOf<SplitAttrs>(node);
  return { forward: `${x}.narrow(${onnxAxis(node.inputShapes[0]!, -1)}, ${splitOffset(a)}, ${a.splits[a.index]})` };
};
