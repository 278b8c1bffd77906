/**
 * ZFNet, "a bigger AlexNet", as the lecture tabulates it on 224×224×3. Its table is read by
 * AlexNet's generic plain-network builder. Three details are needed to reproduce the lecture's
 * own output shapes, and they are the table's, not guesses:
 * - conv1 7×7/2 gives (110,110,96) from 224 only with one pixel of padding;
 * - conv2 is 5×5 with stride 2 and no padding: 55 → 26, as the slide's (26,26,256) output and
 *   415.3 MFLOPs require (the slide's hyperparameter column says s=1, same);
 * - the 3×3/2 max pools round up (Caffe's ceil mode): 110 → 55 and 26 → 13.
 * Contrast normalization across feature maps follows pools 1 and 2, as in the paper.
 */
import type { GraphSpec } from '../graph/types.js';
import { LECTURE_FC_TOP, plainNet, type PlainNet } from './alexnet.js';
import { registerModel, type ModelOptions } from './registry.js';

/** The lecture's ZFNet table. */
export const ZFNET: PlainNet = {
  id: 'zfnet',
  inputSize: 224,
  naming: 'caffe',
  features: [
    { op: 'conv', filters: 96, kernel: 7, stride: 2, padding: 1 },
    { op: 'maxpool', size: 3, stride: 2, ceil: true },
    { op: 'lrn' },
    { op: 'conv', filters: 256, kernel: 5, stride: 2 },
    { op: 'maxpool', size: 3, stride: 2, ceil: true },
    { op: 'lrn' },
    { op: 'conv', filters: 512, kernel: 3, padding: 'same' },
    { op: 'conv', filters: 1024, kernel: 3, padding: 'same' },
    { op: 'conv', filters: 512, kernel: 3, padding: 'same' },
    { op: 'maxpool', size: 3, stride: 2, ceil: true },
  ],
  top: LECTURE_FC_TOP,
  classifier: 'softmax',
};

/** Builds the lecture's ZFNet. */
export const zfnet = (o: ModelOptions = {}): GraphSpec => plainNet(ZFNET, o);

registerModel(
  {
    id: 'zfnet',
    family: 'zfnet',
    year: 2013,
    paper: { title: 'Visualizing and Understanding Convolutional Networks', url: 'https://arxiv.org/abs/1311.2901' },
    input: [224, 224, 3],
    classes: 1000,
    ilsvrc: { top5: 0.883, year: 2013, source: "the lecture's comparison table: 11.7% top-5 error (ZF/Clarifai entry, ILSVRC 2013)" },
    lecture: { params: 108e6, gflops: 2.47, top5Error: 0.117 },
    licence: 'definition from the lecture and the paper (no code licence)',
    reference: 'lecture',
    preprocessing: { mode: 'caffe', mean: [103.939, 116.779, 123.68] },
    description: "The lecture's ZFNet: 7×7/2 conv1, strided 5×5 conv2, 512-1024-512 convs, ceil-mode pools, three FC layers",
  },
  zfnet,
);
