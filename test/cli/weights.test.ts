/**
 * `--weights` and Keras model files on the command line: ImageNet weights from the Keras cache
 * (a generated file under the published name), a weights file travelling into an exported ONNX
 * file, .keras archives as models, NCHW ONNX files in predict, and the one-line errors.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { messages } from '../../src/core/messages.js';
import { decodeModel, metadataOf } from '../../src/onnx/proto.js';
import { closeSession, createSession, run } from '../../src/runtime/onnx/node.js';
import { IMAGENET_CLASSES } from '../../src/weights/imagenet_classes.js';
import { kerasFixtures } from '../../scripts/keras_fixtures.js';
import { repoRoot } from '../helpers/paths.js';
import { runCli } from './cli_helpers.js';

let fixtures = '';
let work = '';
let png = '';
let env: NodeJS.ProcessEnv = {};

/** A width×height PNG with a smooth colour ramp. */
function writePng(path: string, width: number, height: number): void {
  const p = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) p.data.set([(i % width) * 7 % 256, Math.floor(i / width) * 5 % 256, (i * 3) % 256, 255], i * 4);
  writeFileSync(path, PNG.sync.write(p));
}

before(() => {
  fixtures = kerasFixtures();
  work = mkdtempSync(join(tmpdir(), 'convlab-weights-cli-'));
  mkdirSync(join(work, 'keras', 'models'), { recursive: true });
  copyFileSync(join(fixtures, 'resnet50.h5'), join(work, 'keras', 'models', 'resnet50_weights_tf_dim_ordering_tf_kernels.h5'));
  png = join(work, 'photo.png');
  writePng(png, 64, 48);
  env = { ...process.env, KERAS_HOME: join(work, 'keras'), CONVLAB_CACHE: join(work, 'cache') };
});

describe('--weights on the command line', () => {
  it('predict resnet50 --weights imagenet: the cached file, caffe preprocessing, five ImageNet class names', () => {
    const r = runCli(['predict', 'resnet50', '--weights', 'imagenet', png, '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { preprocessing: { mode: string }; kind: string; images: Array<{ top: Array<{ index: number; name: string; score: number }> }> };
    assert.equal(out.preprocessing.mode, 'caffe');
    assert.equal(out.kind, 'probability');
    assert.equal(out.images[0]!.top.length, 5);
    for (const g of out.images[0]!.top) assert.equal(g.name, IMAGENET_CLASSES[g.index]);
    assert.match(r.stderr, /differs from the published 2cb95161c43110f7111970584f804107/);
    assert.match(r.stderr, /107 layers matched by order/);
  });

  it('a second predict opens the exported model from the cache, without reading the weights file, and says so', () => {
    const file = join(work, 'keras', 'models', 'resnet50_weights_tf_dim_ordering_tf_kernels.h5');
    const args = ['predict', 'resnet50', '--weights', 'imagenet', png, '--format', 'json'];
    const first = runCli(args, { env });
    const second = runCli(args, { env });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.ok(second.stderr.includes(messages.exportCached(file)), second.stderr);
    assert.match(second.stderr, /107 layers matched by order/);
    const files = readdirSync(join(work, 'cache', 'onnx'));
    assert.equal(files.filter((f) => f.endsWith('.onnx')).length, 1);
    // ORT's optimized form sits beside it; a damaged one is dropped and saved again, with the same result.
    const optimized = files.filter((f) => f.endsWith('.ort'));
    assert.equal(optimized.length, 1);
    writeFileSync(join(work, 'cache', 'onnx', optimized[0]!), 'not a model');
    const third = runCli(args, { env });
    assert.equal(third.code, 0, third.stderr);
    assert.equal(third.stdout, first.stdout);
    assert.ok(readFileSync(join(work, 'cache', 'onnx', optimized[0]!)).length > 1_000_000);
  });

  it('a weights file given by path is exported again when it changes, and reused while it does not', () => {
    const weights = join(work, 'mnv2-copy.h5');
    copyFileSync(join(fixtures, 'mobilenet_v2.h5'), weights);
    const args = ['predict', 'mobilenet_v2', '--weights', weights, png, '--format', 'json'];
    const cached = (r: { stderr: string }) => r.stderr.includes(messages.exportCached(weights));
    const runs = [runCli(args, { env }), runCli(args, { env })];
    utimesSync(weights, new Date(), new Date(Date.now() + 5000));
    runs.push(runCli(args, { env }));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(runs.map(cached), [false, true, false]);
    assert.equal(runs[2]!.stdout, runs[0]!.stdout);
  });

  it('a weights file travels into the exported ONNX file, which predicts the same and records its source', () => {
    const weights = join(fixtures, 'mobilenet_v2.h5');
    const onnx = join(work, 'mnv2.onnx');
    const e = runCli(['export', 'mobilenet_v2', '--weights', weights, '--to', 'onnx', '-o', onnx], { env });
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stderr, /no published hash to check; SHA-256 [0-9a-f]{64}/);
    const meta = JSON.parse(metadataOf(decodeModel(readFileSync(onnx)))['convlab.meta']!) as { weights: { source: string } };
    assert.equal(meta.weights.source, weights);
    const fromZoo = runCli(['predict', 'mobilenet_v2', '--weights', weights, png, '--format', 'json'], { env });
    const fromFile = runCli(['predict', onnx, png, '--format', 'json'], { env });
    assert.equal(fromZoo.code, 0, fromZoo.stderr);
    assert.deepEqual(JSON.parse(fromFile.stdout).images, JSON.parse(fromZoo.stdout).images);
  });

  it('a .keras archive is a model: predict with its own weights and --labels', () => {
    const labels = join(work, 'labels.txt');
    writeFileSync(labels, 'a\nb\nc\nd\ne\n');
    const r = runCli(['predict', join(fixtures, 'small.keras'), png, '--labels', labels, '--preprocess', 'unit', '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { images: Array<{ top: Array<{ name: string }> }> };
    assert.deepEqual(out.images[0]!.top.map((g) => g.name).sort(), ['a', 'b', 'c', 'd', 'e']);
  });

  it('errors are one line with exit code 2', () => {
    const onnx = join(repoRoot(), 'test', 'fixtures', 'onnx', 'tiny_cnn.onnx');
    const cases: Array<[string[], string | RegExp]> = [
      [['predict', onnx, png, '--weights', join(fixtures, 'small.h5')], messages.weightsOnOnnx(onnx)],
      [['predict', 'resnet50', png, '--weights', 'nowhere.h5'], messages.weightsSource('nowhere.h5')],
      [['predict', 'lenet5', png, '--weights', 'imagenet'], /lenet5: no published ImageNet weights/],
      [['predict', 'resnet50', png, '--weights', 'http://127.0.0.1:9/w.h5'], /^convlab: cannot download http:\/\/127\.0\.0\.1:9\/w\.h5 \(.*\); place the file at .*models\/w\.h5 by hand/],
      [['predict', 'resnet50', png, '--no-top', '--weights', join(fixtures, 'mobilenet_v2_notop.h5')], /holds 104 layers with weights; the model has 106/],
      [['predict', join(fixtures, 'small.h5'), png], messages.noArchitecture(join(fixtures, 'small.h5'))],
    ];
    for (const [args, expected] of cases) {
      const r = runCli(args, { env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      const last = lines[lines.length - 1]!;
      if (typeof expected === 'string') assert.equal(last, `convlab: ${expected}`);
      else assert.match(last, expected);
    }
  });
});

describe('predict on an NCHW ONNX file (PyTorch export)', () => {
  it('transposes the image to CHW: same scores as running the file on the pixels by hand', async () => {
    const onnx = join(repoRoot(), 'test', 'fixtures', 'onnx', 'tiny_cnn.onnx');
    const small = join(work, 'small.png');
    writePng(small, 16, 16);
    const r = runCli(['predict', onnx, small, '--preprocess', 'unit', '--top', '10', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { layout: string; images: Array<{ top: Array<{ index: number; score: number }> }> };
    assert.equal(out.layout, 'NCHW');
    const img = PNG.sync.read(readFileSync(small));
    const chw = new Float32Array(3 * 16 * 16);
    for (let p = 0; p < 256; p++) for (let c = 0; c < 3; c++) chw[c * 256 + p] = img.data[p * 4 + c]! / 255;
    const session = await createSession(readFileSync(onnx), { threads: 1 });
    try {
      const y = (await run(session, { data: chw, shape: [1, 3, 16, 16] }))[session.outputNames[0]!]!.data;
      for (const g of out.images[0]!.top) assert.ok(Math.abs(g.score - y[g.index]!) < 1e-5, `class ${g.index}`);
    } finally {
      await closeSession(session);
    }
  });
});
