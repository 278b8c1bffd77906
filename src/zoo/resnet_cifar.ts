/**
 * The ResNet paper's CIFAR-10 networks (He et al. 2015, section 4.2): a 3×3 conv with 16 filters,
 * three stages of n basic blocks with 16, 32 and 64 filters on 32×32, 16×16 and 8×8 maps, global
 * average pooling and a 10-way softmax; 6n + 2 weighted layers. Convs carry no bias (BatchNorm
 * follows each). Shortcuts are the paper's option A, parameter-free: where a stage halves the map
 * and doubles the channels, the identity is subsampled (a 1×1 pool with stride 2) and the new
 * channels are zeros (the same tensor scaled by 0, concatenated).
 */
import { GraphBuilder, type Tensor } from '../graph/builder.js';
import type { GraphSpec } from '../graph/types.js';
import { rejectUnknownOptions } from './family_options.js';
import { kerasOptions, kerasTop } from './keras_app.js';
import { registerModel, type ModelMeta, type ModelOptions } from './registry.js';

/** Filters of the three stages. */
export const CIFAR_STAGE_FILTERS = [16, 32, 64] as const;

/** PyTorch's BatchNorm2d defaults in Keras' terms, as the paper's Torch code used. */
const BN = { epsilon: 1e-5, momentum: 0.9 };

function convBn(b: GraphBuilder, x: Tensor, filters: number, stride: number, name: string): Tensor {
  const y = b.conv2d(x, { filters, kernelSize: 3, strides: stride, padding: 'same', useBias: false, name: `${name}_conv` });
  return b.batchNorm(y, { ...BN, name: `${name}_bn` });
}

/** Option A: the identity, subsampled when `stride` is 2 and padded with zero channels up to `filters`. */
function shortcutA(b: GraphBuilder, x: Tensor, filters: number, stride: number, name: string): Tensor {
  if (stride === 1 && x.shape[2] === filters) return x;
  const sub = stride === 1 ? x : b.maxPool(x, { poolSize: 1, strides: stride, name: `${name}_0_pool` });
  const zeros = b.node('Rescaling', sub, { scale: 0 }, `${name}_0_zeros`);
  return b.concat([sub, zeros], { name: `${name}_0_pad` });
}

/** A basic block: 3×3 conv-BN-ReLU (carrying the stride), 3×3 conv-BN, plus the option-A shortcut, then ReLU. */
export function cifarBlock(b: GraphBuilder, x: Tensor, filters: number, stride: number, name: string): Tensor {
  return b.scope(name, () => {
    const sc = shortcutA(b, x, filters, stride, name);
    let y = b.activation(convBn(b, x, filters, stride, `${name}_1`), 'relu', `${name}_1_relu`);
    y = convBn(b, y, filters, 1, `${name}_2`);
    return b.activation(b.add([sc, y], `${name}_add`), 'relu', `${name}_out`);
  });
}

/** A stage of `blocks` blocks; the first carries the stride. */
export function cifarStack(b: GraphBuilder, x: Tensor, filters: number, blocks: number, stride: number, name: string): Tensor {
  return b.scope(name, () => {
    let y = cifarBlock(b, x, filters, stride, `${name}_block1`);
    for (let i = 2; i <= blocks; i++) y = cifarBlock(b, y, filters, 1, `${name}_block${i}`);
    return y;
  });
}

/** The generic CIFAR ResNet of depth 6n + 2. */
export function cifarResnet(id: string, n: number, options: ModelOptions): GraphSpec {
  rejectUnknownOptions(id, options, []);
  const o = kerasOptions({ ...options, classes: options.classes ?? 10 }, { model: id, defaultSize: 32, minSize: 8 });
  const b = new GraphBuilder(id);
  let x = b.input(o.input, 'input');
  x = b.scope('conv1', () => b.activation(convBn(b, x, CIFAR_STAGE_FILTERS[0], 1, 'conv1'), 'relu', 'conv1_relu'));
  CIFAR_STAGE_FILTERS.forEach((filters, i) => {
    x = cifarStack(b, x, filters, n, i === 0 ? 1 : 2, `conv${i + 2}`);
  });
  return b.build(kerasTop(b, x, o, { topPool: 'avg_pool', avg: 'avg_pool', max: 'max_pool' }));
}

/** ResNet-20: n = 3. */
export const resnet20 = (o: ModelOptions = {}): GraphSpec => cifarResnet('resnet20', 3, o);
/** ResNet-32: n = 5. */
export const resnet32 = (o: ModelOptions = {}): GraphSpec => cifarResnet('resnet32', 5, o);
/** ResNet-44: n = 7. */
export const resnet44 = (o: ModelOptions = {}): GraphSpec => cifarResnet('resnet44', 7, o);
/** ResNet-56: n = 9. */
export const resnet56 = (o: ModelOptions = {}): GraphSpec => cifarResnet('resnet56', 9, o);
/** ResNet-110: n = 18. */
export const resnet110 = (o: ModelOptions = {}): GraphSpec => cifarResnet('resnet110', 18, o);

const CIFAR_META = {
  family: 'resnet_cifar',
  year: 2015,
  paper: { title: 'Deep Residual Learning for Image Recognition', url: 'https://arxiv.org/abs/1512.03385' },
  input: [32, 32, 3],
  classes: 10,
  licence: 'definition from the paper',
  reference: 'paper',
} satisfies Omit<ModelMeta, 'id'>;

const entries: Array<[string, (o?: ModelOptions) => GraphSpec, number]> = [
  ['resnet20', resnet20, 3],
  ['resnet32', resnet32, 5],
  ['resnet44', resnet44, 7],
  ['resnet56', resnet56, 9],
  ['resnet110', resnet110, 18],
];
for (const [id, build, n] of entries) {
  registerModel({ ...CIFAR_META, id, description: `CIFAR-10 ResNet-${6 * n + 2}: 3 stages of ${n} basic blocks (16/32/64 filters), option-A shortcuts` }, build);
}
