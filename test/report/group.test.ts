/** Block roll-up by name prefix. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { blockKey, GROUP_ABOVE, groupRows, groupsByDefault, hasCost, MIN_BLOCKS, opsSummary, rollUp, subtotals } from '../../src/report/group.js';
import { getModel } from '../../src/zoo/index.js';
import { resolveGraph } from '../../src/graph/graph.js';

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
    const a = analyze(resolveGraph(getModel('resnet50')));
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
    const a = analyze(resolveGraph(getModel('lenet5')));
    assert.deepEqual(groupRows(a.layers).map((g) => g.name), a.layers.map((l) => l.name));
  });

  test('subtotals of every row are the analysis totals; of none, zeros', () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    const s = subtotals(a.layers);
    for (const k of ['params', 'trainableParams', 'nonTrainableParams', 'macs', 'flops', 'activationBytes'] as const) assert.equal(s[k], a.totals[k], k);
    assert.deepEqual(subtotals([]), { params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, flops: 0, activationBytes: 0 });
  });

  test('a roll-up of any rows: their sums, op counts, and the last row\'s shape and field', () => {
    const a = analyze(resolveGraph(getModel('lenet5')));
    const rows = a.layers.filter((l) => l.name === 'conv2' || l.name.startsWith('fc'));
    const r = rollUp('picked', rows);
    assert.equal(r.name, 'picked');
    assert.deepEqual(r.layers, rows.map((l) => l.name));
    assert.equal(r.params, rows.reduce((s, l) => s + l.params, 0));
    assert.equal(r.macs, rows.reduce((s, l) => s + l.macs, 0));
    assert.deepEqual(r.ops, { Conv2D: 1, Dense: rows.length - 1 });
    assert.deepEqual(r.outputShape, rows.at(-1)!.outputShape);
    assert.deepEqual(r.receptiveField, rows.at(-1)!.receptiveField);
  });

  test('charts roll up by default only with many costing layers and enough blocks to replace them', () => {
    const resnet = analyze(resolveGraph(getModel('resnet50')));
    assert.ok(resnet.layers.filter(hasCost).length > GROUP_ABOVE && groupRows(resnet.layers).length >= MIN_BLOCKS);
    assert.equal(groupsByDefault(resnet), true);
    assert.equal(groupsByDefault(analyze(resolveGraph(getModel('lenet5')))), false, 'few layers');
    // More than GROUP_ABOVE layers, but MobileNet's names give almost one "conv" block.
    const mobilenet = analyze(resolveGraph(getModel('mobilenet')));
    assert.ok(mobilenet.layers.length > GROUP_ABOVE && groupRows(mobilenet.layers).length < MIN_BLOCKS);
    assert.equal(groupsByDefault(mobilenet), false, 'mobilenet');
    // 69 layers, of which only 43 draw a bar.
    const resnet18 = analyze(resolveGraph(getModel('resnet18')));
    assert.ok(resnet18.layers.length > GROUP_ABOVE && resnet18.layers.filter(hasCost).length <= GROUP_ABOVE);
    assert.equal(groupsByDefault(resnet18), false, 'resnet18');
  });
});
