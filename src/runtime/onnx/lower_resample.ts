/** Lowerings of ops that resample, pad or slice feature maps: Resize, AdaptiveAvgPool, ConstantPad2D, BorderPad2D, Split. */
import { adaptiveBins, resizeMatrix, splitOffset, type ResizeAttrs } from '../../ops/index.js';
import { attr } from '../../onnx/proto.js';
import { onnxAxis } from './layout.js';
import type { Lowering } from './lower_window.js';

const ONNX_MODES = { nearest: 'nearest', bilinear: 'linear', bicubic: 'cubic' } as const;

/** Transposes a row-major [rows, cols] matrix. */
function transposed(m: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j]!;
  return t;
}

/** Y = R · X · Cᵀ per channel of an NCHW map, with R [oh, h] and C [ow, w] row-major. */
function separable(e: Parameters<Lowering<'Resize'>>[0]['e'], name: string, x: string, out: string, r: ArrayLike<number>, c: ArrayLike<number>, [h, w]: number[], [oh, ow]: number[]): void {
  const rows = e.float(`${name}/rows`, [oh!, h!], Float32Array.from(r));
  const byRows = e.op('MatMul', [rows, x], [], { role: 'rows' });
  const cols = e.float(`${name}/cols`, [w!, ow!], transposed(c, ow!, w!));
  e.op('MatMul', [byRows, cols], [], { out });
}

/**
 * Where ONNX Runtime's own Resize departs from the ONNX reference or refuses: align_corners and
 * pytorch_half_pixel read the unfloored output length in⋅scale, which ORT replaces by the whole
 * count; and ORT's cubic refuses to shrink a map once its optimizer has moved the Resize into
 * NHWC (the layout convlab's exports run in). Such nodes go out as matrix products with convlab's taps.
 */
function runtimeDeparts(a: ResizeAttrs, input: readonly number[], output: readonly number[]): boolean {
  if (a.mode === 'bicubic' && (output[0]! < input[0]! || output[1]! < input[1]!)) return true;
  if (!a.scale || (a.mode === 'nearest' && a.rounding === null)) return false;
  if (a.coordinates !== 'align_corners' && a.coordinates !== 'pytorch_half_pixel') return false;
  return a.scale.some((s, i) => !Number.isInteger(s * input[i]!));
}

/**
 * Resize → ONNX Resize with the node's sampling: factors go in as scales (ONNX then places
 * samples by them, as convlab does), a target size as sizes, its batch and channel dims read from
 * the input at run time. Nearest without a rounding is PyTorch's (asymmetric, floor); a crop adds
 * its roi for the two spatial axes. Samplings ONNX Runtime reads otherwise are matrix products.
 */
export const Resize: Lowering<'Resize'> = ({ node, inputs: [x], out, e }) => {
  const a = node.attrs;
  const input = node.inputShapes[0]!;
  if (runtimeDeparts(a, input, node.outputShape)) {
    const [oh, ow] = node.outputShape as [number, number];
    const rows = resizeMatrix(input[0]!, oh, a, 0).matrix;
    const cols = resizeMatrix(input[1]!, ow, a, 1).matrix;
    separable(e, node.name, x!, out, rows, cols, input.slice(0, 2), [oh, ow]);
    return;
  }
  const legacy = a.mode === 'nearest' && a.rounding === null;
  const attrs = [attr.string('mode', ONNX_MODES[a.mode]), attr.string('coordinate_transformation_mode', legacy ? 'asymmetric' : a.coordinates)];
  if (a.mode === 'nearest') attrs.push(attr.string('nearest_mode', a.rounding ?? 'floor'));
  if (a.mode === 'bicubic') attrs.push(attr.float('cubic_coeff_a', a.cubicA), attr.int('exclude_outside', a.excludeOutside ? 1 : 0));
  const crop = a.coordinates === 'tf_crop_and_resize' && a.roi && !legacy;
  if (crop) attrs.push(attr.float('extrapolation_value', a.extrapolation));
  const [y1, x1, y2, x2] = a.roi ?? [0, 0, 1, 1];
  const roi = crop ? e.float(`${node.name}/roi`, [8], Float32Array.of(0, 0, y1, x1, 1, 1, y2, x2)) : '';
  if (a.scale) {
    const scales = e.float(`${node.name}/scales`, [4], Float32Array.of(1, 1, a.scale[0], a.scale[1]));
    e.op('Resize', [x!, roi, scales], attrs, { out });
    return;
  }
  const shape = e.op('Shape', [x!], [], { role: 'shape' });
  const nc = e.op('Slice', [shape, e.ints('nc_start', [0]), e.ints('nc_end', [2])], [], { role: 'batch_channels' });
  const sizes = e.op('Concat', [nc, e.ints('hw', [node.outputShape[0]!, node.outputShape[1]!])], [attr.int('axis', 0)], { role: 'sizes' });
  e.op('Resize', [x!, roi, '', sizes], attrs, { out });
};

/** Row-stochastic [out, size] matrix whose row i averages bin i (torchvision's bins). */
function binMatrix(size: number, out: number): Float32Array {
  const m = new Float32Array(out * size);
  adaptiveBins(size, out).forEach(([p, q], i) => {
    for (let k = p; k < q; k++) m[i * size + k] = 1 / (q - p);
  });
  return m;
}

/**
 * AdaptiveAvgPool → AveragePool when the output divides the input (the bins are then a plain
 * window), otherwise two MatMuls with constant bin matrices: Y = P_h · X · P_wᵀ per channel.
 */
export const AdaptiveAvgPool: Lowering<'AdaptiveAvgPool'> = ({ node, inputs: [x], out, e }) => {
  const [h, w] = node.inputShapes[0]! as [number, number];
  const [oh, ow] = node.attrs.outputSize;
  if (h % oh === 0 && w % ow === 0) {
    const k = [h / oh, w / ow];
    e.op('AveragePool', [x!], [attr.ints('kernel_shape', k), attr.ints('strides', k)], { out });
    return;
  }
  separable(e, node.name, x!, out, binMatrix(h, oh), binMatrix(w, ow), [h, w], [oh, ow]);
};

/** ConstantPad2D → Pad in constant mode with the node's value. */
export const ConstantPad2D: Lowering<'ConstantPad2D'> = ({ node, inputs: [x], out, e }) => {
  const [t, b, l, r] = node.attrs.padding as number[];
  e.op('Pad', [x!, e.ints('pads', [0, 0, t!, l!, 0, 0, b!, r!]), e.scalar(node.attrs.value)], [attr.string('mode', 'constant')], { out });
};

/** BorderPad2D → Pad in reflect or edge mode (ONNX's names for PyTorch's reflection and replication). */
export const BorderPad2D: Lowering<'BorderPad2D'> = ({ node, inputs: [x], out, e }) => {
  const [t, b, l, r] = node.attrs.padding as number[];
  e.op('Pad', [x!, e.ints('pads', [0, 0, t!, l!, 0, 0, b!, r!])], [attr.string('mode', node.attrs.mode)], { out });
};

/** Split → Slice of its channels. */
export const Split: Lowering<'Split'> = ({ node, inputs: [x], out, e }) => {
  const s = node.inputShapes[0]!;
  const start = splitOffset(node.attrs);
  const axis = onnxAxis(s, -1);
  e.op('Slice', [x!, e.ints('starts', [start]), e.ints('ends', [start + node.attrs.splits[node.attrs.index]!]), e.ints('axes', [axis])], [], { out });
};
