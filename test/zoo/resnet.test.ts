/** ResNet v1 and v2 (Keras) and torchvision's ResNets: exact published totals, the lecture's ResNet152, options. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { UsageError } from '../../src/core/errors.js';
import '../../src/zoo/resnet.js';
import '../../src/zoo/resnet_v2.js';
import '../../src/zoo/resnet_torchvision.js';
import { getModel, listModels } from '../../src/zoo/registry.js';
import { row } from '../helpers/build.js';
import { resolveGraph } from '../../src/graph/graph.js';

/**
 * Published totals with include_top and 1000 classes: Keras Applications' table (BN counted with
 * its moving statistics) and torchvision's model docs (running statistics are buffers, not params).
 */
const PUBLISHED: Record<string, number> = {
  resnet50: 25_636_712,
  resnet101: 44_707_176,
  resnet152: 60_419_944,
  resnet50_v2: 25_613_800,
  resnet101_v2: 44_675_560,
  resnet152_v2: 60_380_648,
  resnet18: 11_689_512,
  resnet34: 21_797_672,
  resnet50_tv: 25_557_032,
  resnet101_tv: 44_549_160,
  resnet152_tv: 60_192_808,
};

const members = [...listModels({ family: 'resnet' }), ...listModels({ family: 'resnet_v2' })];
/** torchvision counts BN running statistics as buffers, Keras as non-trainable weights. */
const paramsConvention = (id: string) => (members.find((m) => m.id === id)!.reference === 'torchvision' ? 'torch' : 'keras');

describe('resnet zoo', () => {
  test('every id of the family is registered', () => {
    assert.deepEqual(members.map((m) => m.id).sort(), Object.keys(PUBLISHED).sort());
  });

  for (const meta of members) {
    test(`${meta.id} builds, outputs [1000] and has the published parameter count`, () => {
      const a = analyze(resolveGraph(getModel(meta.id)), { convention: 'macs', params: paramsConvention(meta.id) });
      assert.deepEqual(a.outputs.map((o) => o.shape), [[meta.classes]]);
      assert.deepEqual(a.input, meta.input);
      assert.equal(a.totals.params, PUBLISHED[meta.id]);
    });
  }

  test('Keras ResNet50 splits into 25,583,592 trainable and 53,120 non-trainable (BN moving statistics)', () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    assert.equal(a.totals.trainableParams, 25_583_592);
    assert.equal(a.totals.nonTrainableParams, 53_120);
  });

  test('Keras ResNet50 without its top has 23,587,712 params and ends at conv5_block3_out', () => {
    const spec = getModel('resnet50', { includeTop: false });
    const a = analyze(resolveGraph(spec));
    assert.equal(a.totals.params, 23_587_712);
    assert.deepEqual(spec.outputs, ['conv5_block3_out']);
    assert.deepEqual(a.outputs[0]!.shape, [7, 7, 2048]);
  });

  test("ResNet152 is the lecture's ≈ 60 M params and ≈ 11.3 G multiply-adds", () => {
    const a = analyze(resolveGraph(getModel('resnet152')), { convention: 'macs' });
    // The comparison slide rounds to "~60" million and 11.3 billion.
    assert.equal(Math.round(a.totals.params / 1e6), 60);
    assert.equal((a.totals.macs / 1e9).toFixed(1), '11.3');
  });

  test("torchvision resnet18 is 1,814,073,344 MACs at 224 (convs plus the fc's 512,000)", () => {
    const a = analyze(resolveGraph(getModel('resnet18')), { convention: 'macs' });
    assert.equal(a.totals.macs, 1_814_073_344);
    assert.equal(row(a, 'fc').macs, 512 * 1000);
  });

  test('Keras v1 follows Keras: names, conv bias, BN epsilon 1.001e-5, stride on the first 1×1', () => {
    const spec = getModel('resnet50');
    const names = spec.nodes.map((n) => n.name);
    assert.deepEqual(names.slice(0, 8), ['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool', 'conv2_block1_0_conv', 'conv2_block1_0_bn']);
    assert.deepEqual(names.slice(-2), ['avg_pool', 'predictions']);
    const a = analyze(resolveGraph(spec));
    assert.equal(row(a, 'conv3_block1_1_conv').params, 256 * 128 + 128);
    assert.deepEqual(row(a, 'conv3_block1_1_conv').attrs.strides, [2, 2]);
    assert.deepEqual(row(a, 'conv3_block1_2_conv').attrs.strides, [1, 1]);
    assert.equal(row(a, 'conv1_bn').attrs.epsilon, 1.001e-5);
  });

  test('torchvision v1.5 puts the stride on the 3×3 and has no conv bias', () => {
    const a = analyze(resolveGraph(getModel('resnet50_tv')), { params: 'torch' });
    assert.deepEqual(row(a, 'layer2.0.conv1').attrs.strides, [1, 1]);
    assert.deepEqual(row(a, 'layer2.0.conv2').attrs.strides, [2, 2]);
    assert.equal(row(a, 'layer2.0.conv1').params, 256 * 128);
    assert.deepEqual(row(a, 'layer2.0.downsample.1').outputShape, [28, 28, 512]);
    assert.equal(row(a, 'bn1').attrs.epsilon, 1e-5);
  });

  test('v1.5 costs more MACs than Keras v1 at equal depth, since its strided 3×3 sees the full map', () => {
    const keras = analyze(resolveGraph(getModel('resnet50')), { convention: 'macs' }).totals.macs;
    const tv = analyze(resolveGraph(getModel('resnet50_tv')), { convention: 'macs' }).totals.macs;
    assert.ok(tv > keras, `${tv} > ${keras}`);
  });

  test('ResNetV2 pre-activates, strides the last block of a stage, and ends with post_bn / post_relu', () => {
    const a = analyze(resolveGraph(getModel('resnet50_v2')));
    assert.equal(a.layers.some((l) => l.name === 'conv1_bn'), false);
    assert.deepEqual(row(a, 'conv2_block3_2_conv').attrs.strides, [2, 2]);
    assert.deepEqual(row(a, 'max_pooling2d').inputs, ['conv2_block2_out']);
    assert.deepEqual(row(a, 'conv2_block3_out').outputShape, [28, 28, 256]);
    assert.deepEqual(a.layers.slice(-4).map((l) => l.name), ['post_bn', 'post_relu', 'avg_pool', 'predictions']);
  });

  test('classes, includeTop, pooling and input pass through', () => {
    const full = analyze(resolveGraph(getModel('resnet50'))).totals.params;
    const ten = analyze(resolveGraph(getModel('resnet50', { classes: 10 })));
    assert.equal(ten.totals.params, full - 2049 * 990);
    assert.deepEqual(ten.outputs[0]!.shape, [10]);
    const pooled = getModel('resnet101_v2', { includeTop: false, pooling: 'max' });
    assert.deepEqual(pooled.outputs, ['max_pool']);
    const big = analyze(resolveGraph(getModel('resnet18', { input: [320, 320, 3], includeTop: false, pooling: 'avg' })), { params: 'torch' });
    assert.deepEqual(row(big, 'layer4.1.relu_1').outputShape, [10, 10, 512]);
    assert.deepEqual(big.outputs[0]!.shape, [512]);
  });

  test('options a ResNet does not read, and bad values, are refused by name', () => {
    assert.throws(() => getModel('resnet50', { alpha: 0.5 }), (e: unknown) => e instanceof UsageError && /option "alpha"/.test(e.message));
    assert.throws(() => getModel('resnet34', { input: [16, 16, 3] }), (e: unknown) => e instanceof UsageError && /"input".*at least 32/.test(e.message));
    assert.throws(() => getModel('resnet152_v2', { pooling: 'sum' as never }), (e: unknown) => e instanceof UsageError && /"pooling"/.test(e.message));
  });
});
