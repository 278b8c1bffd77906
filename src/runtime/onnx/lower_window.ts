/** Lowerings of windowed and dense ops: Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose, Dense, pooling. */
import type { NodeOf } from '../../graph/graph.js';
import { convGeometry, convTransposeGeometry, poolGeometry, type OpType, type WindowGeometry } from '../../ops/index.js';
import { activate } from './lower_activation.js';
import type { Emitter } from './emitter.js';
import { depthwiseToOihw, hwioToOihw, isMap, transposeKernelToOnnx } from './layout.js';
import { attr, type AttributeProto } from '../../onnx/proto.js';

/** What a lowering sees: the node (its attrs typed as op K's), its ONNX inputs, the tensor to produce and the node's weights. */
export interface LowerArgs<K extends OpType = OpType> {
  node: NodeOf<K>;
  /** ONNX tensor names of the inputs (feature maps in NCHW). */
  inputs: string[];
  /** The ONNX tensor the lowering must write. */
  out: string;
  e: Emitter;
  /** The node's weight in Keras layout, by Keras weight name. */
  weight(name: string): Float32Array;
}

/** Emits ONNX nodes computing one convlab node of op K. */
export type Lowering<K extends OpType = OpType> = (a: LowerArgs<K>) => void;

/** ONNX pads [top, left, bottom, right], plus the bottom/right reach ceil mode adds. */
const padsOf = (g: WindowGeometry, ceilExtra: boolean): number[] => [
  g.padTop, g.padLeft, g.padBottom + (ceilExtra ? g.ceilExtraH : 0), g.padRight + (ceilExtra ? g.ceilExtraW : 0),
];

function convAttrs(g: WindowGeometry, group: number): AttributeProto[] {
  const a = [
    attr.ints('kernel_shape', [g.kh, g.kw]),
    attr.ints('strides', [g.sh, g.sw]),
    attr.ints('dilations', [g.dh, g.dw]),
    attr.ints('pads', padsOf(g, false)),
  ];
  if (group > 1) a.push(attr.int('group', group));
  return a;
}

const OIHW_DOC = 'Keras kernel (fh, fw, cin/groups, K) stored as ONNX (K, cin/groups, fh, fw)';
const DEPTHWISE_DOC = 'Keras depthwise_kernel (fh, fw, cin, dm) stored as ONNX (cin·dm, 1, fh, fw)';

/** Conv2D → Conv (kernel to OIHW, explicit pads, groups) + its fused activation. */
export const Conv2D: Lowering<'Conv2D'> = ({ node, inputs: [x], out, e, weight }) => {
  const a = node.attrs;
  const g = convGeometry(node.inputShapes[0]!, a);
  const cinG = node.inputShapes[0]![2]! / a.groups;
  const w = e.float(`${node.name}/kernel`, [a.filters, cinG, g.kh, g.kw], hwioToOihw(weight('kernel'), g.kh, g.kw, cinG, a.filters), OIHW_DOC);
  const ins = [x!, w];
  if (a.useBias) ins.push(e.float(`${node.name}/bias`, [a.filters], weight('bias')));
  const y = e.op('Conv', ins, convAttrs(g, a.groups), a.activation === 'linear' ? { out } : {});
  activate(e, a.activation, y, out, node.outputShape);
};

/** DepthwiseConv2D → Conv with one group per input channel. */
export const DepthwiseConv2D: Lowering<'DepthwiseConv2D'> = ({ node, inputs: [x], out, e, weight }) => {
  const a = node.attrs;
  const g = convGeometry(node.inputShapes[0]!, a);
  const cin = node.inputShapes[0]![2]!;
  const cout = cin * a.depthMultiplier;
  const w = e.float(`${node.name}/depthwise_kernel`, [cout, 1, g.kh, g.kw], depthwiseToOihw(weight('depthwise_kernel'), g.kh, g.kw, cin, a.depthMultiplier), DEPTHWISE_DOC);
  const ins = [x!, w];
  if (a.useBias) ins.push(e.float(`${node.name}/bias`, [cout], weight('bias')));
  const y = e.op('Conv', ins, convAttrs(g, cin), a.activation === 'linear' ? { out } : {});
  activate(e, a.activation, y, out, node.outputShape);
};

/** SeparableConv2D → depthwise Conv (`node/depthwise`) then a 1×1 Conv. */
export const SeparableConv2D: Lowering<'SeparableConv2D'> = ({ node, inputs: [x], out, e, weight }) => {
  const a = node.attrs;
  const g = convGeometry(node.inputShapes[0]!, a);
  const cin = node.inputShapes[0]![2]!;
  const mid = cin * a.depthMultiplier;
  const dw = e.float(`${node.name}/depthwise_kernel`, [mid, 1, g.kh, g.kw], depthwiseToOihw(weight('depthwise_kernel'), g.kh, g.kw, cin, a.depthMultiplier), DEPTHWISE_DOC);
  const h = e.op('Conv', [x!, dw], convAttrs(g, cin), { role: 'depthwise' });
  const pw = e.float(`${node.name}/pointwise_kernel`, [a.filters, mid, 1, 1], hwioToOihw(weight('pointwise_kernel'), 1, 1, mid, a.filters), OIHW_DOC);
  const ins = [h, pw];
  if (a.useBias) ins.push(e.float(`${node.name}/bias`, [a.filters], weight('bias')));
  const pointwise = convAttrs({ ...g, kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0 }, 1);
  const y = e.op('Conv', ins, pointwise, a.activation === 'linear' ? { out } : {});
  activate(e, a.activation, y, out, node.outputShape);
};

/**
 * Conv2DTranspose → ConvTranspose with explicit pads: the crop the geometry puts at the start,
 * the rest of the full output cut at the end, or zero rows added there as output_padding.
 */
export const Conv2DTranspose: Lowering<'Conv2DTranspose'> = ({ node, inputs: [x], out, e, weight }) => {
  const a = node.attrs;
  const g = convTransposeGeometry(node.inputShapes[0]!, a);
  const cin = node.inputShapes[0]![2]!;
  const kg = a.filters / a.groups;
  const doc = 'Keras kernel (fh, fw, K/groups, cin) stored as ONNX ConvTranspose (cin, K/groups, fh, fw)';
  const ins = [x!, e.float(`${node.name}/kernel`, [cin, kg, g.kh, g.kw], transposeKernelToOnnx(weight('kernel'), g.kh, g.kw, kg, cin), doc)];
  if (a.useBias) ins.push(e.float(`${node.name}/bias`, [a.filters], weight('bias')));
  const endH = g.fullH - g.cropTop - g.outH;
  const endW = g.fullW - g.cropLeft - g.outW;
  const attrs = [
    attr.ints('kernel_shape', [g.kh, g.kw]),
    attr.ints('strides', [g.sh, g.sw]),
    attr.ints('dilations', [g.dh, g.dw]),
    attr.ints('pads', [g.cropTop, g.cropLeft, Math.max(endH, 0), Math.max(endW, 0)]),
    attr.ints('output_padding', [Math.max(-endH, 0), Math.max(-endW, 0)]),
  ];
  if (a.groups > 1) attrs.push(attr.int('group', a.groups));
  const y = e.op('ConvTranspose', ins, attrs, a.activation === 'linear' ? { out } : {});
  activate(e, a.activation, y, out, node.outputShape);
};

/**
 * Dense on a vector is Gemm; on a feature map (NCHW in ONNX) it acts on channels, which is a 1×1
 * Conv; on any other rank the last axis is already last, so MatMul + Add.
 */
export const Dense: Lowering<'Dense'> = ({ node, inputs: [x], out, e, weight }) => {
  const a = node.attrs;
  const s = node.inputShapes[0]!;
  const nin = s[s.length - 1]!;
  const fused = a.activation === 'linear' ? { out } : {};
  let y: string;
  if (isMap(s)) {
    const w = e.float(`${node.name}/kernel`, [a.units, nin, 1, 1], hwioToOihw(weight('kernel'), 1, 1, nin, a.units), 'Keras kernel (nin, nout) stored as a 1×1 conv (nout, nin, 1, 1)');
    const ins = [x!, w];
    if (a.useBias) ins.push(e.float(`${node.name}/bias`, [a.units], weight('bias')));
    y = e.op('Conv', ins, [attr.ints('kernel_shape', [1, 1])], fused);
  } else if (s.length === 1) {
    const ins = [x!, e.float(`${node.name}/kernel`, [nin, a.units], weight('kernel'))];
    if (a.useBias) ins.push(e.float(`${node.name}/bias`, [a.units], weight('bias')));
    y = e.op('Gemm', ins, [], fused);
  } else {
    const w = e.float(`${node.name}/kernel`, [nin, a.units], weight('kernel'));
    if (a.useBias) {
      const m = e.op('MatMul', [x!, w]);
      y = e.op('Add', [m, e.float(`${node.name}/bias`, [a.units], weight('bias'))], [], { role: 'bias', ...fused });
    } else {
      y = e.op('MatMul', [x!, w], [], fused);
    }
  }
  activate(e, a.activation, y, out, node.outputShape);
};

function windowPool(kind: 'MaxPool' | 'AveragePool'): Lowering<'MaxPool2D' | 'AvgPool2D'> {
  return ({ node, inputs: [x], out, e }) => {
    const a = node.attrs;
    const g = poolGeometry(node.inputShapes[0]!, a);
    const dilated = g.dh > 1 || g.dw > 1;
    if (kind === 'AveragePool' && dilated) {
      dilatedAverage(node as NodeOf<'AvgPool2D'>, g, x!, out, e);
      return;
    }
    const base = [attr.ints('kernel_shape', [g.kh, g.kw]), attr.ints('strides', [g.sh, g.sw])];
    if (dilated) base.push(attr.ints('dilations', [g.dh, g.dw]));
    const ceilExtra = g.ceilExtraH + g.ceilExtraW > 0;
    if (kind === 'AveragePool' && a.countIncludePad && ceilExtra) {
      // Declared padding counts in the average but the reach ceil mode adds does not (PyTorch's
      // rule): pad with real zeros first, then pool with the extra reach excluded.
      const padded = e.op('Pad', [x!, e.ints('pads', [0, 0, g.padTop, g.padLeft, 0, 0, g.padBottom, g.padRight])], [], { role: 'pad' });
      e.op('AveragePool', [padded], [...base, attr.ints('pads', [0, 0, g.ceilExtraH, g.ceilExtraW]), attr.int('count_include_pad', 0)], { out });
      return;
    }
    const attrs = [...base, attr.ints('pads', padsOf(g, true))];
    if (kind === 'AveragePool') attrs.push(attr.int('count_include_pad', a.countIncludePad ? 1 : 0));
    const border = kind === 'MaxPool' ? zeroBorder(e, x!) : undefined;
    if (!border) {
      e.op(kind, [x!], attrs, { out });
      return;
    }
    const pooled = e.op(kind, [x!], attrs);
    e.op('Max', [pooled, e.float(`${node.name}/zero_border`, [1, 1, g.outH, g.outW], borderMask(g, border))], [], { role: 'zero_border', out });
  };
}

/** The shared scalar 0 a ConstantPad2D of value 0 pads with (Emitter.scalar's name). */
const ZERO = 'const/0';

/** [top, left, bottom, right] of the zero Pad that produced tensor `x`, when one did. */
function zeroBorder(e: Emitter, x: string): number[] | undefined {
  const pad = e.nodes.find((n) => n.opType === 'Pad' && n.output[0] === x);
  if (!pad || (pad.input[2] !== undefined && pad.input[2] !== ZERO)) return undefined;
  const pads = e.initializers.find((t) => t.name === pad.input[1]);
  if (!pads?.rawData) return undefined;
  const v = new BigInt64Array(pads.rawData.slice().buffer);
  return [Number(v[2]), Number(v[3]), Number(v[6]), Number(v[7])];
}

/**
 * ONNX Runtime's Pad fusion folds a zero Pad into the MaxPool after it, where padding counts as
 * −∞, so a window over the zero border of negative values would lose its zero. Max with this
 * map puts it back: 0 where a window reaches the border, −∞ elsewhere. Without the fusion the
 * pool already holds that zero and the Max changes nothing.
 */
function borderMask(g: WindowGeometry, [top, left, bottom, right]: number[]): Float32Array {
  const taps = (start: number, k: number, d: number, size: number) => Array.from({ length: k }, (_, t) => start + t * d).filter((p) => p >= 0 && p < size);
  const mask = new Float32Array(g.outH * g.outW).fill(-Infinity);
  for (let i = 0; i < g.outH; i++) {
    const rows = taps(i * g.sh - g.padTop, g.kh, g.dh, g.inH);
    const rowBorder = rows.some((r) => r < top! || r >= g.inH - bottom!);
    for (let j = 0; j < g.outW; j++) {
      const cols = taps(j * g.sw - g.padLeft, g.kw, g.dw, g.inW);
      const colBorder = cols.some((c) => c < left! || c >= g.inW - right!);
      if ((rowBorder && cols.length > 0) || (colBorder && rows.length > 0)) mask[i * g.outW + j] = 0;
    }
  }
  return mask;
}

/**
 * Average pooling with dilation (ONNX AveragePool has dilations only from opset 19): a grouped
 * Conv of ones sums each window's taps, and a constant map divides each sum by the taps that
 * count (inside the input, or inside the declared padding with countIncludePad).
 */
function dilatedAverage(node: NodeOf<'AvgPool2D'>, g: WindowGeometry, x: string, out: string, e: Emitter): void {
  const c = node.inputShapes[0]![2]!;
  const ones = e.float(`${node.name}/ones`, [c, 1, g.kh, g.kw], new Float32Array(c * g.kh * g.kw).fill(1));
  const attrs = [
    attr.ints('kernel_shape', [g.kh, g.kw]), attr.ints('strides', [g.sh, g.sw]), attr.ints('dilations', [g.dh, g.dw]),
    attr.ints('pads', padsOf(g, true)), attr.int('group', c),
  ];
  const sum = e.op('Conv', [x, ones], attrs, { role: 'window_sum' });
  const include = node.attrs.countIncludePad;
  const counted = (start: number, taps: number, step: number, size: number, before: number, after: number) => {
    let k = 0;
    for (let t = 0; t < taps; t++) {
      const p = start + t * step;
      if (include ? p >= -before && p < size + after : p >= 0 && p < size) k++;
    }
    return k;
  };
  const inverse = new Float32Array(g.outH * g.outW);
  for (let i = 0; i < g.outH; i++) {
    const rows = counted(i * g.sh - g.padTop, g.kh, g.dh, g.inH, g.padTop, g.padBottom);
    for (let j = 0; j < g.outW; j++) {
      const cols = counted(j * g.sw - g.padLeft, g.kw, g.dw, g.inW, g.padLeft, g.padRight);
      inverse[i * g.outW + j] = 1 / Math.max(1, rows * cols);
    }
  }
  e.op('Mul', [sum, e.float(`${node.name}/inverse_count`, [1, 1, g.outH, g.outW], inverse)], [], { out });
}

/** MaxPool2D → MaxPool. */
export const MaxPool2D = windowPool('MaxPool');
/** AvgPool2D → AveragePool. */
export const AvgPool2D = windowPool('AveragePool');

function globalPool(kind: 'GlobalAveragePool' | 'GlobalMaxPool'): Lowering<'GlobalAvgPool' | 'GlobalMaxPool'> {
  return ({ node, inputs: [x], out, e }) => {
    const a = node.attrs;
    if (a.keepDims) {
      e.op(kind, [x!], [], { out });
      return;
    }
    const y = e.op(kind, [x!]);
    e.op('Flatten', [y], [attr.int('axis', 1)], { role: 'squeeze', out });
  };
}

/** GlobalAvgPool → GlobalAveragePool (+ Flatten). */
export const GlobalAvgPool = globalPool('GlobalAveragePool');
/** GlobalMaxPool → GlobalMaxPool (+ Flatten). */
export const GlobalMaxPool = globalPool('GlobalMaxPool');
