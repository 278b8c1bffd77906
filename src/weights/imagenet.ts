/**
 * Keras' published ImageNet weights for every Keras Applications model in the zoo: the URL, the
 * file name Keras caches it under and the MD5 Keras checks (facts from keras/src/applications/*.py;
 * MobileNet and MobileNetV2 publish none), with and without the top, for the width and resolution
 * variants Keras publishes. Browser-safe: data and the rule that picks a file for a model's options.
 */
import { UsageError } from '../core/errors.js';
import type { Shape } from '../graph/types.js';
import type { ModelOptions } from '../zoo/registry.js';
import { messages } from '../core/messages.js';

/** One published weights file. */
export interface PublishedWeights {
  url: string;
  /** The name under the Keras cache folder (`~/.keras/models/<file>`), as Keras' get_file stores it. */
  file: string;
  /** MD5 of the file as Keras' get_file checks it; null when Keras publishes none. */
  md5: string | null;
  /**
   * Keras' EfficientNet adds a Rescaling by 1/sqrt(std) after its Normalization layer when it
   * loads these weights (their stored variance is the standard deviation); convlab folds that
   * factor into the stored variance.
   */
  varianceTimesStd?: readonly number[];
}

const STORAGE = 'https://storage.googleapis.com/tensorflow/keras-applications/';

/** [with top, without top] MD5s. */
type Pair = readonly [string, string];

/** Files named `<name>_weights_tf_dim_ordering_tf_kernels[_notop].h5` under one folder. */
const dimOrdering = (folder: string, name: string, [top, notop]: Pair) => (includeTop: boolean): PublishedWeights => {
  const file = `${name}_weights_tf_dim_ordering_tf_kernels${includeTop ? '' : '_notop'}.h5`;
  return { url: `${STORAGE}${folder}/${file}`, file, md5: includeTop ? top : notop };
};

const RESNET: Record<string, [string, Pair]> = {
  resnet50: ['resnet50', ['2cb95161c43110f7111970584f804107', '4d473c1dd8becc155b73f8504c6f6626']],
  resnet101: ['resnet101', ['f1aeb4b969a6efcfb50fad2f0c20cfc5', '88cf7a10940856eca736dc7b7e228a21']],
  resnet152: ['resnet152', ['100835be76be38e30d865e96f2aaae62', 'ee4c566cf9a93f14d82f913c2dc6dd0c']],
  resnet50_v2: ['resnet50v2', ['3ef43a0b657b3be2300d5770ece849e0', 'fac2f116257151a9d068a22e544a4917']],
  resnet101_v2: ['resnet101v2', ['6343647c601c52e1368623803854d971', 'c0ed64b8031c3730f411d2eb4eea35b5']],
  resnet152_v2: ['resnet152v2', ['a49b44d1979771252814e80f8ec446f9', 'ed17cf2e0169df9d443503ef94b23b33']],
};

const DENSENET: Record<string, Pair> = {
  densenet121: ['9d60b8095a5708f2dcce2bca79d332c7', '30ee3e1110167f948a6b9946edeeb738'],
  densenet169: ['d699b8f76981ab1b30698df4c175e90b', 'b8c4d4c20dd625c148057b9ff1c1176b'],
  densenet201: ['1ceb130c1ea1b78c3bf6114dbdfd8807', 'c13680b51ded0fb44dff2d8f86ac8bb1'],
};

const EFFICIENTNET: Record<string, Pair> = {
  b0: ['902e53a9f72be733fc0bcb005b3ebbac', '50bc09e76180e00e4465e1a485ddc09d'],
  b1: ['1d254153d4ab51201f1646940f018540', '74c4e6b3e1f6a1eea24c589628592432'],
  b2: ['b15cce36ff4dcbd00b6dd88e7857a6ad', '111f8e2ac8aa800a7a99e3239f7bfb39'],
  b3: ['ffd1fdc53d0ce67064dc6a9c7960ede0', 'af6d107764bb5b1abb91932881670226'],
  b4: ['18c95ad55216b8f92d7e70b3a046e2fc', 'ebc24e6d6c33eaebbd558eafbeedf1ba'],
  b5: ['ace28f2a6363774853a83a0b21b9421a', '38879255a25d3c92d5e44e04ae6cec6f'],
  b6: ['165f6e37dce68623721b423839de8be5', '9ecce42647a20130c1f39a5d4cb75743'],
  b7: ['8c03f828fec3ef71311cd463b6759d99', 'cbcfe4450ddf6f3ad90b1b398090fe4a'],
};
/** Keras' IMAGENET_STDDEV_RGB. */
const IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225];

const MOBILENET_V3: Record<string, Pair> = {
  'large_224_0.75_float': ['765b44a33ad4005b3ac83185abf1d0eb', '40af19a13ebea4e2ee0c676887f69a2e'],
  'large_224_1.0_float': ['59e551e166be033d707958cf9e29a6a7', '07fb09a5933dd0c8eaafa16978110389'],
  'large_minimalistic_224_1.0_float': ['675e7b876c45c57e9e63e6d90a36599c', 'ec5221f64a2f6d1ef965a614bdae7973'],
  'small_224_0.75_float': ['cb65d4e5be93758266aa0a7f2c6708b7', 'ebdb5cc8e0b497cd13a7c275d475c819'],
  'small_224_1.0_float': ['8768d4c2e7dee89b9d02b2d03d65d862', 'd3e8ec802a04aa4fc771ee12a9a9b836'],
  'small_minimalistic_224_1.0_float': ['99cd97fb2fcdad2bf028eb838de69e37', 'cde8136e733e811080d9fcd8a252f7e4'],
};

/** NASNet files: the URL's name and the name Keras caches it under differ. */
const NASNET: Record<string, { url: string; file: string; md5: string }[]> = {
  nasnet_mobile: [
    { url: 'NASNet-mobile.h5', file: 'nasnet_mobile.h5', md5: '020fb642bf7360b370c678b08e0adf61' },
    { url: 'NASNet-mobile-no-top.h5', file: 'nasnet_mobile_no_top.h5', md5: '1ed92395b5b598bdda52abe5c0dbfd63' },
  ],
  nasnet_large: [
    { url: 'NASNet-large.h5', file: 'nasnet_large.h5', md5: '11577c9a518f0070763c2b964a382f17' },
    { url: 'NASNet-large-no-top.h5', file: 'nasnet_large_no_top.h5', md5: 'd81d89dc07e6e56530c4e77faddd61b5' },
  ],
};

/** Python's str(float): 1 → "1.0", 0.35 → "0.35". */
const pyFloat = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : String(x));

/** The checked options a file choice depends on. */
interface Chosen {
  id: string;
  includeTop: boolean;
  input: Shape | undefined;
  o: ModelOptions;
}

/** Keras' rule for MobileNet v1/v2: a square input whose side is published picks that file, anything else the 224 one. */
const rowsOf = (input: Shape | undefined, published: readonly number[]): number =>
  input && input[0] === input[1] && published.includes(input[0]!) ? input[0]! : 224;

/** Checks a width option against the values Keras publishes weights for. */
function alphaOf(c: Chosen, allowed: readonly number[]): number {
  const alpha = (c.o.alpha as number | undefined) ?? 1;
  if (!allowed.includes(alpha)) throw new UsageError(messages.imagenetOption(c.id, '--alpha', allowed.join(', '), alpha));
  return alpha;
}

/** Every zoo id with published weights, and how its file is chosen. */
const PICK: Record<string, (c: Chosen) => PublishedWeights> = {
  vgg16: (c) => dimOrdering('vgg16', 'vgg16', ['64373286793e3c8b2b4e3219cbf3544b', '6d6bbae143d832006294945121d1f1fc'])(c.includeTop),
  vgg19: (c) => dimOrdering('vgg19', 'vgg19', ['cbe5617147190e668d6c5d5026f83318', '253f8cb515780f3b799900260a226db6'])(c.includeTop),
  ...Object.fromEntries(Object.entries(RESNET).map(([id, [name, md5]]) => [id, (c: Chosen) => dimOrdering('resnet', name, md5)(c.includeTop)])),
  inception_v3: (c) => dimOrdering('inception_v3', 'inception_v3', ['9a0d58056eeedaa3f26cb7ebd46da564', 'bcbd6486424b2319ff4ef7d526e38f63'])(c.includeTop),
  inception_resnet_v2: (c) =>
    dimOrdering('inception_resnet_v2', 'inception_resnet_v2', ['e693bd0210a403b3192acc6073ad2e96', 'd19885ff4a710c122648d3b5c3b684e4'])(c.includeTop),
  xception: (c) => dimOrdering('xception', 'xception', ['0a58e3b7378bc2990ea3b43d5981f1f6', 'b0042744bf5b25fce3cb969f33bebb97'])(c.includeTop),
  ...Object.fromEntries(Object.entries(DENSENET).map(([id, md5]) => [id, (c: Chosen) => dimOrdering('densenet', id, md5)(c.includeTop)])),
  mobilenet: (c) => {
    const alpha = alphaOf(c, [0.25, 0.5, 0.75, 1]);
    if (((c.o.depthMultiplier as number | undefined) ?? 1) !== 1) throw new UsageError(messages.imagenetOption(c.id, '--depth-multiplier', '1', c.o.depthMultiplier));
    const text = { 1: '1_0', 0.75: '7_5', 0.5: '5_0', 0.25: '2_5' }[alpha]!;
    const file = `mobilenet_${text}_${rowsOf(c.input, [128, 160, 192, 224])}_tf${c.includeTop ? '' : '_no_top'}.h5`;
    return { url: `${STORAGE}mobilenet/${file}`, file, md5: null };
  },
  mobilenet_v2: (c) => {
    const alpha = alphaOf(c, [0.35, 0.5, 0.75, 1, 1.3, 1.4]);
    const file = `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${pyFloat(alpha)}_${rowsOf(c.input, [96, 128, 160, 192, 224])}${c.includeTop ? '' : '_no_top'}.h5`;
    return { url: `${STORAGE}mobilenet_v2/${file}`, file, md5: null };
  },
  ...Object.fromEntries(['small', 'large'].map((type) => [`mobilenet_v3_${type}`, (c: Chosen) => {
    const minimalistic = c.o.minimalistic === true;
    const alpha = alphaOf(c, minimalistic ? [1] : [0.75, 1]);
    const name = `${type}${minimalistic ? '_minimalistic' : ''}_224_${pyFloat(alpha)}_float`;
    const file = `weights_mobilenet_v3_${name}${c.includeTop ? '' : '_no_top_v2'}.h5`;
    return { url: `${STORAGE}mobilenet_v3/${file}`, file, md5: MOBILENET_V3[name]![c.includeTop ? 0 : 1] };
  }])),
  ...Object.fromEntries(Object.entries(NASNET).map(([id, [top, notop]]) => [id, (c: Chosen) => {
    const f = c.includeTop ? top! : notop!;
    return { url: `${STORAGE}nasnet/${f.url}`, file: f.file, md5: f.md5 };
  }])),
  ...Object.fromEntries(Object.entries(EFFICIENTNET).map(([b, md5]) => [`efficientnet_${b}`, (c: Chosen) => {
    const file = `efficientnet${b}${c.includeTop ? '' : '_notop'}.h5`;
    return { url: `https://storage.googleapis.com/keras-applications/${file}`, file, md5: md5[c.includeTop ? 0 : 1], varianceTimesStd: IMAGENET_STDDEV_RGB };
  }])),
};

/** Zoo ids Keras publishes ImageNet weights for. */
export const IMAGENET_IDS: readonly string[] = Object.keys(PICK);

/**
 * The published file for a zoo id and its builder options, checked as Keras checks them: a top
 * classifies 1000 classes at the default input size; widths and sizes must be published ones.
 */
export function imagenetWeights(id: string, o: ModelOptions, defaultInput: Shape): PublishedWeights {
  const pick = PICK[id];
  if (!pick) throw new UsageError(messages.noImagenet(id, IMAGENET_IDS));
  const includeTop = o.includeTop !== false;
  const input = o.input as Shape | undefined;
  if (includeTop) {
    if (o.classes !== undefined && o.classes !== 1000) throw new UsageError(messages.imagenetClasses(id, o.classes as number));
    if (input && input.some((d, i) => d !== defaultInput[i]) && !(id === 'mobilenet' || id === 'mobilenet_v2')) {
      throw new UsageError(messages.imagenetInput(id, defaultInput, input));
    }
  }
  return pick({ id, includeTop, input, o });
}
