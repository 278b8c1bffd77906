/** `convlab predict`, run as a user would: PNG and JPEG, class names, .onnx models, and errors. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeImage } from '../../src/image/decode.js';
import { imageToInput } from '../../src/image/preprocess.js';
import { exportOnnx } from '../../src/runtime/onnx/export.js';
import { closeSession, createSession, run } from '../../src/runtime/onnx/node.js';
import { getModel } from '../../src/zoo/index.js';
import { runCli } from './cli_helpers.js';
import { messages } from '../../src/core/messages.js';
import { resolveGraph } from '../../src/graph/graph.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-predict-'));

function writePng(name: string, width: number, height: number): string {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([(i * 37) % 256, (i * 11) % 256, (i * 5) % 256, 255], i * 4);
  const file = join(dir, name);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

const png = writePng('digit.png', 40, 30);
const jpg = join(dir, 'photo.jpg');
writeFileSync(jpg, jpeg.encode({ width: 48, height: 64, data: Buffer.alloc(48 * 64 * 4, 90) }, 90).data);
const labels = join(dir, 'digits.txt');
writeFileSync(labels, Array.from({ length: 10 }, (_, i) => `digit ${i}`).join('\n'));

interface PredictJson {
  model: string;
  input: number[];
  preprocessing: Record<string, unknown>;
  kind: string;
  images: Array<{ file: string; top: Array<{ rank: number; index: number; name: string | null; score: number }> }>;
}

describe('predict', () => {
  it('top-k per image with names from --labels, equal to running the same input directly', async () => {
    const r = runCli(['predict', 'lenet5', png, jpg, '--top', '3', '--labels', labels, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as PredictJson;
    assert.equal(doc.kind, 'probability');
    assert.deepEqual(doc.images.map((i) => i.file), [png, jpg]);
    assert.match(r.stderr, /seeded random weights \(seed 0\)/);

    const spec = getModel('lenet5');
    const s = await createSession(resolveGraph(spec), { threads: 1 });
    const x = imageToInput(decodeImage(readFileSync(png), png), [32, 32, 1], spec.meta!.preprocessing as object);
    const y = (await run(s, { data: x, shape: [1, 32, 32, 1] })).predictions!.data;
    await closeSession(s);
    const expected = Array.from(y, (score, index) => ({ score, index })).sort((a, b) => b.score - a.score).slice(0, 3);
    const top = doc.images[0]!.top;
    assert.deepEqual(top.map((g) => g.index), expected.map((g) => g.index));
    assert.deepEqual(top.map((g) => g.name), expected.map((g) => `digit ${g.index}`));
    top.forEach((g, i) => assert.ok(Math.abs(g.score - expected[i]!.score) < 1e-6));
    assert.ok(top[0]!.score >= top[1]!.score && top[1]!.score >= top[2]!.score);
  });

  it('an exported .onnx file: input size and preprocessing come from its metadata', () => {
    const file = join(dir, 'lenet5.onnx');
    writeFileSync(file, exportOnnx(resolveGraph(getModel('lenet5'))));
    const r = runCli(['predict', file, png, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as PredictJson;
    assert.deepEqual(doc.input, [32, 32, 1]);
    assert.deepEqual(doc.preprocessing, getModel('lenet5').meta!.preprocessing);
    assert.equal(doc.images[0]!.top.length, 5);
    assert.equal(r.stderr, '');
  });

  it('the table names the image once and ranks its classes', () => {
    const r = runCli(['predict', 'lenet5', png]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${png.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +1 +\\d `));
    assert.match(r.stdout, /Note: the model has no class names; give --labels FILE/);
  });

  it('clear errors, exit code 2', () => {
    const text = join(dir, 'notes.png');
    writeFileSync(text, 'hello, I am text');
    const trained = join(dir, 'run1');
    mkdirSync(trained, { recursive: true });
    const bad = join(dir, 'three.txt');
    writeFileSync(bad, 'a\nb\nc\n');
    const cases: Array<[string[], string | RegExp]> = [
      [['lenet5', text], messages.notAnImage(text, new TextEncoder().encode('hello, I am text'))],
      [['lenet5', join(dir, 'absent.png')], messages.imageUnreadable(join(dir, 'absent.png'), 'ENOENT')],
      [['lenet5', png, '--input', '32,32,4'], messages.imageChannels(4)],
      [['lenet5', png, '--labels', bad], messages.labelsCount(bad, 3, 10)],
      [[trained, png], messages.trainedDirectory(trained)],
      [['lenet5', png, '--fit', 'squash'], /--fit must be one of crop, pad, stretch/],
    ];
    for (const [args, expected] of cases) {
      const r = runCli(['predict', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      const line = r.stderr.split('\n').filter((l) => l.startsWith('convlab: '));
      assert.equal(line.length, 1, r.stderr);
      if (typeof expected === 'string') assert.equal(line[0], `convlab: ${expected}`);
      else assert.match(line[0]!, expected);
    }
  });
});
