/** Pooling: windowed max / average (with ceil mode) and global max / average. */
import { OpRuleError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Shape } from '../graph/types.js';
import { add, mul, n, v, type Expr } from './formula.js';
import { globalReceptiveField, windowGeometry, windowReceptiveField, type WindowGeometry } from './geometry.js';
import { noMacs, noWeights } from './common.js';
import { defineOp, type OpContext, type OpDef, type Padding } from './types.js';

export interface PoolAttrs {
  poolSize: [number, number];
  strides: [number, number] | null;
  padding: Padding;
  ceilMode: boolean;
  countIncludePad: boolean;
}

export interface GlobalPoolAttrs {
  keepDims: boolean;
}

/** Geometry of a pooling node; strides default to the pool size, as in Keras. */
export function poolGeometry(input: Shape, a: PoolAttrs): WindowGeometry {
  return windowGeometry(input, { kernel: a.poolSize, strides: a.strides ?? a.poolSize, padding: a.padding, ceilMode: a.ceilMode });
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
