/** Block roll-up by name prefix. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { blockKey, groupRows, opsSummary } from '../../src/report/group.js';
import { getModel } from '../../src/zoo/index.js';

describe('group', () => {
  test('block keys of Keras-style names', () => {
    const cases: Array<[string, string]> = [
      ['conv2_block1_1_conv', 'conv2_block1'],
      ['conv2_block1_out', 'conv2_block1'],
      ['block1a_dwconv', 'block1a'],
      ['block_13_expand_BN', 'block_13'],
      ['block3_conv2', 'block3'],
      ['conv1_bn', 'conv1'],
      ['predictions', 'predictions'],
    ];
    for (const [name, key] of cases) assert.equal(blockKey(name), key, name);
  });

  test('ResNet50 rolls up to its stem, sixteen bottleneck blocks and head; sums are kept', () => {
    const a = analyze(getModel('resnet50'));
    const groups = groupRows(a.layers);
    const blocks = groups.filter((g) => /^conv\d_block\d$/.test(g.name));
    assert.equal(blocks.length, 3 + 4 + 6 + 3);
    for (const k of ['params', 'trainableParams', 'nonTrainableParams', 'macs', 'flops', 'activationBytes'] as const) {
      assert.equal(groups.reduce((s, g) => s + g[k], 0), a.totals[k], k);
    }
    const b = groups.find((g) => g.name === 'conv3_block1')!;
    assert.deepEqual(b.outputShape, [28, 28, 512]);
    assert.equal(b.ops.Conv2D, 4, 'three convs and the projection shortcut');
    assert.equal(opsSummary({ Conv2D: 2, Add: 1 }), 'Conv2D×2 Add');
  });

  test('a prefix held by one layer keeps the full name; LeNet stays one row per layer', () => {
    const a = analyze(getModel('lenet5'));
    assert.deepEqual(groupRows(a.layers).map((g) => g.name), a.layers.map((l) => l.name));
  });
});
