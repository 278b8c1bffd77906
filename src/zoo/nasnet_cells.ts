/**
 * NASNet-A's searched cells as Keras Applications writes them. Every cell reads two inputs, the
 * previous cell's output `ip` and the one before it `p`; an adjust block first reshapes `p` to
 * match. Names follow Keras exactly, irregularities included (reduction_add3_, and the block-5
 * separable convs of a reduction cell reusing the `reduction_left4_` id).
 */
import type { GraphBuilder, Tensor } from '../graph/builder.js';
import { correctPad } from './keras_app.js';

/** NASNet's batch-norm settings: momentum 0.9997, epsilon 1e-3. */
const BN = { momentum: 0.9997, epsilon: 1e-3 } as const;

/** Output of a cell and the tensor the next cell takes as its `p`. */
export interface CellOutput {
  x: Tensor;
  p: Tensor;
}

/**
 * Two ReLU-separable conv-BN units. A strided first conv pads explicitly (Keras' correct_pad) and
 * then runs 'valid', which puts the extra row on the bottom and right as TF's 'same' does.
 */
export function nasnetSeparableBlock(b: GraphBuilder, x: Tensor, filters: number, kernel: number, strides: 1 | 2, blockId: string): Tensor {
  let y = b.activation(x, 'relu');
  if (strides === 2) y = b.zeroPad(y, correctPad(y, kernel), `separable_conv_1_pad_${blockId}`);
  y = b.separableConv2d(y, {
    filters, kernelSize: kernel, strides, padding: strides === 2 ? 'valid' : 'same', useBias: false, name: `separable_conv_1_${blockId}`,
  });
  y = b.batchNorm(y, { ...BN, name: `separable_conv_1_bn_${blockId}` });
  y = b.activation(y, 'relu');
  y = b.separableConv2d(y, { filters, kernelSize: kernel, padding: 'same', useBias: false, name: `separable_conv_2_${blockId}` });
  return b.batchNorm(y, { ...BN, name: `separable_conv_2_bn_${blockId}` });
}

/**
 * Makes `p` match `ip`. At a resolution change: two half-width 1×1 convs over stride-2 samplings,
 * the second shifted by one pixel (pad bottom/right, crop top/left), concatenated and normalized.
 * At a width change only: a ReLU-1×1 conv-BN projection. With no `p` (the first cell): `ip` itself.
 */
export function nasnetAdjust(b: GraphBuilder, p: Tensor | null, ip: Tensor, filters: number, blockId: string): Tensor {
  if (!p || (p.shape[1] === ip.shape[1] && p.shape[2] === filters)) return p ?? ip;
  return b.scope('adjust_block', () => adjustLayers(b, p, ip, filters, blockId));
}

function adjustLayers(b: GraphBuilder, p: Tensor, ip: Tensor, filters: number, blockId: string): Tensor {
  if (p.shape[1] !== ip.shape[1]) {
    const r = b.activation(p, 'relu', `adjust_relu_1_${blockId}`);
    let p1 = b.avgPool(r, { poolSize: 1, strides: 2, name: `adjust_avg_pool_1_${blockId}` });
    p1 = b.conv2d(p1, { filters: Math.floor(filters / 2), kernelSize: 1, padding: 'same', useBias: false, name: `adjust_conv_1_${blockId}` });
    let p2 = b.zeroPad(r, [0, 1, 0, 1]);
    p2 = b.crop(p2, [1, 0, 1, 0]);
    p2 = b.avgPool(p2, { poolSize: 1, strides: 2, name: `adjust_avg_pool_2_${blockId}` });
    p2 = b.conv2d(p2, { filters: Math.floor(filters / 2), kernelSize: 1, padding: 'same', useBias: false, name: `adjust_conv_2_${blockId}` });
    return b.batchNorm(b.concat([p1, p2]), { ...BN, name: `adjust_bn_${blockId}` });
  }
  const r = b.activation(p, 'relu');
  const c = b.conv2d(r, { filters, kernelSize: 1, padding: 'same', useBias: false, name: `adjust_conv_projection_${blockId}` });
  return b.batchNorm(c, { ...BN, name: `adjust_bn_${blockId}` });
}

/** ReLU-1×1 conv-BN that brings `ip` to the cell's width (`normal` or `reduction` prefix). */
function squeeze(b: GraphBuilder, ip: Tensor, filters: number, kind: 'normal' | 'reduction', blockId: string): Tensor {
  const r = b.activation(ip, 'relu');
  const c = b.conv2d(r, { filters, kernelSize: 1, padding: 'same', useBias: false, name: `${kind}_conv_1_${blockId}` });
  return b.batchNorm(c, { ...BN, name: `${kind}_bn_1_${blockId}` });
}

const samePool = { poolSize: 3, strides: 1, padding: 'same' } as const;
const stridedPool = { poolSize: 3, strides: 2, padding: 'valid' } as const;

/** Normal cell: five pairwise-added blocks over `h` and `p`, concatenated with `p` (6·filters channels). */
export function nasnetNormalCell(b: GraphBuilder, ip: Tensor, prev: Tensor | null, filters: number, blockId: string): CellOutput {
  // Keras builds each cell inside a name scope, normal_A_block_{id} or reduction_A_block_{id}; the block takes that name.
  return b.scope(`normal_A_block_${blockId}`, () => normalCellLayers(b, ip, prev, filters, blockId));
}

function normalCellLayers(b: GraphBuilder, ip: Tensor, prev: Tensor | null, filters: number, blockId: string): CellOutput {
  const p = nasnetAdjust(b, prev, ip, filters, blockId);
  const h = squeeze(b, ip, filters, 'normal', blockId);
  const x1 = b.add([
    nasnetSeparableBlock(b, h, filters, 5, 1, `normal_left1_${blockId}`),
    nasnetSeparableBlock(b, p, filters, 3, 1, `normal_right1_${blockId}`),
  ], `normal_add_1_${blockId}`);
  const x2 = b.add([
    nasnetSeparableBlock(b, p, filters, 5, 1, `normal_left2_${blockId}`),
    nasnetSeparableBlock(b, p, filters, 3, 1, `normal_right2_${blockId}`),
  ], `normal_add_2_${blockId}`);
  const x3 = b.add([b.avgPool(h, { ...samePool, name: `normal_left3_${blockId}` }), p], `normal_add_3_${blockId}`);
  const x4 = b.add([
    b.avgPool(p, { ...samePool, name: `normal_left4_${blockId}` }),
    b.avgPool(p, { ...samePool, name: `normal_right4_${blockId}` }),
  ], `normal_add_4_${blockId}`);
  const x5 = b.add([nasnetSeparableBlock(b, h, filters, 3, 1, `normal_left5_${blockId}`), h], `normal_add_5_${blockId}`);
  return { x: b.concat([p, x1, x2, x3, x4, x5], { name: `normal_concat_${blockId}` }), p: ip };
}

/** Reduction cell: strided separable convs and pools halve the resolution; four blocks concatenated (4·filters channels). */
export function nasnetReductionCell(b: GraphBuilder, ip: Tensor, prev: Tensor | null, filters: number, blockId: string): CellOutput {
  return b.scope(`reduction_A_block_${blockId}`, () => reductionCellLayers(b, ip, prev, filters, blockId));
}

function reductionCellLayers(b: GraphBuilder, ip: Tensor, prev: Tensor | null, filters: number, blockId: string): CellOutput {
  const p = nasnetAdjust(b, prev, ip, filters, blockId);
  const h = squeeze(b, ip, filters, 'reduction', blockId);
  const h3 = b.zeroPad(h, correctPad(h, 3), `reduction_pad_1_${blockId}`);
  const x1 = b.add([
    nasnetSeparableBlock(b, h, filters, 5, 2, `reduction_left1_${blockId}`),
    nasnetSeparableBlock(b, p, filters, 7, 2, `reduction_right1_${blockId}`),
  ], `reduction_add_1_${blockId}`);
  const x2 = b.add([
    b.maxPool(h3, { ...stridedPool, name: `reduction_left2_${blockId}` }),
    nasnetSeparableBlock(b, p, filters, 7, 2, `reduction_right2_${blockId}`),
  ], `reduction_add_2_${blockId}`);
  const x3 = b.add([
    b.avgPool(h3, { ...stridedPool, name: `reduction_left3_${blockId}` }),
    nasnetSeparableBlock(b, p, filters, 5, 2, `reduction_right3_${blockId}`),
  ], `reduction_add3_${blockId}`);
  const x4 = b.add([x2, b.avgPool(x1, { ...samePool, name: `reduction_left4_${blockId}` })]);
  const x5 = b.add([
    nasnetSeparableBlock(b, x1, filters, 3, 1, `reduction_left4_${blockId}`),
    b.maxPool(h3, { ...stridedPool, name: `reduction_right5_${blockId}` }),
  ], `reduction_add4_${blockId}`);
  return { x: b.concat([x2, x3, x4, x5], { name: `reduction_concat_${blockId}` }), p: ip };
}
