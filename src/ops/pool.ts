/** Pooling: windowed max / average (with ceil mode and dilation), global max / average, and torchvision's adaptive average. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Shape } from '../graph/types.js';
import { add, mul, n, v, type Expr } from './formula.js';
import { globalReceptiveField, windowGeometry, windowReceptiveField, type WindowGeometry } from './geometry.js';
import { noMacs, noWeights } from './common.js';
import { defineOp, OpType, type OpContext, type OpDef, type Padding } from './types.js';

export interface PoolAttrs {
  poolSize: [number, number];
  strides: [number, number] | null;
  padding: Padding;
  dilation: [number, number];
  ceilMode: boolean;
  countIncludePad: boolean;
}

export interface GlobalPoolAttrs {
  keepDims: boolean;
}

/** Geometry of a pooling node; strides default to the pool size, as in Keras. */
export function poolGeometry(input: Shape, a: Omit<PoolAttrs, 'dilation'> & { dilation?: [number, number] }): WindowGeometry {
  return windowGeometry(input, { kernel: a.poolSize, strides: a.strides ?? a.poolSize, padding: a.padding, dilation: a.dilation ?? [1, 1], ceilMode: a.ceilMode });
}

function windowPool(type: 'MaxPool2D' | 'AvgPool2D'): OpDef<PoolAttrs> {
  const isMax = type === 'MaxPool2D';
  const regions = (ctx: OpContext<PoolAttrs>): Expr[] => [v('hout', ctx.output[0]!), v('wout', ctx.output[1]!), v('c', ctx.output[2]!)];
  return defineOp<PoolAttrs>({
    type,
    doc: isMax ? 'Max pooling over (fh, fw) windows' : 'Average pooling over (fh, fw) windows',
    attrs: {
      poolSize: { kind: 'pair', min: 1, doc: 'window f or [fh, fw]' },
      strides: { kind: 'pair', min: 1, default: null, doc: 'stride; defaults to the pool size' },
      padding: { kind: 'padding', keywords: true, default: 'valid', doc: '"valid", "same" or explicit [top, bottom, left, right]' },
      dilation: { kind: 'pair', min: 1, default: 1, doc: 'spacing d or [dh, dw] between the window\'s taps (ONNX dilations)' },
      ceilMode: { kind: 'bool', default: false, doc: 'round the output size up (Caffe / PyTorch ceil_mode)' },
      countIncludePad: { kind: 'bool', default: false, doc: 'average pooling: divide by the full window, padding included' },
    },
    arity: [1, 1],
    inferShape([x], a) {
      const g = poolGeometry(x!, a);
      return [g.outH, g.outW, x![2]!];
    },
    weights: noWeights,
    macs: noMacs,
    flops(ctx, convention) {
      const [fh, fw] = ctx.attrs.poolSize;
      // The lecture counts f·f per region for both kinds; hardware max pooling needs f·f-1 comparisons.
      if (convention === 'lecture' || !isMax) return mul(...regions(ctx), v('fh', fh), v('fw', fw));
      return mul(...regions(ctx), add(mul(v('fh', fh), v('fw', fw)), n(-1)));
    },
    backward: 'forward',
    receptiveField: ([rf], ctx) => windowReceptiveField(rf!, poolGeometry(ctx.inputs[0]!, ctx.attrs)),
  });
}

export const MaxPool2D = windowPool('MaxPool2D');
export const AvgPool2D = windowPool('AvgPool2D');

function globalPool(type: 'GlobalAvgPool' | 'GlobalMaxPool'): OpDef<GlobalPoolAttrs> {
  const isMax = type === 'GlobalMaxPool';
  return defineOp<GlobalPoolAttrs>({
    type,
    doc: isMax ? 'Maximum over each whole feature map: one number per channel' : 'Average of each whole feature map: one number per channel',
    attrs: { keepDims: { kind: 'bool', default: false, doc: 'keep [1, 1, C] instead of [C]' } },
    arity: [1, 1],
    inferShape([x], a) {
      if (x!.length !== 3) throw new OpRuleError('shape', messages.inputRank('rank 3 [H, W, C]', x!));
      return a.keepDims ? [1, 1, x![2]!] : [x![2]!];
    },
    weights: noWeights,
    macs: noMacs,
    flops({ inputs: [x] }, convention) {
      const [h, w, c] = x!;
      const hw = mul(v('h', h!), v('w', w!));
      if (isMax && convention === 'flops') return mul(add(hw, n(-1)), v('c', c!));
      return mul(v('h', h!), v('w', w!), v('c', c!));
    },
    backward: 'forward',
    receptiveField: ([rf], ctx) => globalReceptiveField(rf!, ctx.inputs[0]!),
  });
}

export const GlobalAvgPool = globalPool('GlobalAvgPool');
export const GlobalMaxPool = globalPool('GlobalMaxPool');

export interface AdaptiveAvgPoolAttrs {
  outputSize: [number, number];
}

/** torchvision's bins along one axis of `size` units into `out`: bin i covers [⌊i·size/out⌋, ⌈(i+1)·size/out⌉). */
export function adaptiveBins(size: number, out: number): Array<[number, number]> {
  return Array.from({ length: out }, (_, i) => [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)]);
}

/** Units summed over all bins of one axis (bins may overlap when out does not divide size). */
const binTotal = (size: number, out: number): number => adaptiveBins(size, out).reduce((s, [a, b]) => s + b - a, 0);

export const AdaptiveAvgPool = defineOp<AdaptiveAvgPoolAttrs>({
  type: OpType.AdaptiveAvgPool,
  doc: 'Average over an [oh, ow] grid of bins of any input size (PyTorch AdaptiveAvgPool2d): bin i spans ⌊i·H/oh⌋ to ⌈(i+1)·H/oh⌉',
  attrs: { outputSize: { kind: 'pair', min: 1, doc: 'output size o or [oh, ow]' } },
  arity: [1, 1],
  inferShape([x], a) {
    if (x!.length !== 3) throw new OpRuleError('shape', messages.inputRank('rank 3 [H, W, C]', x!));
    // Every bin holds at least one unit, so any size works, larger than the input included (bins then repeat units).
    return [a.outputSize[0], a.outputSize[1], x![2]!];
  },
  weights: noWeights,
  macs: noMacs,
  // Each bin adds its units; bins of rows and columns multiply, so the work is Σrows·Σcols·c.
  flops({ inputs: [x], attrs: a }) {
    const [h, w, c] = x! as [number, number, number];
    return mul(v('Σbin rows', binTotal(h, a.outputSize[0])), v('Σbin cols', binTotal(w, a.outputSize[1])), v('c', c));
  },
  backward: 'forward',
  receptiveField: ([rf], ctx) => windowReceptiveField(rf!, adaptiveGeometry(ctx.inputs[0]!, ctx.attrs)),
});

/**
 * The window an adaptive pool amounts to for the receptive field: the largest bin as the kernel
 * and the mean bin spacing as the stride (exact when the output divides the input).
 */
function adaptiveGeometry(input: Shape, a: AdaptiveAvgPoolAttrs): WindowGeometry {
  const [h, w] = input as [number, number];
  const [oh, ow] = a.outputSize;
  const largest = (size: number, out: number) => Math.max(...adaptiveBins(size, out).map(([p, q]) => q - p));
  const kh = largest(h, oh);
  const kw = largest(w, ow);
  return {
    inH: h, inW: w, kh, kw, sh: h / oh, sw: w / ow, dh: 1, dw: 1, effKh: kh, effKw: kw,
    padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, ceilExtraH: 0, ceilExtraW: 0, outH: oh, outW: ow,
  };
}
