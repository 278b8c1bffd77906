/** Resizing feature maps: Keras UpSampling2D and ONNX Resize, nearest or bilinear. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Shape } from '../graph/types.js';
import { mul, v, zero } from './formula.js';
import { elements, noMacs, noWeights } from './common.js';
import { defineOp, OpType, type ReceptiveField } from './types.js';

/** How output coordinates map to input ones in bilinear mode (nearest always takes ⌊o·in/out⌋). */
export const RESIZE_COORDINATES = ['half_pixel', 'align_corners', 'asymmetric'] as const;
export type ResizeCoordinates = (typeof RESIZE_COORDINATES)[number];

export interface ResizeAttrs {
  scale: [number, number] | null;
  size: [number, number] | null;
  mode: 'nearest' | 'bilinear';
  coordinates: ResizeCoordinates;
}

/** Output [H, W] of a Resize node on an input of [H, W, C]. */
export function resizeTarget(input: Shape, a: ResizeAttrs): [number, number] {
  if ((a.scale === null) === (a.size === null)) throw new OpRuleError('attribute', messages.resizeTarget(a.scale, a.size), a.scale === null ? 'size' : 'scale');
  return a.scale ? [input[0]! * a.scale[0], input[1]! * a.scale[1]] : [a.size![0], a.size![1]];
}

/**
 * The input coordinate output unit `o` reads along an axis of `size` → `out` units:
 * nearest ⌊o·size/out⌋; bilinear by `coordinates` (half_pixel (o + ½)·size/out - ½, as Keras,
 * TF 2 and PyTorch's align_corners=False; align_corners o·(size-1)/(out-1); asymmetric o·size/out,
 * as tfjs' UpSampling2D). Runtimes and tests compute positions with this one function.
 */
export function sourceCoordinate(o: number, size: number, out: number, a: Pick<ResizeAttrs, 'mode' | 'coordinates'>): number {
  if (a.mode === 'nearest') return Math.min(Math.floor((o * size) / out), size - 1);
  if (a.coordinates === 'align_corners') return out > 1 ? (o * (size - 1)) / (out - 1) : 0;
  if (a.coordinates === 'asymmetric') return (o * size) / out;
  return Math.max((o + 0.5) * (size / out) - 0.5, 0);
}

export const Resize = defineOp<ResizeAttrs>({
  type: OpType.Resize,
  doc: 'Resizes a feature map by integer factors (Keras UpSampling2D) or to a size, by nearest neighbour or bilinear interpolation',
  attrs: {
    scale: { kind: 'pair', min: 1, default: null, doc: 'integer factors s or [sh, sw] (UpSampling2D size)' },
    size: { kind: 'pair', min: 1, default: null, doc: 'output [H, W], instead of scale' },
    mode: { kind: 'enum', values: ['nearest', 'bilinear'], default: 'nearest', doc: 'interpolation' },
    coordinates: { kind: 'enum', values: RESIZE_COORDINATES, default: 'half_pixel', doc: 'bilinear: how output positions map to input ones' },
  },
  arity: [1, 1],
  inferShape([x], a) {
    if (x!.length !== 3) throw new OpRuleError('shape', messages.inputRank('rank 3 [H, W, C]', x!));
    return [...resizeTarget(x!, a), x![2]!];
  },
  weights: noWeights,
  macs: noMacs,
  // Nearest only copies. Bilinear is three lerps per output unit, each a sub, a mul and an add.
  flops: (ctx, convention) => (convention === 'lecture' || ctx.attrs.mode === 'nearest' ? zero : mul(v('9', 9), elements(ctx.output))),
  backward: 'forward',
  receptiveField([rf], ctx): ReceptiveField {
    const [h, w] = ctx.inputs[0]! as [number, number];
    const [oh, ow] = ctx.output as [number, number];
    // An output unit reads one input unit (nearest) or two neighbours per axis (bilinear).
    const grow = ctx.attrs.mode === 'bilinear' ? 1 : 0;
    const ax = (i: 0 | 1, size: number, out: number) => ({
      size: rf!.size[i] + grow * rf!.jump[i],
      jump: (rf!.jump[i] * size) / out,
      start: rf!.start[i] + (sourceCoordinate(0, size, out, ctx.attrs) + grow / 2) * rf!.jump[i],
    });
    const y = ax(0, h, oh);
    const x = ax(1, w, ow);
    return { size: [y.size, x.size], jump: [y.jump, x.jump], start: [y.start, x.start], ...(rf!.disagree ? { disagree: true } : {}) };
  },
});
