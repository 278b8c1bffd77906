/** Lowerings of ops that resample or slice feature maps: Resize, AdaptiveAvgPool, ConstantPad2D, Split. */
import { adaptiveBins, splitOffset } from '../../ops/index.js';
import { attr } from '../../onnx/proto.js';
import { onnxAxis } from './layout.js';
import type { Lowering } from './lower_window.js';

const ONNX_COORDINATES = { half_pixel: 'half_pixel', align_corners: 'align_corners', asymmetric: 'asymmetric' } as const;

/**
 * Resize → ONNX Resize. Integer factors go in as scales; a target size as sizes, its batch and
 * channel dims read from the input at run time. Nearest is PyTorch's (asymmetric, floor).
 */
export const Resize: Lowering<'Resize'> = ({ node, inputs: [x], out, e }) => {
  const a = node.attrs;
  const mode = a.mode === 'nearest'
    ? [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')]
    : [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', ONNX_COORDINATES[a.coordinates])];
  if (a.scale) {
    const scales = e.float(`${node.name}/scales`, [4], Float32Array.of(1, 1, a.scale[0], a.scale[1]));
    e.op('Resize', [x!, '', scales], mode, { out });
    return;
  }
  const shape = e.op('Shape', [x!], [], { role: 'shape' });
  const nc = e.op('Slice', [shape, e.ints('nc_start', [0]), e.ints('nc_end', [2])], [], { role: 'batch_channels' });
  const sizes = e.op('Concat', [nc, e.ints('hw', [node.outputShape[0]!, node.outputShape[1]!])], [attr.int('axis', 0)], { role: 'sizes' });
  e.op('Resize', [x!, '', '', sizes], mode, { out });
};

/** Row-stochastic [out, size] matrix whose row i averages bin i (torchvision's bins). */
function binMatrix(size: number, out: number): Float32Array {
  const m = new Float32Array(out * size);
  adaptiveBins(size, out).forEach(([p, q], i) => {
    for (let k = p; k < q; k++) m[i * size + k] = 1 / (q - p);
  });
  return m;
}

/** Transposes a row-major [rows, cols] matrix. */
function transposed(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j]!;
  return t;
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
  const rows = e.float(`${node.name}/row_bins`, [oh, h], binMatrix(h, oh));
  const byRows = e.op('MatMul', [rows, x!], [], { role: 'rows' });
  const cols = e.float(`${node.name}/col_bins`, [w, ow], transposed(binMatrix(w, ow), ow, w));
  e.op('MatMul', [byRows, cols], [], { out });
};

/** ConstantPad2D → Pad in constant mode with the node's value. */
export const ConstantPad2D: Lowering<'ConstantPad2D'> = ({ node, inputs: [x], out, e }) => {
  const [t, b, l, r] = node.attrs.padding as number[];
  e.op('Pad', [x!, e.ints('pads', [0, 0, t!, l!, 0, 0, b!, r!]), e.scalar(node.attrs.value)], [attr.string('mode', 'constant')], { out });
};

/** Split → Slice of its channels. */
export const Split: Lowering<'Split'> = ({ node, inputs: [x], out, e }) => {
  const s = node.inputShapes[0]!;
  const start = splitOffset(node.attrs);
  const axis = onnxAxis(s, -1);
  e.op('Slice', [x!, e.ints('starts', [start]), e.ints('ends', [start + node.attrs.splits[node.attrs.index]!]), e.ints('axes', [axis])], [], { out });
};
