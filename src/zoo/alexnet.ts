/**
 * AlexNet and the plain networks built like it: a list of conv / pool / normalization layers,
 * then a flattened FC classifier. The architecture is data (a layer table); one generic builder
 * reads it and names every node by a naming scheme, so no call site names a node by hand.
 * ZFNet reuses this builder with its own table.
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { adaptiveAvgPool } from './blocks.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelMeta, type ModelOptions } from './registry.js';

/** One row of a plain network's table. Convs and hidden dense layers carry a fused ReLU. */
export type PlainLayer =
  /** `padding` is 'valid', 'same' or a symmetric explicit pad in pixels. */
  | { op: 'conv'; filters: number; kernel: number; stride?: number; padding?: 'valid' | 'same' | number }
  | { op: 'maxpool'; size: number; stride: number; ceil?: boolean }
  /** Local response normalization across channels, as in the AlexNet paper (k=2, n=5, α=1e-4, β=0.75). */
  | { op: 'lrn' }
  /** PyTorch's AdaptiveAvgPool2d to size×size. */
  | { op: 'adaptive_avgpool'; size: number }
  | { op: 'flatten' }
  | { op: 'dropout'; rate: number }
  /** `units: 'classes'` marks the classifier, whose width and activation come from the options. */
  | { op: 'dense'; units: number | 'classes' };

/** A plain network: its feature layers, its top (flatten to classifier) and how nodes are named. */
export interface PlainNet {
  id: string;
  /** Default square input size. */
  inputSize: number;
  /**
   * 'caffe': conv1…conv5, pools and norms named after the conv before them (pool5, norm2), FC
   * layers continuing the count (fc6, drop6, fc7, drop7, fc8), as the AlexNet literature names them.
   * 'torchvision': the module paths of torchvision's Sequential (features_0, classifier_1, …), so
   * a torchvision state dict maps onto the nodes one to one.
   */
  naming: 'caffe' | 'torchvision';
  features: PlainLayer[];
  top: PlainLayer[];
  /** Activation of the classifier: softmax for the lecture's tables, logits for torchvision. */
  classifier: 'softmax' | 'linear';
}

/** Caffe-style names: layers after a conv are numbered by it; FC layers continue the count. */
function caffeNames(layers: PlainLayer[]): string[] {
  let convs = 0;
  let fcs = 0;
  return layers.map((l) => {
    switch (l.op) {
      case 'conv': return `conv${++convs}`;
      case 'maxpool': return `pool${convs}`;
      case 'lrn': return `norm${convs}`;
      case 'adaptive_avgpool': return 'avgpool';
      case 'flatten': return 'flatten';
      case 'dense': return `fc${convs + ++fcs}`;
      case 'dropout': return `drop${convs + fcs}`;
    }
  });
}

/**
 * torchvision's Sequential indices: a conv or hidden dense is followed by its own ReLU module,
 * so it uses two indices; the adaptive pool and the flatten live outside both Sequentials.
 */
function torchvisionNames(features: PlainLayer[], top: PlainLayer[]): string[] {
  const walk = (layers: PlainLayer[], prefix: string): string[] => {
    let i = 0;
    return layers.map((l) => {
      if (l.op === 'adaptive_avgpool') return 'avgpool';
      if (l.op === 'flatten') return 'flatten';
      const name = `${prefix}_${i}`;
      i += (l.op === 'conv' || (l.op === 'dense' && l.units !== 'classes')) ? 2 : 1;
      return name;
    });
  };
  return [...walk(features, 'features'), ...walk(top, 'classifier')];
}

/** Adds one table row to the graph. */
function plainLayer(b: GraphBuilder, x: Tensor, l: PlainLayer, name: string, o: { classes: number; classifier: 'softmax' | 'linear' }): Tensor {
  switch (l.op) {
    case 'conv':
      return b.conv2d(x, { filters: l.filters, kernelSize: l.kernel, strides: l.stride ?? 1, padding: l.padding ?? 'valid', activation: 'relu', name });
    case 'maxpool':
      return b.maxPool(x, { poolSize: l.size, strides: l.stride, ceilMode: l.ceil ?? false, name });
    case 'lrn':
      return b.node('LRN', x, { size: 5, alpha: 1e-4, beta: 0.75, bias: 2 }, name);
    case 'adaptive_avgpool':
      return adaptiveAvgPool(b, x, l.size, name);
    case 'flatten':
      return b.flatten(x, name);
    case 'dropout':
      return b.dropout(x, l.rate, name);
    case 'dense':
      return l.units === 'classes'
        ? b.dense(x, { units: o.classes, activation: o.classifier, name })
        : b.dense(x, { units: l.units, activation: 'relu', name });
  }
}

/**
 * The generic builder of plain networks. `includeTop: false` stops after the feature layers and
 * applies `pooling` ('avg' / 'max' / none) as Keras does; `classes` sets the classifier width.
 */
export function plainNet(net: PlainNet, options: ModelOptions = {}): GraphSpec {
  rejectUnknownOptions(net.id, options, []);
  // Too small an input fails at the first layer it empties, with that node's name.
  const o = kerasOptions(options, { model: net.id, defaultSize: net.inputSize, minSize: 1 });
  const names = net.naming === 'caffe' ? caffeNames([...net.features, ...net.top]) : torchvisionNames(net.features, net.top);
  const b = new GraphBuilder(net.id);
  let x = b.input(o.input, 'input');
  const head = { classes: o.classes, classifier: net.classifier };
  net.features.forEach((l, i) => { x = plainLayer(b, x, l, names[i]!, head); });
  if (!o.includeTop) return b.build(kerasTop(b, x, o));
  net.top.forEach((l, i) => { x = plainLayer(b, x, l, names[net.features.length + i]!, head); });
  return b.build(x);
}

/** The FC classifier of AlexNet and ZFNet as the lecture tabulates it, with the paper's dropout. */
export const LECTURE_FC_TOP: PlainLayer[] = [
  { op: 'flatten' },
  { op: 'dense', units: 4096 },
  { op: 'dropout', rate: 0.5 },
  { op: 'dense', units: 4096 },
  { op: 'dropout', rate: 0.5 },
  { op: 'dense', units: 'classes' },
];

/**
 * The lecture's single-tower AlexNet on 227×227×3. The paper's response normalization follows
 * conv1 and conv2 (before their pools); it has no weights and costs nothing in the lecture's
 * convention, so the lecture's table is unchanged by it.
 */
export const ALEXNET: PlainNet = {
  id: 'alexnet',
  inputSize: 227,
  naming: 'caffe',
  features: [
    { op: 'conv', filters: 96, kernel: 11, stride: 4 },
    { op: 'lrn' },
    { op: 'maxpool', size: 3, stride: 2 },
    { op: 'conv', filters: 256, kernel: 5, padding: 'same' },
    { op: 'lrn' },
    { op: 'maxpool', size: 3, stride: 2 },
    { op: 'conv', filters: 384, kernel: 3, padding: 'same' },
    { op: 'conv', filters: 384, kernel: 3, padding: 'same' },
    { op: 'conv', filters: 256, kernel: 3, padding: 'same' },
    { op: 'maxpool', size: 3, stride: 2 },
  ],
  top: LECTURE_FC_TOP,
  classifier: 'softmax',
};

/** torchvision's AlexNet ("one weird trick" widths: 64, 192, 384, 256, 256), with its 6×6 adaptive pool and logits. */
export const ALEXNET_TV: PlainNet = {
  id: 'alexnet_tv',
  inputSize: 224,
  naming: 'torchvision',
  features: [
    { op: 'conv', filters: 64, kernel: 11, stride: 4, padding: 2 },
    { op: 'maxpool', size: 3, stride: 2 },
    { op: 'conv', filters: 192, kernel: 5, padding: 2 },
    { op: 'maxpool', size: 3, stride: 2 },
    { op: 'conv', filters: 384, kernel: 3, padding: 1 },
    { op: 'conv', filters: 256, kernel: 3, padding: 1 },
    { op: 'conv', filters: 256, kernel: 3, padding: 1 },
    { op: 'maxpool', size: 3, stride: 2 },
  ],
  top: [
    { op: 'adaptive_avgpool', size: 6 },
    { op: 'flatten' },
    { op: 'dropout', rate: 0.5 },
    { op: 'dense', units: 4096 },
    { op: 'dropout', rate: 0.5 },
    { op: 'dense', units: 4096 },
    { op: 'dense', units: 'classes' },
  ],
  classifier: 'linear',
};

/** Preprocessing of torchvision's ImageNet weights: scale to [0, 1], then per-channel mean and std. */
export const TORCH_PREPROCESSING: NonNullable<ModelMeta['preprocessing']> = {
  mode: 'torch', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
};

/** Builds the lecture's AlexNet. */
export const alexnet = (o: ModelOptions = {}): GraphSpec => plainNet(ALEXNET, o);
/** Builds torchvision's AlexNet. */
export const alexnetTv = (o: ModelOptions = {}): GraphSpec => plainNet(ALEXNET_TV, o);

const ALEXNET_PAPER = {
  title: 'ImageNet Classification with Deep Convolutional Neural Networks',
  url: 'https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-neural-networks.pdf',
};

registerModel(
  {
    id: 'alexnet',
    family: 'alexnet',
    year: 2012,
    paper: ALEXNET_PAPER,
    input: [227, 227, 3],
    classes: 1000,
    accuracy: { top1: 0.593, top5: 0.818, source: 'Krizhevsky et al. 2012, Table 2: one CNN, ILSVRC-2012 val (40.7% / 18.2% error)' },
    ilsvrc: { top5: 0.836, year: 2012, source: 'Krizhevsky et al. 2012, Table 2: five CNNs averaged, ILSVRC-2012 test (16.4% top-5 error)' },
    lecture: {
      params: 62e6, gflops: 1, top5Error: 0.164,
      notes: { gflops: 'the slide rounds to about 1 GFLOP; the same single-tower network at 227×227 does 1.14 G multiply-accumulates in its convs and FC layers' },
    },
    licence: 'definition from the lecture and the paper (no code licence)',
    reference: 'lecture',
    preprocessing: { mode: 'caffe', mean: [103.939, 116.779, 123.68] },
    description: "The lecture's single-tower AlexNet: five convs (96-256-384-384-256), LRN, overlapping max pools, three FC layers",
  },
  alexnet,
);

registerModel(
  {
    id: 'alexnet_tv',
    family: 'alexnet',
    year: 2014,
    paper: { title: 'One weird trick for parallelizing convolutional neural networks', url: 'https://arxiv.org/abs/1404.5997' },
    input: [224, 224, 3],
    classes: 1000,
    accuracy: { top1: 0.56522, top5: 0.79066, source: 'torchvision AlexNet_Weights.IMAGENET1K_V1' },
    licence: 'BSD-3-Clause (pytorch/vision, torchvision/models/alexnet.py)',
    reference: 'torchvision',
    preprocessing: TORCH_PREPROCESSING,
    description: "torchvision's AlexNet: 64-192-384-256-256 filters, no LRN, 6×6 adaptive average pool, logits",
  },
  alexnetTv,
);
