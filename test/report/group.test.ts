/** Roll-ups: blocks to a depth from the recorded structure, op types, subtotals and block kinds. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { resolveGraph } from '../../src/graph/graph.js';
import { analyze } from '../../src/analysis/analyze.js';
import type { Analysis } from '../../src/analysis/types.js';
import { importModel } from '../../src/import/index.js';
import {
  blockKind, chartDepth, frontierRows, GROUP_ABOVE, groupRows, groupsByDefault, hasCost, layerKind, MIN_BLOCKS, opRows, opsSummary, rollUp, subtotals, type GroupRow,
} from '../../src/report/group.js';
import { getModel } from '../../src/zoo/index.js';
import { fixturesDir } from '../import/onnx/helpers.js';

const SUMS = ['params', 'trainableParams', 'nonTrainableParams', 'macs', 'flops', 'trainingFlops', 'activationBytes'] as const;

/** The names of the blocks at one depth, in order. */
const blocksAt = (rows: GroupRow[], depth: number) => rows.filter((g) => g.kind === 'block' && g.depth === depth).map((g) => g.name);

/** Depth-1 rows sum to the totals, whatever the depth shown. */
function assertSums(a: Analysis, rows: GroupRow[]) {
  for (const k of SUMS) assert.equal(rows.filter((g) => g.depth === 1).reduce((s, g) => s + g[k], 0), a.totals[k], k);
}

describe('grouped summaries follow the recorded blocks', () => {
  test('GoogLeNet: the nine inception modules in order, each pool between them where the paper has it', () => {
    const a = analyze(resolveGraph(getModel('googlenet')));
    const rows = groupRows(a);
    assert.deepEqual(blocksAt(rows, 1), [
      'pool1', 'conv2', 'inception_3a', 'inception_3b', 'inception_4a', 'inception_4b', 'inception_4c', 'inception_4d', 'inception_4e', 'inception_5a', 'inception_5b',
    ]);
    const names = rows.map((g) => g.name);
    assert.ok(names.indexOf('inception_3b') < names.indexOf('pool3_3x3_s2') && names.indexOf('pool3_3x3_s2') < names.indexOf('inception_4a'), 'pool3 sits between 3b and 4a');
    assert.deepEqual(blocksAt(groupRows(a, 2), 2).slice(0, 4), ['branch1x1', 'branch3x3', 'branch5x5', 'branch_pool'], 'branches at depth 2');
    assertSums(a, rows);
  });

  test('InceptionV3: the stem, then mixed0 … mixed10', () => {
    const a = analyze(resolveGraph(getModel('inception_v3')));
    const rows = groupRows(a);
    assert.deepEqual(blocksAt(rows, 1), ['stem', ...Array.from({ length: 11 }, (_, i) => `mixed${i}`)]);
    assertSums(a, rows);
  });

  test('ResNet-50: stages conv2 … conv5 at depth 1, their residual blocks at depth 2', () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    const rows = groupRows(a, 2);
    assert.deepEqual(blocksAt(rows, 1), ['conv1', 'pool1', 'conv2', 'conv3', 'conv4', 'conv5']);
    const blocks = blocksAt(rows, 2);
    assert.equal(blocks.length, 3 + 4 + 6 + 3);
    assert.deepEqual(blocks.slice(0, 4), ['conv2_block1', 'conv2_block2', 'conv2_block3', 'conv3_block1']);
    const b = rows.find((g) => g.name === 'conv3_block1')!;
    assert.deepEqual(b.outputShape, [28, 28, 512]);
    assert.equal(b.ops.Conv2D, 4, 'three convs and the projection shortcut');
    assertSums(a, rows);
    assert.equal(opsSummary({ Conv2D: 2, Add: 1 }), 'Conv2D×2 Add');
  });

  test('NASNet-Mobile: the stem, two stem reductions, then normal cells with reductions between, named as Keras scopes them', () => {
    const a = analyze(resolveGraph(getModel('nasnet_mobile')));
    const rows = groupRows(a);
    const cells = blocksAt(rows, 1);
    assert.deepEqual(cells.slice(0, 4), ['stem', 'reduction_A_block_stem_1', 'reduction_A_block_stem_2', 'normal_A_block_0']);
    assert.equal(cells.filter((c) => c.startsWith('normal_A_block_')).length, 12);
    assert.deepEqual(cells.filter((c) => c.startsWith('reduction_A_block_reduce')), ['reduction_A_block_reduce_4', 'reduction_A_block_reduce_8']);
    assertSums(a, rows);
  });

  test('a PyTorch-exported ResNet-18: layer1 … layer4 from the ONNX name scopes, blocks and downsample branches below', () => {
    const { graph } = importModel(join(fixturesDir(), 'resnet18.onnx'));
    const a = analyze(graph);
    const rows = groupRows(a, 3);
    assert.deepEqual(blocksAt(rows, 1), ['layer1', 'layer2', 'layer3', 'layer4']);
    assert.deepEqual(blocksAt(rows, 2), ['layer1.0', 'layer1.1', 'layer2.0', 'layer2.1', 'layer3.0', 'layer3.1', 'layer4.0', 'layer4.1']);
    assert.deepEqual(blocksAt(rows, 3), ['downsample', 'downsample', 'downsample']);
    assertSums(a, rows);
  });

  test('LeNet records no blocks and its names share none: one row per layer', () => {
    const a = analyze(resolveGraph(getModel('lenet5')));
    assert.deepEqual(groupRows(a).map((g) => g.name), a.layers.map((l) => l.name));
  });
});

describe('roll-up helpers', () => {
  test('by op type: one row per op, summing to the totals', () => {
    const a = analyze(resolveGraph(getModel('mobilenet')));
    const rows = opRows(a);
    assert.deepEqual(rows.map((r) => r.name).slice(0, 4), ['Input', 'Conv2D', 'BatchNorm', 'Activation']);
    assert.equal(rows.find((r) => r.name === 'DepthwiseConv2D')!.layers.length, 13);
    assertSums(a, rows);
  });

  test('subtotals of every row are the analysis totals; of none, zeros', () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    const s = subtotals(a.layers);
    for (const k of SUMS) assert.equal(s[k], a.totals[k], k);
    assert.deepEqual(subtotals([]), { params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, flops: 0, trainingFlops: 0, activationBytes: 0 });
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

  test('a block\'s kind is the kind doing most of its MACs, not what its name or op count says', () => {
    assert.equal(layerKind('DepthwiseConv2D'), 'Convolution');
    const a = analyze(resolveGraph(getModel('nasnet_mobile')));
    const byName = new Map(a.layers.map((l) => [l.name, l]));
    const cell = groupRows(a).find((g) => g.name === 'normal_A_block_0')!;
    assert.ok((cell.ops.AvgPool2D ?? 0) > 0, 'the cell pools too');
    assert.equal(blockKind(cell.layers.map((l) => byName.get(l)!)), 'Convolution');
    const g = analyze(resolveGraph(getModel('googlenet')));
    const pool1 = groupRows(g).find((r) => r.name === 'pool1')!;
    assert.equal(blockKind(pool1.layers.map((l) => g.layers.find((x) => x.name === l)!)), 'Pooling', 'no MACs, and it pools');
  });

  test('charts roll up by default only with many costing layers and enough blocks to replace them', () => {
    const resnet = analyze(resolveGraph(getModel('resnet50')));
    assert.ok(resnet.layers.filter(hasCost).length > GROUP_ABOVE);
    assert.equal(chartDepth(resnet), 2, 'six blocks at depth 1 are too few; depth 2 has the sixteen residual blocks');
    const bars = frontierRows(resnet, 2);
    assert.deepEqual(bars.filter((g) => g.kind === 'block').map((g) => g.name).slice(0, 3), ['conv1', 'pool1', 'conv2_block1'], 'a stem of plain layers stays whole');
    assert.ok(bars.filter((g) => g.kind === 'block').length >= MIN_BLOCKS);
    for (const k of SUMS) assert.equal(bars.reduce((x, g) => x + g[k], 0), resnet.totals[k], `bars never overlap: ${k}`);
    assert.equal(groupsByDefault(resnet), true);
    assert.equal(chartDepth(analyze(resolveGraph(getModel('googlenet')))), 1);
    assert.equal(groupsByDefault(analyze(resolveGraph(getModel('lenet5')))), false, 'few layers');
    // 69 layers, of which only 43 draw a bar.
    const resnet18 = analyze(resolveGraph(getModel('resnet18')));
    assert.ok(resnet18.layers.length > GROUP_ABOVE && resnet18.layers.filter(hasCost).length <= GROUP_ABOVE);
    assert.equal(groupsByDefault(resnet18), false, 'resnet18');
  });
});
