/**
 * ResNet as torchvision defines it (torchvision/models/resnet.py): no conv bias, BN epsilon 1e-5,
 * explicit padding, and in bottlenecks the stride on the 3×3 ("v1.5"). Node names are the module
 * paths of torchvision's state dict (`layer1.0.conv1`, `layer1.0.downsample.0`, `fc`), so its
 * weights map onto the graph one to one; the logits are not passed through a softmax.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions } from './keras_app.js';
import { registerModel, type ModelMeta, type ModelOptions } from './registry.js';

/** PyTorch BatchNorm2d defaults, in Keras' terms (Keras momentum = 1 - PyTorch momentum). */
const TORCH_BN = { epsilon: 1e-5, momentum: 0.9 };

/** A torchvision residual block: `planes` is its inner width; it outputs `planes · expansion` channels. */
export interface TorchBlock {
  expansion: number;
  body: (b: GraphBuilder, x: Tensor, planes: number, stride: number, name: string) => Tensor;
}

function convBn(b: GraphBuilder, x: Tensor, filters: number, k: number, stride: number, name: string, index: number): Tensor {
  const y = b.conv2d(x, { filters, kernelSize: k, strides: stride, padding: (k - 1) / 2, useBias: false, name: `${name}.conv${index}` });
  return b.batchNorm(y, { ...TORCH_BN, name: `${name}.bn${index}` });
}

/** BasicBlock: 3×3 (carrying the stride) and 3×3, ReLU between; expansion 1 (ResNet-18/34). */
export const BASIC_BLOCK: TorchBlock = {
  expansion: 1,
  body(b, x, planes, stride, name) {
    const y = b.activation(convBn(b, x, planes, 3, stride, name, 1), 'relu', `${name}.relu`);
    return convBn(b, y, planes, 3, 1, name, 2);
  },
};

/** Bottleneck v1.5: 1×1, 3×3 carrying the stride, 1×1 to 4·planes, ReLU between (ResNet-50+). */
export const BOTTLENECK: TorchBlock = {
  expansion: 4,
  body(b, x, planes, stride, name) {
    let y = b.activation(convBn(b, x, planes, 1, 1, name, 1), 'relu', `${name}.relu`);
    y = b.activation(convBn(b, y, planes, 3, stride, name, 2), 'relu', `${name}.relu_1`);
    return convBn(b, y, planes * 4, 1, 1, name, 3);
  },
};

/**
 * One block with its shortcut: torchvision adds a `downsample` 1×1 conv + BN when the stride or
 * channel count changes, then ReLU after the sum.
 */
export function torchResidual(b: GraphBuilder, x: Tensor, block: TorchBlock, planes: number, stride: number, name: string): Tensor {
  return b.scope(name, () => {
    const out = planes * block.expansion;
    const y = block.body(b, x, planes, stride, name);
    let identity = x;
    if (stride !== 1 || x.shape[2] !== out) {
      identity = b.scope('downsample', () => {
        const d = b.conv2d(x, { filters: out, kernelSize: 1, strides: stride, useBias: false, name: `${name}.downsample.0` });
        return b.batchNorm(d, { ...TORCH_BN, name: `${name}.downsample.1` });
      });
    }
    const relu = block.expansion === 1 ? `${name}.relu_1` : `${name}.relu_2`;
    return b.activation(b.add([y, identity], `${name}.add`), 'relu', relu);
  });
}

/** torchvision's _make_layer: the first block carries the stride, the rest keep the shape. Blocks are named as torchvision's modules: layer1 → layer1.0 → downsample. */
export function makeLayer(b: GraphBuilder, x: Tensor, block: TorchBlock, planes: number, blocks: number, stride: number, name: string): Tensor {
  return b.scope(name, () => {
    let y = torchResidual(b, x, block, planes, stride, `${name}.0`);
    for (let i = 1; i < blocks; i++) y = torchResidual(b, y, block, planes, 1, `${name}.${i}`);
    return y;
  });
}

/** The generic torchvision ResNet: 7×7/2 stem with padding 3, 3×3/2 max pool with padding 1, layer1…layer4, avgpool, fc. */
export function torchResnet(id: string, block: TorchBlock, layers: readonly number[], options: ModelOptions): GraphSpec {
  rejectUnknownOptions(id, options, []);
  const o = kerasOptions(options, { model: id, defaultSize: 224, minSize: 32 });
  const b = new GraphBuilder(id);
  let x = b.input(o.input, 'input');
  x = b.conv2d(x, { filters: 64, kernelSize: 7, strides: 2, padding: 3, useBias: false, name: 'conv1' });
  x = b.batchNorm(x, { ...TORCH_BN, name: 'bn1' });
  x = b.activation(x, 'relu', 'relu');
  x = b.maxPool(x, { poolSize: 3, strides: 2, padding: 1, name: 'maxpool' });
  layers.forEach((n, i) => {
    x = makeLayer(b, x, block, 64 * 2 ** i, n, i === 0 ? 1 : 2, `layer${i + 1}`);
  });
  if (o.includeTop) {
    x = b.globalAvgPool(x, { name: 'avgpool' });
    x = b.dense(x, { units: o.classes, name: 'fc' });
  } else if (o.pooling === 'avg') {
    x = b.globalAvgPool(x, { name: 'avgpool' });
  } else if (o.pooling === 'max') {
    x = b.globalMaxPool(x, { name: 'global_maxpool' });
  }
  return b.build(x);
}

/** torchvision resnet18: BasicBlock × [2, 2, 2, 2]. */
export const resnet18 = (o: ModelOptions = {}): GraphSpec => torchResnet('resnet18', BASIC_BLOCK, [2, 2, 2, 2], o);

/** torchvision resnet34: BasicBlock × [3, 4, 6, 3]. */
export const resnet34 = (o: ModelOptions = {}): GraphSpec => torchResnet('resnet34', BASIC_BLOCK, [3, 4, 6, 3], o);

/** torchvision resnet50 (v1.5): Bottleneck × [3, 4, 6, 3]. */
export const resnet50Tv = (o: ModelOptions = {}): GraphSpec => torchResnet('resnet50_tv', BOTTLENECK, [3, 4, 6, 3], o);

/** torchvision resnet101 (v1.5): Bottleneck × [3, 4, 23, 3]. */
export const resnet101Tv = (o: ModelOptions = {}): GraphSpec => torchResnet('resnet101_tv', BOTTLENECK, [3, 4, 23, 3], o);

/** torchvision resnet152 (v1.5): Bottleneck × [3, 8, 36, 3]. */
export const resnet152Tv = (o: ModelOptions = {}): GraphSpec => torchResnet('resnet152_tv', BOTTLENECK, [3, 8, 36, 3], o);

const TV_META = {
  family: 'resnet',
  year: 2015,
  paper: { title: 'Deep Residual Learning for Image Recognition', url: 'https://arxiv.org/abs/1512.03385' },
  input: [224, 224, 3],
  classes: 1000,
  licence: 'BSD-3-Clause (pytorch/vision, torchvision/models/resnet.py)',
  reference: 'torchvision',
  preprocessing: { mode: 'torch', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  // torchvision's module paths: layer1.0.conv1, numbered from 0 within each stage.
  blocks: { template: 'layer{stage}.{index}.{rest}', index: 'number' },
} satisfies Omit<ModelMeta, 'id'>;

const TV_DOCS = 'torchvision model docs, IMAGENET1K_V1 weights';

registerModel(
  { ...TV_META, id: 'resnet18', accuracy: { top1: 0.69758, top5: 0.89078, source: TV_DOCS }, description: 'torchvision ResNet-18: basic blocks [2, 2, 2, 2], no conv bias' },
  resnet18,
);
registerModel(
  { ...TV_META, id: 'resnet34', accuracy: { top1: 0.73314, top5: 0.9142, source: TV_DOCS }, description: 'torchvision ResNet-34: basic blocks [3, 4, 6, 3], no conv bias' },
  resnet34,
);
registerModel(
  { ...TV_META, id: 'resnet50_tv', accuracy: { top1: 0.7613, top5: 0.92862, source: TV_DOCS }, description: 'torchvision ResNet-50 v1.5: stride on the 3×3, no conv bias' },
  resnet50Tv,
);
registerModel(
  { ...TV_META, id: 'resnet101_tv', accuracy: { top1: 0.77374, top5: 0.93546, source: TV_DOCS }, description: 'torchvision ResNet-101 v1.5: stride on the 3×3, no conv bias' },
  resnet101Tv,
);
registerModel(
  { ...TV_META, id: 'resnet152_tv', accuracy: { top1: 0.78312, top5: 0.94046, source: TV_DOCS }, description: 'torchvision ResNet-152 v1.5: stride on the 3×3, no conv bias' },
  resnet152Tv,
);
