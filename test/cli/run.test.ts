/**
 * `convlab run` and the weights policy from the command line: a PyTorch-exported ONNX file runs
 * NCHW and equals ONNX Runtime on the original file; re-exporting it reproduces it; weightless
 * sources are refused with exit 2 unless --random-weights, which every result then mentions; bad
 * .npy files are refused naming the file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { messages } from '../../src/core/messages.js';
import { readNpy, writeNpy } from '../../src/data/npy.js';
import { decodeModel, metadataOf } from '../../src/onnx/proto.js';
import { runCli } from './cli_helpers.js';
import { pseudoRandom } from '../helpers/tfjs_files.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const PYTHON = '/usr/bin/python3';

/** A small PyTorch CNN exported to ONNX by torch.onnx (NCHW input, Conv/BN/ReLU/pool/Linear). */
function torchOnnx(): string {
  const file = join(dir, 'torch_cnn.onnx');
  execFileSync(PYTHON, ['-c', [
    'import sys, torch', 'torch.manual_seed(0)',
    'm = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.BatchNorm2d(8), torch.nn.ReLU(), torch.nn.MaxPool2d(2),',
    '  torch.nn.Conv2d(8, 4, 3, stride=2), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(4 * 3 * 3, 5)).eval()',
    'with torch.no_grad():', '  m[1].running_mean.uniform_(-1, 1); m[1].running_var.uniform_(0.5, 2)',
    'torch.onnx.export(m, torch.zeros(1, 3, 16, 16), sys.argv[1], input_names=["x"], output_names=["logits"], dynamic_axes={"x": {0: "n"}, "logits": {0: "n"}})',
  ].join('\n'), file], { stdio: 'pipe' });
  return file;
}

/** A PyTorch CNN whose output is global average pooling then Flatten, a pair the importer folds into one node. */
function torchGapOnnx(): string {
  const file = join(dir, 'torch_gap.onnx');
  execFileSync(PYTHON, ['-c', [
    'import sys, torch', 'torch.manual_seed(1)',
    'm = torch.nn.Sequential(torch.nn.Conv2d(3, 6, 3), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()).eval()',
    'torch.onnx.export(m, torch.zeros(1, 3, 12, 12), sys.argv[1], input_names=["x"], output_names=["features"], opset_version=13)',
  ].join('\n'), file], { stdio: 'pipe' });
  return file;
}

describe('convlab run', () => {
  it('an output behind a folded pooling + Flatten pair is found under its ONNX name', async () => {
    const model = torchGapOnnx();
    const x = pseudoRandom(3 * 12 * 12, 11);
    const input = join(dir, 'gap_x.npy');
    writeFileSync(input, writeNpy(x, [1, 3, 12, 12]));
    const out = join(dir, 'gap_y.npy');
    const r = runCli(['run', model, '--input', input, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${messages.wroteTensor(out, 'features', [1, 6])}\n`);
    const session = await ort.InferenceSession.create(readFileSync(model));
    const want = (await session.run({ x: new ort.Tensor('float32', x, [1, 3, 12, 12]) })).features!.data as Float32Array;
    await session.release();
    const got = readNpy(readFileSync(out), out).data;
    want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) <= 1e-5, `${i}: ${got[i]} vs ${w}`));
  });

  it('a PyTorch ONNX file takes NCHW and equals ONNX Runtime on the original file; export reproduces it', async () => {
    const model = torchOnnx();
    const x = pseudoRandom(2 * 3 * 16 * 16, 7);
    const input = join(dir, 'x.npy');
    writeFileSync(input, writeNpy(x, [2, 3, 16, 16]));
    const out = join(dir, 'y.npy');
    const r = runCli(['run', model, '--input', input, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${messages.wroteTensor(out, 'logits', [2, 5])}\n`);
    const session = await ort.InferenceSession.create(readFileSync(model));
    const want = (await session.run({ x: new ort.Tensor('float32', x, [2, 3, 16, 16]) })).logits!.data as Float32Array;
    await session.release();
    const got = readNpy(readFileSync(out), out);
    assert.deepEqual(got.shape, [2, 5]);
    want.forEach((w, i) => assert.ok(Math.abs(got.data[i]! - w) <= 1e-4, `${i}: ${got.data[i]} vs ${w}`));

    // The file's own initializers travel: re-exported, convlab's ONNX computes the same logits and says where its weights came from.
    const again = join(dir, 'again.onnx');
    assert.equal(runCli(['export', model, '--to', 'onnx', '-o', again]).code, 0);
    assert.equal(metadataOf(decodeModel(readFileSync(again)))['convlab.weights'], `onnx initializers of ${model}`);
    const nhwc = new Float32Array(x.length);
    for (let n = 0; n < 2; n++) for (let c = 0; c < 3; c++) for (let p = 0; p < 256; p++) nhwc[(n * 256 + p) * 3 + c] = x[(n * 3 + c) * 256 + p]!;
    const s2 = await ort.InferenceSession.create(readFileSync(again));
    const y2 = Object.values(await s2.run({ [s2.inputNames[0]!]: new ort.Tensor('float32', nhwc, [2, 16, 16, 3]) }))[0]!.data as Float32Array;
    await s2.release();
    want.forEach((w, i) => assert.ok(Math.abs(y2[i]! - w) <= 1e-4));
  });

  it('refuses a source without weights in one line with exit 2, and says so when --random-weights is given', () => {
    const input = join(dir, 'digits.npy');
    writeFileSync(input, writeNpy(pseudoRandom(2 * 32 * 32, 3), [2, 32, 32, 1]));
    for (const args of [['run', 'lenet5', '--input', input, '-o', join(dir, 'l.npy')], ['export', 'lenet5', '--to', 'onnx', '-o', join(dir, 'l.onnx')]]) {
      const r = runCli(args);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `convlab: ${messages.noSourceWeights('lenet5', 'a zoo id is an architecture and', (k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)}\n`);
    }
    const r = runCli(['run', 'lenet5', '--input', input, '-o', join(dir, 'l.npy'), '--random-weights', '--seed', '4']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `${messages.seededWeights('lenet5', 4)}\n`);
    assert.deepEqual(readNpy(readFileSync(join(dir, 'l.npy')), 'l.npy').shape, [2, 10]);
    const e = runCli(['export', 'lenet5', '--to', 'onnx', '-o', join(dir, 'l.onnx'), '--random-weights']);
    assert.equal(e.code, 0);
    assert.equal(e.stderr, `${messages.seededWeights('lenet5', 0)}\n`);
    assert.equal(metadataOf(decodeModel(readFileSync(join(dir, 'l.onnx'))))['convlab.weights'], 'seed:0');
  });

  it('names the .npy file, the input and the layout when a tensor does not fit', () => {
    const model = torchOnnx();
    const nhwc = join(dir, 'nhwc.npy');
    writeFileSync(nhwc, writeNpy(new Float32Array(16 * 16 * 3), [1, 16, 16, 3]));
    const r = runCli(['run', model, '--input', nhwc, '-o', join(dir, 'z.npy')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `convlab: ${messages.runInputShape(nhwc, 'x', 'NCHW', ['N', 3, 16, 16], [1, 16, 16, 3])}\n`);
    const wrongType = join(dir, 'complex.npy');
    execFileSync(PYTHON, ['-c', `import numpy as np; np.save(${JSON.stringify(wrongType)}, np.ones((1, 3, 16, 16), np.complex64))`]);
    const t = runCli(['run', model, '--input', wrongType, '-o', join(dir, 'z.npy')]);
    assert.equal(t.code, 2);
    assert.match(t.stderr, /^convlab: .*complex\.npy: dtype "<c8" is not supported; expected one of <f4, <f8, <f2, <i8, <i4, \|u1/);
    const two = runCli(['run', model, '--input', nhwc, '--input', nhwc, '-o', join(dir, 'z.npy')]);
    assert.equal(two.stderr, `convlab: ${messages.runInputCount(model, ['x'], 2)}\n`);
    const name = runCli(['run', model, '--input', nhwc, '-o', join(dir, 'z.npy'), '--output', 'probs']);
    assert.equal(name.code, 2);
  });
});
