/** Receptive field: size, jump and start through chains and branches. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveGraph } from '../../src/graph/graph.js';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel } from '../../src/zoo/index.js';
import { basicBlock } from '../../src/zoo/blocks.js';
import { analyzeWith, row } from '../helpers/build.js';

describe('receptive field', () => {
  test('two stacked 3×3 convs see 5×5, three see 7×7', () => {
    const a = analyzeWith([32, 32, 3], (b, x) => {
      let y = b.conv2d(x, { filters: 8, kernelSize: 3, padding: 'same', name: 'c1' });
      y = b.conv2d(y, { filters: 8, kernelSize: 3, padding: 'same', name: 'c2' });
      return b.conv2d(y, { filters: 8, kernelSize: 3, padding: 'same', name: 'c3' });
    });
    assert.deepEqual(row(a, 'c2').receptiveField.size, [5, 5]);
    assert.deepEqual(row(a, 'c3').receptiveField.size, [7, 7]);
    assert.deepEqual(row(a, 'c3').receptiveField.jump, [1, 1]);
  });

  test('stride multiplies the jump and pooling grows the field by (f-1)·jump', () => {
    const a = analyzeWith([32, 32, 1], (b, x) => {
      const c = b.conv2d(x, { filters: 6, kernelSize: 5, name: 'c' });
      return b.avgPool(c, { poolSize: 2, strides: 2, name: 'p' });
    });
    assert.deepEqual(row(a, 'p').receptiveField.size, [6, 6]);
    assert.deepEqual(row(a, 'p').receptiveField.jump, [2, 2]);
    // Centre of the first output: conv centre at 2, pool window centre 0.5 further in steps of 1.
    assert.deepEqual(row(a, 'p').receptiveField.start, [2.5, 2.5]);
  });

  test('a residual block with a strided projection has one jump; its differing sizes are flagged', () => {
    const a = analyzeWith([32, 32, 16], (b, x) => basicBlock(b, x, { filters: 32, stride: 2, batchNorm: false }, 'blk'));
    const add = row(a, 'blk_add');
    assert.deepEqual(add.receptiveField.jump, [2, 2]);
    assert.deepEqual(row(a, 'blk_0_conv').receptiveField.jump, [2, 2]);
    assert.deepEqual(row(a, 'blk_2_conv').receptiveField.jump, [2, 2]);
    // Main path: 3×3 s2 sees 3, then 3×3 at jump 2 adds 2·2: 7. The 1×1 projection sees 1.
    assert.deepEqual(add.receptiveField.size, [7, 7], 'largest field (main path) is taken');
    assert.equal(add.receptiveField.disagree, true);
    assert.deepEqual(a.receptiveFieldDisagreements, ['blk_add']);
  });

  test('global pooling and flatten cover the whole input', () => {
    const a = analyzeWith([8, 8, 3], (b, x) => {
      const c = b.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same', name: 'c' });
      return b.globalAvgPool(c, { name: 'g' });
    });
    assert.deepEqual(row(a, 'g').receptiveField.size, [10, 10]);
  });

  test('branches that grow along different axes merge axis by axis', () => {
    const a = analyzeWith([32, 32, 8], (b, x) => {
      const tall = b.conv2d(x, { filters: 4, kernelSize: [7, 1], padding: 'same', name: 'tall' });
      const wide = b.conv2d(x, { filters: 4, kernelSize: [1, 5], padding: 'same', name: 'wide' });
      return b.concat([tall, wide], { name: 'join' });
    });
    const join = row(a, 'join').receptiveField;
    assert.deepEqual(join.size, [7, 5], 'each axis takes the branch that is largest on it');
    assert.equal(join.disagree, true);
    assert.deepEqual(a.receptiveFieldDisagreements, ['join']);
  });

  // Sizes of the last feature map, per Araujo et al. (Distill 2019) where they list the model.
  const ZOO_FIELDS: Array<[string, string, number]> = [
    ['alexnet', 'pool5', 195],
    ['vgg16', 'block5_pool', 212],
    ['resnet50', 'conv5_block3_out', 483],
    ['resnet101', 'conv5_block3_out', 1027],
    ['resnet152', 'conv5_block3_out', 1507],
    ['mobilenet', 'conv_pw_13_relu', 315],
    ['mobilenet_v2', 'out_relu', 491],
    ['inception_v3', 'mixed10', 1311],
    ['inception_resnet_v2', 'conv_7b_ac', 3039],
  ];
  for (const [id, layer, size] of ZOO_FIELDS) {
    test(`${id}: ${layer} sees ${size}×${size}`, () => {
      assert.deepEqual(row(analyze(resolveGraph(getModel(id))), layer).receptiveField.size, [size, size]);
    });
  }
});
