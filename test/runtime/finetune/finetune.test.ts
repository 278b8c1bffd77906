/**
 * Fine-tuning on cached features. The features of a frozen base are computed once and read back
 * on the next run; any change to the base's weights or the data computes them again, and a
 * damaged cache file is never trusted. Training the head on cached features ends where training
 * the whole frozen model in tfjs ends, and --unfreeze-top then trains the top of the base.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../../../src/graph/builder.js';
import { resolveGraph, type Graph } from '../../../src/graph/graph.js';
import { initWeights } from '../../../src/weights/init.js';
import { initBackend } from '../../../src/runtime/tfjs/backend.js';
import { loadTrainingData } from '../../../src/runtime/tfjs/data.js';
import { train, type TrainOptions } from '../../../src/runtime/tfjs/train.js';
import { freezeBase } from '../../../src/runtime/tfjs/transfer.js';
import { saveModelDir } from '../../../src/runtime/tfjs/io.js';
import { modelWithWeights } from '../../../src/runtime/tfjs/trained.js';
import { readTrainedDirectory } from '../../../src/import/trained.js';
import { evaluateFineTuned, fineTune, splitForFineTuning, unfreezeTop, type FineTuneOptions } from '../../../src/runtime/finetune/index.js';
import { getModel } from '../../../src/zoo/index.js';
import { UsageError } from '../../../src/core/errors.js';
import { messages } from '../../../src/core/messages.js';
import { dataDir } from '../../helpers/paths.js';

let dir: string;
const data = () => ({ name: 'cifar10' as const, dir: dataDir(), limit: 160, valSplit: 0.25 });
const recipe: Omit<TrainOptions, 'onEpoch'> = { epochs: 2, batchSize: 16, optimizer: 'adam', lr: 0.01, schedule: 'constant', seed: 5, workers: 1 };

/** A small CNN: two conv blocks with BatchNorm, global pooling and a softmax classifier. */
function smallCnn(): Graph {
  const b = new GraphBuilder('small_cnn');
  let x = b.input([16, 16, 3]);
  x = b.conv2d(x, { filters: 8, kernelSize: 3, padding: 'same', name: 'conv1' });
  x = b.batchNorm(x, { name: 'bn1' });
  x = b.activation(x, 'relu', 'relu1');
  x = b.conv2d(x, { filters: 12, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv2' });
  x = b.globalAvgPool(x, { name: 'gap' });
  return resolveGraph(b.build(b.dense(x, { units: 10, activation: 'softmax', name: 'predictions' })));
}

before(async () => {
  await initBackend({ threads: 1 });
  dir = mkdtempSync(join(tmpdir(), 'convlab-finetune-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('feature cache', () => {
  test('the second run reads the features back; new weights or data compute them again; a damaged file is recomputed', async () => {
    const cacheDir = join(dir, 'cache');
    const notes: string[] = [];
    const o: FineTuneOptions = { ...recipe, epochs: 1, cacheDir, onNote: (l) => notes.push(l) };
    const graph = smallCnn();
    const first = await fineTune(graph, null, data(), o);
    assert.ok(first.featureSeconds > 0);
    assert.match(notes.at(-1)!, /computed once in ONNX Runtime/);
    assert.equal(readdirSync(cacheDir).length, 1);

    const again = await fineTune(graph, null, data(), o);
    assert.equal(again.featureSeconds, 0);
    assert.match(notes.at(-1)!, /from the cache/);
    assert.deepEqual([...again.headWeights.get('predictions/kernel')!], [...first.headWeights.get('predictions/kernel')!], 'same features, same head');

    const other = initWeights(graph, { seed: 99 });
    const reseeded = await fineTune(graph, other, data(), o);
    assert.ok(reseeded.featureSeconds > 0, 'other base weights: other features');
    await fineTune(graph, null, { ...data(), limit: 120 }, o);
    assert.match(notes.at(-1)!, /computed once/, 'other data: other features');
    await fineTune(graph, null, { ...data(), standardize: false }, o);
    assert.match(notes.at(-1)!, /computed once/, 'other preprocessing: other features');
    assert.equal(readdirSync(cacheDir).length, 4);

    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), 'CLFEAT01 truncated');
    const repaired = await fineTune(graph, null, data(), o);
    assert.ok(repaired.featureSeconds > 0);
    assert.ok(notes.some((l) => /cached features unreadable/.test(l)));
    assert.deepEqual([...repaired.headWeights.get('predictions/kernel')!], [...first.headWeights.get('predictions/kernel')!]);
  });
});

describe('head on cached features', () => {
  test('ends where training the whole frozen model in tfjs ends, and the directory is an ordinary trained model', async () => {
    const graph = smallCnn();
    const weights = initWeights(graph, { seed: recipe.seed });
    const out = join(dir, 'run');
    const fast = await fineTune(graph, weights, data(), { ...recipe, cacheDir: join(dir, 'cache2'), out });

    const images = await loadTrainingData('cifar10', dataDir(), { input: [16, 16, 3], limit: 160, valSplit: 0.25, seed: recipe.seed, augment: 'none' });
    // The same base weights in the frozen full model; its head starts from the same seeded initializer.
    const start = join(dir, 'start');
    const model = modelWithWeights(graph, weights);
    await saveModelDir(model, graph.spec, start);
    model.dispose();
    const slow = await train(freezeBase(graph), images, { ...recipe, initialWeights: { dir: start, exclude: ['predictions'] } });
    const slowWeights = new Map(slow.model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
    slow.model.dispose();
    for (const key of ['predictions/kernel', 'predictions/bias']) {
      const d = maxDiff(fast.headWeights.get(key)!, slowWeights.get(key)!);
      assert.ok(d < 1e-4, `${key}: head on cached features and frozen full model differ by ${d}`);
    }
    fast.history.head.forEach((r, i) => assert.ok(Math.abs(r.loss - slow.history[i]!.loss) < 1e-4, `epoch ${i + 1} loss`));
    assert.equal(maxDiff(slowWeights.get('conv1/kernel')!, weights.get('conv1/kernel')!), 0, 'the base stays frozen');

    const saved = readTrainedDirectory(out);
    assert.deepEqual([...saved.weights.get('conv2/kernel')!], [...weights.get('conv2/kernel')!]);
    assert.deepEqual([...saved.weights.get('predictions/kernel')!], [...fast.headWeights.get('predictions/kernel')!]);
    assert.equal(saved.graph.spec.meta?.['dataset'], 'cifar10');
    const ev = await evaluateFineTuned(fast, data(), { limit: 50, cacheDir: join(dir, 'cache2') });
    assert.equal(ev.count, 50);
    assert.ok(ev.top1 >= 0 && ev.top1 <= ev.top5 && ev.top5 <= 1);
  });

  test('a new head on the last feature map (--head gap,dense:16,dropout:0.5)', async () => {
    const r = await fineTune(smallCnn(), null, data(), { ...recipe, epochs: 1, head: 'gap,dense:16,dropout:0.5', cacheDir: join(dir, 'cache3') });
    assert.equal(r.split.cut, 'conv2');
    assert.deepEqual(r.split.featureShape, [8, 8, 12]);
    assert.deepEqual(r.split.headNames, ['head_gap', 'head_dense', 'head_dropout', 'predictions']);
    assert.deepEqual(r.graph.shapes.get('predictions'), [10]);
    assert.equal(r.headWeights.get('head_dense/kernel')!.length, 12 * 16);
  });
});

describe('--unfreeze-top', () => {
  test('counts the blocks a zoo builder names (for VGG16 each conv: block5_conv3 is the top one), weighted layers otherwise, and refuses more than there are', () => {
    const vgg = splitForFineTuning(resolveGraph(getModel('vgg16', { input: [32, 32, 3], classes: 10 })), { classes: 10 });
    const frozen = vgg.full.nodes.filter((n) => !vgg.headNames.includes(n.name)).map((n) => n.name);
    const top = unfreezeTop(vgg.full, frozen, 1);
    assert.equal(top.unit, 'blocks');
    assert.equal(top.nodes[0], 'block5_conv3');
    assert.ok(top.nodes.includes('fc2'), 'everything above the block trains too');
    const stage = unfreezeTop(vgg.full, frozen, 3);
    assert.equal(stage.nodes[0], 'block5_conv1');
    assert.equal(unfreezeTop(vgg.full, frozen, 4).nodes[0], 'block4_conv3');
    assert.equal(stage.graph.nodes.find((n) => n.name === 'block5_conv1')!.attrs.trainable, true);
    assert.equal(stage.graph.nodes.find((n) => n.name === 'block4_conv3')!.attrs.trainable, false);
    const small = splitForFineTuning(smallCnn(), { classes: 10 });
    const own = small.full.nodes.filter((n) => !small.headNames.includes(n.name)).map((n) => n.name);
    assert.deepEqual(unfreezeTop(small.full, own, 2).nodes, ['bn1', 'relu1', 'conv2', 'gap']);
    assert.throws(() => unfreezeTop(small.full, own, 4), (e: Error) => e instanceof UsageError && e.message === messages.unfreezeTooMany(4, 3, 'weighted layers'));
  });

  test('trains the top of the base end to end after the head; the layers below stay as they were', async () => {
    const graph = smallCnn();
    const weights = initWeights(graph, { seed: 1 });
    const notes: string[] = [];
    const r = await fineTune(graph, weights, data(), { ...recipe, epochs: 1, unfreezeTop: 1, cacheDir: join(dir, 'cache4'), onNote: (l) => notes.push(l) });
    assert.ok(r.baseTrained);
    assert.equal(r.history.unfreeze.length, 1);
    assert.equal(r.history.unfreeze[0]!.lr, recipe.lr / 10);
    assert.ok(notes.some((l) => /top 1 weighted layers \(the model records no blocks\): 2 layers from conv2/.test(l)), notes.join('\n'));
    assert.ok(maxDiff(r.weights.get('conv2/kernel')!, weights.get('conv2/kernel')!) > 0, 'conv2 trained');
    assert.equal(maxDiff(r.weights.get('conv1/kernel')!, weights.get('conv1/kernel')!), 0, 'conv1 stays frozen');
    const ev = await evaluateFineTuned(r, data(), { limit: 40 });
    assert.equal(ev.count, 40);
  });
});
