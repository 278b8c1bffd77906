/**
 * Xception as Keras Applications defines it: an entry flow of strided separable blocks with 1×1
 * projection shortcuts, a middle flow of eight identity-shortcut blocks of three separable convs,
 * and an exit flow. Every separable conv is bias-free and followed by batch norm.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelOptions } from './registry.js';

/** A strided block: two separable convs, a 3×3/2 max pool, plus a projected shortcut. */
interface ReductionBlock {
  block: number;
  filters: [number, number];
  /** False for block 2, whose input is already activated by the stem. */
  preact: boolean;
}

/** Xception's flows as data: strided entry blocks, the middle flow, the exit block and final convs. */
export const XCEPTION = {
  entry: [
    { block: 2, filters: [128, 128], preact: false },
    { block: 3, filters: [256, 256], preact: true },
    { block: 4, filters: [728, 728], preact: true },
  ] as ReductionBlock[],
  middle: { first: 5, count: 8, filters: 728 },
  exit: { block: 13, filters: [728, 1024], preact: true } as ReductionBlock,
  final: { block: 14, filters: [1536, 2048] },
};

function sepConvBn(b: GraphBuilder, x: Tensor, filters: number, name: string): Tensor {
  const y = b.separableConv2d(x, { filters, kernelSize: 3, padding: 'same', useBias: false, name });
  return b.batchNorm(y, { name: `${name}_bn` });
}

/**
 * Entry/exit block `blockN`: [ReLU] sepconv-BN, ReLU sepconv-BN, max pool, added to a strided
 * 1×1 conv-BN projection of the input (left unnamed, as in Keras).
 */
export function xceptionReductionBlock(b: GraphBuilder, x: Tensor, spec: ReductionBlock): Tensor {
  const p = `block${spec.block}`;
  return b.scope(p, () => {
    let residual = b.conv2d(x, { filters: spec.filters[1], kernelSize: 1, strides: 2, padding: 'same', useBias: false });
    residual = b.batchNorm(residual);
    let y = spec.preact ? b.activation(x, 'relu', `${p}_sepconv1_act`) : x;
    y = sepConvBn(b, y, spec.filters[0], `${p}_sepconv1`);
    y = b.activation(y, 'relu', `${p}_sepconv2_act`);
    y = sepConvBn(b, y, spec.filters[1], `${p}_sepconv2`);
    y = b.maxPool(y, { poolSize: 3, strides: 2, padding: 'same', name: `${p}_pool` });
    return b.add([y, residual]);
  });
}

/** Middle-flow block `blockN`: three ReLU-sepconv-BN units plus the identity. */
export function xceptionMiddleBlock(b: GraphBuilder, x: Tensor, filters: number, block: number): Tensor {
  const p = `block${block}`;
  return b.scope(p, () => {
    let y = x;
    for (let i = 1; i <= 3; i++) {
      y = b.activation(y, 'relu', `${p}_sepconv${i}_act`);
      y = sepConvBn(b, y, filters, `${p}_sepconv${i}`);
    }
    return b.add([y, x]);
  });
}

/** Builds Xception with Keras' layer names (block1_conv1 … block14_sepconv2_act, avg_pool, predictions). */
export function xception(options: ModelOptions = {}): GraphSpec {
  rejectUnknownOptions('xception', options, []);
  const o = kerasOptions(options, { model: 'xception', defaultSize: 299, minSize: 71 });
  const b = new GraphBuilder('xception');
  let x = b.input(o.input, 'input');
  // The paper's three flows are the outer blocks; Keras' block1 … block14 sit inside them.
  x = b.scope('entry_flow', () => {
    let y = b.scope('block1', () => {
      let z = b.conv2d(x, { filters: 32, kernelSize: 3, strides: 2, useBias: false, name: 'block1_conv1' });
      z = b.activation(b.batchNorm(z, { name: 'block1_conv1_bn' }), 'relu', 'block1_conv1_act');
      z = b.conv2d(z, { filters: 64, kernelSize: 3, useBias: false, name: 'block1_conv2' });
      return b.activation(b.batchNorm(z, { name: 'block1_conv2_bn' }), 'relu', 'block1_conv2_act');
    });
    for (const spec of XCEPTION.entry) y = xceptionReductionBlock(b, y, spec);
    return y;
  });
  const mid = XCEPTION.middle;
  x = b.scope('middle_flow', () => {
    let y = x;
    for (let i = 0; i < mid.count; i++) y = xceptionMiddleBlock(b, y, mid.filters, mid.first + i);
    return y;
  });
  x = b.scope('exit_flow', () => {
    let y = xceptionReductionBlock(b, x, XCEPTION.exit);
    y = b.scope(`block${XCEPTION.final.block}`, () =>
      XCEPTION.final.filters.reduce((z, filters, i) => {
        const name = `block${XCEPTION.final.block}_sepconv${i + 1}`;
        return b.activation(sepConvBn(b, z, filters, name), 'relu', `${name}_act`);
      }, y));
    return y;
  });
  return b.build(kerasTop(b, x, o, { topPool: 'avg_pool' }));
}

registerModel(
  {
    id: 'xception',
    family: 'xception',
    year: 2016,
    paper: { title: 'Xception: Deep Learning with Depthwise Separable Convolutions', url: 'https://arxiv.org/abs/1610.02357' },
    input: [299, 299, 3],
    classes: 1000,
    accuracy: { top1: 0.79, top5: 0.945, source: 'Keras Applications table (keras.io/api/applications)' },
    licence: 'Apache-2.0 (keras-team/keras, keras/src/applications/xception.py)',
    reference: 'keras',
    preprocessing: { mode: 'tf', scale: 1 / 127.5, mean: [1, 1, 1], std: [1, 1, 1] },
    description: 'Inception taken to the extreme: depthwise-separable convs in residual blocks',
  },
  xception,
);
