/**
 * InceptionV3 as Keras Applications defines it. Every conv is Keras' conv2d_bn: a bias-free
 * conv, batch norm without scale (γ fixed at 1) and ReLU, left unnamed so Keras numbers them
 * (conv2d, conv2d_1, …, batch_normalization_93, activation_93); modules are named mixed0 …
 * mixed10. The nodes are created in Keras' order, so the automatic numbers, and with them a Keras
 * weight file, line up one to one.
 *
 * The module types follow the paper's figures (and torchvision's class names): A, factorized 5×5
 * (mixed0-2); B, grid reduction to 17×17 (mixed3); C, factorized 7×7 (mixed4-7); D, grid
 * reduction to 8×8 (mixed8); E, expanded 1×3 / 3×1 outputs (mixed9-10).
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelOptions } from './registry.js';

/** One row of the stem: a conv2d_bn (filters, kernel, stride, padding) or a 3×3/2 max pool. */
type StemRow = { filters: number; kernel: number; stride?: number; padding: 'valid' | 'same' } | 'maxpool';

/** One module: its type and, for A, the pool projection width; for C, the 7×7 branches' inner width. */
export type InceptionV3Module = { type: 'A'; poolProj: number } | { type: 'B' } | { type: 'C'; c7: number } | { type: 'D' } | { type: 'E' };

/** InceptionV3 as data: the stem rows and the eleven modules mixed0 … mixed10. */
export const INCEPTION_V3: { stem: StemRow[]; modules: InceptionV3Module[] } = {
  stem: [
    { filters: 32, kernel: 3, stride: 2, padding: 'valid' },
    { filters: 32, kernel: 3, padding: 'valid' },
    { filters: 64, kernel: 3, padding: 'same' },
    'maxpool',
    { filters: 80, kernel: 1, padding: 'valid' },
    { filters: 192, kernel: 3, padding: 'valid' },
    'maxpool',
  ],
  modules: [
    { type: 'A', poolProj: 32 },
    { type: 'A', poolProj: 64 },
    { type: 'A', poolProj: 64 },
    { type: 'B' },
    { type: 'C', c7: 128 },
    { type: 'C', c7: 160 },
    { type: 'C', c7: 160 },
    { type: 'C', c7: 192 },
    { type: 'D' },
    { type: 'E' },
    { type: 'E' },
  ],
};

/** Keras' conv2d_bn: bias-free conv (kh × kw), batch norm with scale=False, ReLU; all auto-named. */
export function conv2dBn(b: GraphBuilder, x: Tensor, filters: number, kh: number, kw: number, o: { stride?: number; padding?: 'valid' | 'same' } = {}): Tensor {
  const y = b.conv2d(x, { filters, kernelSize: [kh, kw], strides: o.stride ?? 1, padding: o.padding ?? 'same', useBias: false });
  return b.activation(b.batchNorm(y, { scale: false }), 'relu');
}

const avgPool3 = (b: GraphBuilder, x: Tensor): Tensor => b.avgPool(x, { poolSize: 3, strides: 1, padding: 'same' });
const maxPool3 = (b: GraphBuilder, x: Tensor): Tensor => b.maxPool(x, { poolSize: 3, strides: 2 });

/** Module A (35×35): 1×1, 1×1→5×5, 1×1→3×3→3×3 and avg pool→1×1 branches. */
export function inceptionA(b: GraphBuilder, x: Tensor, poolProj: number, name: string): Tensor {
  return b.scope(name, () => {
    const b1 = b.scope('branch1x1', () => conv2dBn(b, x, 64, 1, 1));
    const b5 = b.scope('branch5x5', () => conv2dBn(b, conv2dBn(b, x, 48, 1, 1), 64, 5, 5));
    const b3 = b.scope('branch3x3dbl', () => conv2dBn(b, conv2dBn(b, conv2dBn(b, x, 64, 1, 1), 96, 3, 3), 96, 3, 3));
    const bp = b.scope('branch_pool', () => conv2dBn(b, avgPool3(b, x), poolProj, 1, 1));
    return b.concat([b1, b5, b3, bp], { name });
  });
}

/** Module B: grid reduction 35 → 17 by a strided 3×3, a strided double 3×3 and a max pool. */
export function inceptionB(b: GraphBuilder, x: Tensor, name: string): Tensor {
  return b.scope(name, () => {
    const b3 = b.scope('branch3x3', () => conv2dBn(b, x, 384, 3, 3, { stride: 2, padding: 'valid' }));
    const bd = b.scope('branch3x3dbl', () => conv2dBn(b, conv2dBn(b, conv2dBn(b, x, 64, 1, 1), 96, 3, 3), 96, 3, 3, { stride: 2, padding: 'valid' }));
    const bp = b.scope('branch_pool', () => maxPool3(b, x));
    return b.concat([b3, bd, bp], { name });
  });
}

/** Module C (17×17): 7×7 convs factorized into 1×7 and 7×1, with inner width c7. */
export function inceptionC(b: GraphBuilder, x: Tensor, c7: number, name: string): Tensor {
  return b.scope(name, () => {
    const b1 = b.scope('branch1x1', () => conv2dBn(b, x, 192, 1, 1));
    const b7 = b.scope('branch7x7', () => conv2dBn(b, conv2dBn(b, conv2dBn(b, x, c7, 1, 1), c7, 1, 7), 192, 7, 1));
    const bd = b.scope('branch7x7dbl', () => {
      let y = conv2dBn(b, x, c7, 1, 1);
      y = conv2dBn(b, conv2dBn(b, y, c7, 7, 1), c7, 1, 7);
      return conv2dBn(b, conv2dBn(b, y, c7, 7, 1), 192, 1, 7);
    });
    const bp = b.scope('branch_pool', () => conv2dBn(b, avgPool3(b, x), 192, 1, 1));
    return b.concat([b1, b7, bd, bp], { name });
  });
}

/** Module D: grid reduction 17 → 8 by 1×1→strided 3×3, 1×1→1×7→7×1→strided 3×3 and a max pool. */
export function inceptionD(b: GraphBuilder, x: Tensor, name: string): Tensor {
  return b.scope(name, () => {
    const b3 = b.scope('branch3x3', () => conv2dBn(b, conv2dBn(b, x, 192, 1, 1), 320, 3, 3, { stride: 2, padding: 'valid' }));
    const b7 = b.scope('branch7x7x3', () => {
      const y = conv2dBn(b, conv2dBn(b, conv2dBn(b, x, 192, 1, 1), 192, 1, 7), 192, 7, 1);
      return conv2dBn(b, y, 192, 3, 3, { stride: 2, padding: 'valid' });
    });
    const bp = b.scope('branch_pool', () => maxPool3(b, x));
    return b.concat([b3, b7, bp], { name });
  });
}

/**
 * Module E (8×8): the 3×3 branches end in 1×3 and 3×1 convs side by side, concatenated. Keras
 * names the first of those inner concatenations `splitName` and leaves the second unnamed.
 */
export function inceptionE(b: GraphBuilder, x: Tensor, name: string, splitName: string): Tensor {
  return b.scope(name, () => {
    const b1 = b.scope('branch1x1', () => conv2dBn(b, x, 320, 1, 1));
    const b3 = b.scope('branch3x3', () => {
      const s3 = conv2dBn(b, x, 384, 1, 1);
      return b.concat([conv2dBn(b, s3, 384, 1, 3), conv2dBn(b, s3, 384, 3, 1)], { name: splitName });
    });
    const bd = b.scope('branch3x3dbl', () => {
      const sd = conv2dBn(b, conv2dBn(b, x, 448, 1, 1), 384, 3, 3);
      return b.concat([conv2dBn(b, sd, 384, 1, 3), conv2dBn(b, sd, 384, 3, 1)]);
    });
    const bp = b.scope('branch_pool', () => conv2dBn(b, avgPool3(b, x), 192, 1, 1));
    return b.concat([b1, b3, bd, bp], { name });
  });
}

/** Builds Keras' InceptionV3 (299×299×3 by default; Keras' minimum input is 75×75). */
export function inceptionV3(options: ModelOptions = {}): GraphSpec {
  rejectUnknownOptions('inception_v3', options, []);
  const o = kerasOptions(options, { model: 'inception_v3', defaultSize: 299, minSize: 75 });
  const b = new GraphBuilder('inception_v3');
  let x = b.input(o.input, 'input');
  // Keras names no stem; the block is named here so the stem rolls up as one row before mixed0.
  x = b.scope('stem', () =>
    INCEPTION_V3.stem.reduce((y, row) => (row === 'maxpool' ? maxPool3(b, y) : conv2dBn(b, y, row.filters, row.kernel, row.kernel, { stride: row.stride ?? 1, padding: row.padding })), x));
  const firstE = INCEPTION_V3.modules.findIndex((m) => m.type === 'E');
  INCEPTION_V3.modules.forEach((m, i) => {
    const name = `mixed${i}`;
    switch (m.type) {
      case 'A': x = inceptionA(b, x, m.poolProj, name); break;
      case 'B': x = inceptionB(b, x, name); break;
      case 'C': x = inceptionC(b, x, m.c7, name); break;
      case 'D': x = inceptionD(b, x, name); break;
      case 'E': x = inceptionE(b, x, name, `mixed${firstE}_${i - firstE}`); break;
    }
  });
  return b.build(kerasTop(b, x, o, { topPool: 'avg_pool' }));
}

registerModel(
  {
    id: 'inception_v3',
    family: 'inception_v3',
    year: 2015,
    paper: { title: 'Rethinking the Inception Architecture for Computer Vision', url: 'https://arxiv.org/abs/1512.00567' },
    input: [299, 299, 3],
    classes: 1000,
    accuracy: { top1: 0.779, top5: 0.937, source: 'Keras Applications table (keras.io/api/applications)' },
    licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/inception_v3.py)',
    reference: 'keras',
    preprocessing: { mode: 'tf', scale: 1 / 127.5, mean: [1, 1, 1], std: [1, 1, 1] },
    description: 'Factorized inception modules (5×5 as two 3×3, 7×7 as 1×7 + 7×1), grid-reduction modules, BN everywhere',
  },
  inceptionV3,
);
