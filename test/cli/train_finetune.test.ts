/**
 * `convlab train --freeze-base` from the command line: a spec trained on an image folder (train/
 * and test/ splits) gives an ordinary directory that `convlab eval` reads, the second run takes
 * the features from the cache, Keras weights given with --weights feed the frozen base, and
 * augmentation with cached features is refused with exit code 2.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { GraphBuilder } from '../../src/graph/builder.js';
import { messages } from '../../src/core/messages.js';
import { runCli } from './cli_helpers.js';
import { dataDir } from '../helpers/paths.js';
import { kerasFixtures } from '../../scripts/keras_fixtures.js';

let root: string;
const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'convlab-cli-finetune-'));
  // Two classes told apart by colour: red-ish and blue-ish squares of varying shade and size.
  for (const split of ['train', 'test']) {
    for (const [c, channel] of [['blue', 2], ['red', 0]] as const) {
      mkdirSync(join(root, 'photos', split, c), { recursive: true });
      for (let i = 0; i < (split === 'train' ? 12 : 4); i++) {
        const size = 6 + (i % 5);
        const img = new PNG({ width: size, height: size });
        for (let p = 0; p < size * size; p++) {
          const px = [40 + (p % 5), 40 + (p % 7), 40 + (p % 3), 255];
          px[channel] = 150 + 8 * i;
          img.data.set(px, p * 4);
        }
        writeFileSync(join(root, 'photos', split, c, `${i}.png`), PNG.sync.write(img));
      }
    }
  }
  const b = new GraphBuilder('tiny');
  let x = b.input([8, 8, 3]);
  x = b.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' });
  x = b.globalAvgPool(x, { name: 'gap' });
  writeFileSync(join(root, 'tiny.json'), JSON.stringify(b.build(b.dense(x, { units: 2, activation: 'softmax', name: 'predictions' }))));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('train --freeze-base on folder:PATH, then eval the directory; the second run reads the cached features', () => {
  const args = ['train', join(root, 'tiny.json'), '--dataset', `folder:${join(root, 'photos')}`, '--freeze-base', '--epochs', '2', '--batch-size', '8',
    '--lr', '0.05', '--feature-cache', join(root, 'cache'), '--no-progress'];
  const first = runCli([...args, '--out', join(root, 'run')]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /features of 24 images computed once in ONNX Runtime/);
  assert.match(first.stdout, /head epoch 2\/2/);
  assert.match(first.stdout, /test: top-1 [\d.]+%/);
  const second = runCli(args);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /features of 24 images from the cache/);
  const ev = runCli(['eval', join(root, 'run'), '--dataset', `folder:${join(root, 'photos')}`, '--format', 'json']);
  assert.equal(ev.code, 0, ev.stderr);
  const report = JSON.parse(ev.stdout) as { count: number; classes: string[] };
  assert.equal(report.count, 8);
  assert.deepEqual(report.classes, ['blue', 'red']);
});

test('--augment with --freeze-base is refused with the reason; --head without --freeze-base too', () => {
  const base = ['train', join(root, 'tiny.json'), '--dataset', `folder:${join(root, 'photos')}`];
  const augment = runCli([...base, '--freeze-base', '--augment', 'shift']);
  assert.equal(augment.code, 2);
  assert.equal(augment.stderr.trim(), `convlab: ${messages.augmentWithCache('shift', flag)}`);
  const head = runCli([...base, '--head', 'gap,dense:8']);
  assert.equal(head.code, 2);
  assert.match(head.stderr, /--head needs --freeze-base/);
});

test('--weights FILE (a Keras .h5) feeds the frozen base: MobileNetV2 without its top, a new head, eval agrees with the run', () => {
  const weights = join(kerasFixtures(), 'mobilenet_v2_notop.h5');
  const r = runCli(['train', 'mobilenet_v2', '--input', '96,96,3', '--no-top', '--weights', weights, '--dataset', 'cifar10', '--data', dataDir(), '--freeze-base', '--head', 'gap',
    '--epochs', '1', '--limit', '64', '--test-limit', '32', '--feature-cache', join(root, 'cache-keras'), '--out', join(root, 'keras-run'), '--no-progress'], { timeout: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /104 layers matched by name/);
  assert.match(r.stderr, /features of 64 images computed once/);
  const top1 = /test: top-1 ([\d.]+)%/.exec(r.stdout)![1];
  const ev = runCli(['eval', join(root, 'keras-run'), '--data', dataDir(), '--limit', '32', '--format', 'json'], { timeout: 120_000 });
  assert.equal(ev.code, 0, ev.stderr);
  assert.equal(((JSON.parse(ev.stdout) as { top1: number }).top1 * 100).toFixed(2), top1);
});
