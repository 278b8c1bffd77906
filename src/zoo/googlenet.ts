/**
 * GoogLeNet (Inception v1). One table holds the nine inception modules of the paper's Table 1;
 * two variants read it through one generic builder:
 * - `googlenet`, the paper's network as Caffe's reference model runs it: biased convs with
 *   ReLU, LRN after conv1 and conv2, ceil-mode 3×3/2 max pools, a 7×7 average pool, dropout
 *   0.4 and a softmax classifier, without the auxiliary heads (used only in training). Node
 *   names are Caffe's with '/' as '_' (conv1_7x7_s2, inception_3a_1x1, …, loss3_classifier).
 * - `googlenet_tv`, torchvision's port: every conv bias-free and followed by batch norm, the
 *   "5×5" branch a 3×3 conv (torchvision keeps this for its weights), a 2×2 pool before stage 5
 *   and a global average pool. Names are torchvision's module paths (inception3a_branch2_1_conv).
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { TORCH_PREPROCESSING } from './alexnet.js';
import { inceptionModule, type InceptionFilters } from './blocks.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelOptions } from './registry.js';

const f = (b1: number, b3reduce: number, b3: number, b5reduce: number, b5: number, poolProj: number): InceptionFilters =>
  ({ b1, b3reduce, b3, b5reduce, b5, poolProj });

/** The paper's Table 1: stages 3, 4 and 5, each a list of [module id, branch filters]. */
export const GOOGLENET_STAGES: Array<{ stage: number; modules: Array<[string, InceptionFilters]> }> = [
  { stage: 3, modules: [['3a', f(64, 96, 128, 16, 32, 32)], ['3b', f(128, 128, 192, 32, 96, 64)]] },
  {
    stage: 4,
    modules: [
      ['4a', f(192, 96, 208, 16, 48, 64)],
      ['4b', f(160, 112, 224, 24, 64, 64)],
      ['4c', f(128, 128, 256, 24, 64, 64)],
      ['4d', f(112, 144, 288, 32, 64, 64)],
      ['4e', f(256, 160, 320, 32, 128, 128)],
    ],
  },
  { stage: 5, modules: [['5a', f(256, 160, 320, 32, 128, 128)], ['5b', f(384, 192, 384, 48, 128, 128)]] },
];

/** What differs between the paper's GoogLeNet and torchvision's: stem, module, downsampling, top. */
export interface GoogLeNetVariant {
  id: string;
  /** Input to the 28×28×192 map stage 3 starts from. */
  stem(b: GraphBuilder, x: Tensor): Tensor;
  module(b: GraphBuilder, x: Tensor, filters: InceptionFilters, id: string): Tensor;
  /** The max pool that halves the map before `stage` (4 or 5). */
  downsample(b: GraphBuilder, x: Tensor, stage: number): Tensor;
  top(b: GraphBuilder, x: Tensor, classes: number): Tensor;
}

/** The generic GoogLeNet builder. */
export function googLeNet(v: GoogLeNetVariant, options: ModelOptions = {}): GraphSpec {
  rejectUnknownOptions(v.id, options, []);
  const o = kerasOptions(options, { model: v.id, defaultSize: 224, minSize: 1 });
  const b = new GraphBuilder(v.id);
  let x = v.stem(b, b.input(o.input, 'input'));
  for (const { stage, modules } of GOOGLENET_STAGES) {
    if (stage > 3) x = v.downsample(b, x, stage);
    for (const [id, filters] of modules) x = v.module(b, x, filters, id);
  }
  return b.build(o.includeTop ? v.top(b, x, o.classes) : kerasTop(b, x, o));
}

const caffeLrn = (b: GraphBuilder, x: Tensor, name: string): Tensor =>
  b.node('LRN', x, { size: 5, alpha: 1e-4, beta: 0.75, bias: 1 }, name);
const caffePool = (b: GraphBuilder, x: Tensor, name: string): Tensor =>
  b.maxPool(x, { poolSize: 3, strides: 2, ceilMode: true, name });

/** The paper's GoogLeNet, layer for layer as Caffe's bvlc_googlenet deploy definition. */
export const GOOGLENET_PAPER: GoogLeNetVariant = {
  id: 'googlenet',
  stem(b, x) {
    // Blocks follow the rows of the paper's Table 1: conv1, pool1, conv2 (its reduction and 3×3), pool2.
    let y = b.conv2d(x, { filters: 64, kernelSize: 7, strides: 2, padding: 3, activation: 'relu', name: 'conv1_7x7_s2' });
    y = b.scope('pool1', () => caffeLrn(b, caffePool(b, y, 'pool1_3x3_s2'), 'pool1_norm1'));
    y = b.scope('conv2', () => {
      const r = b.conv2d(y, { filters: 64, kernelSize: 1, activation: 'relu', name: 'conv2_3x3_reduce' });
      return caffeLrn(b, b.conv2d(r, { filters: 192, kernelSize: 3, padding: 1, activation: 'relu', name: 'conv2_3x3' }), 'conv2_norm2');
    });
    return caffePool(b, y, 'pool2_3x3_s2');
  },
  module: (b, x, filters, id) => inceptionModule(b, x, filters, `inception_${id}`),
  downsample: (b, x, stage) => caffePool(b, x, `pool${stage - 1}_3x3_s2`),
  top(b, x, classes) {
    let y = b.avgPool(x, { poolSize: 7, strides: 1, name: 'pool5_7x7_s1' });
    y = b.flatten(y, 'flatten');
    y = b.dropout(y, 0.4, 'pool5_drop_7x7_s1');
    return b.dense(y, { units: classes, activation: 'softmax', name: 'loss3_classifier' });
  },
};

/** torchvision's BasicConv2d: bias-free conv, batch norm (eps 1e-3), ReLU. */
function basicConv(b: GraphBuilder, x: Tensor, o: { filters: number; kernel: number; stride?: number; padding?: number }, name: string): Tensor {
  return b.scope(name, () => {
    const y = b.conv2d(x, { filters: o.filters, kernelSize: o.kernel, strides: o.stride ?? 1, padding: o.padding ?? 0, useBias: false, name: `${name}_conv` });
    return b.activation(b.batchNorm(y, { epsilon: 1e-3, momentum: 0.9, name: `${name}_bn` }), 'relu', `${name}_relu`);
  });
}

/** torchvision's Inception module: four BasicConv2d branches, the third with a 3×3 kernel. */
export function torchvisionInception(b: GraphBuilder, x: Tensor, fl: InceptionFilters, prefix: string): Tensor {
  return b.scope(prefix, () => {
    const b1 = b.scope('branch1', () => basicConv(b, x, { filters: fl.b1, kernel: 1 }, `${prefix}_branch1`));
    const b2 = b.scope('branch2', () =>
      basicConv(b, basicConv(b, x, { filters: fl.b3reduce, kernel: 1 }, `${prefix}_branch2_0`), { filters: fl.b3, kernel: 3, padding: 1 }, `${prefix}_branch2_1`));
    const b3 = b.scope('branch3', () =>
      basicConv(b, basicConv(b, x, { filters: fl.b5reduce, kernel: 1 }, `${prefix}_branch3_0`), { filters: fl.b5, kernel: 3, padding: 1 }, `${prefix}_branch3_1`));
    const b4 = b.scope('branch4', () => {
      const pooled = b.maxPool(x, { poolSize: 3, strides: 1, padding: 1, ceilMode: true, name: `${prefix}_branch4_0` });
      return basicConv(b, pooled, { filters: fl.poolProj, kernel: 1 }, `${prefix}_branch4_1`);
    });
    return b.concat([b1, b2, b3, b4], { name: prefix });
  });
}

/** torchvision's GoogLeNet without its auxiliary heads. */
export const GOOGLENET_TV: GoogLeNetVariant = {
  id: 'googlenet_tv',
  stem(b, x) {
    let y = basicConv(b, x, { filters: 64, kernel: 7, stride: 2, padding: 3 }, 'conv1');
    y = b.maxPool(y, { poolSize: 3, strides: 2, ceilMode: true, name: 'maxpool1' });
    y = basicConv(b, y, { filters: 64, kernel: 1 }, 'conv2');
    y = basicConv(b, y, { filters: 192, kernel: 3, padding: 1 }, 'conv3');
    return b.maxPool(y, { poolSize: 3, strides: 2, ceilMode: true, name: 'maxpool2' });
  },
  module: (b, x, filters, id) => torchvisionInception(b, x, filters, `inception${id}`),
  downsample(b, x, stage) {
    const size = stage === 5 ? 2 : 3;
    return b.maxPool(x, { poolSize: size, strides: 2, ceilMode: true, name: `maxpool${stage - 1}` });
  },
  top(b, x, classes) {
    const y = b.dropout(b.globalAvgPool(x, { name: 'avgpool' }), 0.2, 'dropout');
    return b.dense(y, { units: classes, name: 'fc' });
  },
};

/** Builds the paper's GoogLeNet. */
export const googlenet = (o: ModelOptions = {}): GraphSpec => googLeNet(GOOGLENET_PAPER, o);
/** Builds torchvision's GoogLeNet. */
export const googlenetTv = (o: ModelOptions = {}): GraphSpec => googLeNet(GOOGLENET_TV, o);

const PAPER = { title: 'Going Deeper with Convolutions', url: 'https://arxiv.org/abs/1409.4842' };

registerModel(
  {
    id: 'googlenet',
    family: 'googlenet',
    year: 2014,
    paper: PAPER,
    input: [224, 224, 3],
    classes: 1000,
    accuracy: { top5: 0.8993, source: 'Szegedy et al. 2014, Table 3: one model, one crop, 10.07% top-5 error' },
    ilsvrc: { top5: 0.9333, year: 2014, source: 'Szegedy et al. 2014, Tables 2 and 3: seven models, 144 crops, ILSVRC-2014 test (6.67% top-5 error)' },
    lecture: {
      params: 6.8e6, gflops: 1.5, top5Error: 0.067,
      notes: {
        params: "the slide quotes the paper's Table 1, whose rounded per-layer counts add up to about 6.8 M; every weight and bias of the same layers " +
          'comes to 7.0 M (the table gives conv1 2.7 K where 7·7·3·64 + 64 = 9.5 K, and most inception rows a few percent under). ' +
          'The auxiliary classifiers, used only in training, are in neither count',
        gflops: "the paper's 1.5 G multiply-adds round down the 1.58 G MACs of its layers, and the lecture convention adds the pooling",
      },
    },
    licence: 'definition from the paper (Table 1)',
    reference: 'paper',
    preprocessing: { mode: 'caffe', mean: [104, 117, 123] },
    description: 'Nine inception modules (1×1, 3×3, 5×5 and pool branches with 1×1 reductions), LRN, global 7×7 average pool',
  },
  googlenet,
);

registerModel(
  {
    id: 'googlenet_tv',
    family: 'googlenet',
    year: 2014,
    paper: PAPER,
    input: [224, 224, 3],
    classes: 1000,
    accuracy: { top1: 0.69778, top5: 0.8953, source: 'torchvision GoogLeNet_Weights.IMAGENET1K_V1' },
    licence: 'BSD-3-Clause (pytorch/vision, torchvision/models/googlenet.py)',
    reference: 'torchvision',
    preprocessing: TORCH_PREPROCESSING,
    description: "torchvision's GoogLeNet: conv-BN-ReLU everywhere, 3×3 in the '5×5' branch, no auxiliary heads",
  },
  googlenetTv,
);
