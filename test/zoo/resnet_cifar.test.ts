/** The ResNet paper's CIFAR-10 networks: the paper's parameter counts, 6n + 2 layers, option-A shortcuts. */
import { resolveGraph } from '../../src/graph/graph.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import '../../src/zoo/resnet_cifar.js';
import { getModel, listModels } from '../../src/zoo/registry.js';
import { row } from '../helpers/build.js';

/** He et al. 2015, Table 6: depth, blocks per stage n, and "# params" in millions as printed. */
const TABLE_6: Array<[string, number, number]> = [
  ['resnet20', 3, 0.27],
  ['resnet32', 5, 0.46],
  ['resnet44', 7, 0.66],
  ['resnet56', 9, 0.85],
  ['resnet110', 18, 1.7],
];

describe('CIFAR ResNets', () => {
  test('the family registers the paper\'s depths', () => {
    assert.deepEqual(listModels({ family: 'resnet_cifar' }).map((m) => m.id), TABLE_6.map(([id]) => id));
  });

  for (const [id, n, millions] of TABLE_6) {
    test(`${id}: ${millions} M parameters as the paper prints them, ${6 * n + 2} weighted layers`, () => {
      const spec = getModel(id);
      const a = analyze(resolveGraph(spec), { params: 'torch' });
      const digits = millions < 1 ? 2 : 1;
      assert.equal((a.totals.params / 1e6).toFixed(digits), millions.toFixed(digits), `${a.totals.params}`);
      assert.equal(spec.nodes.filter((x) => x.op === 'Conv2D' || x.op === 'Dense').length, 6 * n + 2);
    });
  }

  test('ResNet-20 exactly: 269,722 parameters, and the shortcuts add none', () => {
    const a = analyze(resolveGraph(getModel('resnet20')), { params: 'torch' });
    // 3×3 convs: 3·16 + 6·16·16 + 16·32 + 5·32·32 + 32·64 + 5·64·64 input-output pairs; BN γ, β on 19 maps; the 64→10 classifier.
    const conv = 9 * (3 * 16 + 6 * 16 * 16 + 16 * 32 + 5 * 32 * 32 + 32 * 64 + 5 * 64 * 64);
    const bn = 2 * (16 + 6 * 16 + 6 * 32 + 6 * 64);
    assert.equal(a.totals.params, conv + bn + 64 * 10 + 10);
    assert.equal(a.totals.params, 269_722);
    for (const name of ['conv3_block1_0_pool', 'conv3_block1_0_zeros', 'conv3_block1_0_pad']) assert.equal(row(a, name).params, 0);
  });

  test('stages work on 32×32, 16×16 and 8×8 maps with 16, 32 and 64 channels', () => {
    const a = analyze(resolveGraph(getModel('resnet20')));
    assert.deepEqual(row(a, 'conv2_block3_out').outputShape, [32, 32, 16]);
    assert.deepEqual(row(a, 'conv3_block1_0_pad').outputShape, [16, 16, 32]);
    assert.deepEqual(row(a, 'conv4_block3_out').outputShape, [8, 8, 64]);
    assert.deepEqual(row(a, 'predictions').outputShape, [10]);
  });
});
