/** User errors: one line on stderr, nothing on stdout, exit code 2, no file half-written. */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { getModel } from '../../src/zoo/index.js';
import { node, onnxOf, tensorInfo } from '../import/onnx/helpers.js';
import { runCli } from './cli_helpers.js';
import { messages } from '../../src/core/messages.js';

/** Asserts the one-line, exit-2 shape and returns the message without the `convlab: ` prefix. */
function failsWithOneLine(args: string[]): string {
  const r = runCli(args);
  assert.equal(r.code, 2, `exit code of convlab ${args.join(' ')}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  assert.match(r.stderr, /^convlab: [^\n]+\n$/, `one line on stderr, received ${JSON.stringify(r.stderr)}`);
  return r.stderr.slice('convlab: '.length, -1);
}

describe('CLI errors', () => {
  test('unknown model id suggests near ids', () => {
    const m = failsWithOneLine(['summary', 'resnet5']);
    assert.match(m, /unknown model "resnet5"; did you mean resnet50/);
  });

  test('a library message names an option by its key; the command line writes its flag', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'convlab-free-')), 'free.onnx');
    writeFileSync(file, onnxOf({ nodes: [node('Relu', ['x'], ['y'])], inputs: [tensorInfo('x', ['N', 3, 'H', 'W'])], outputs: [tensorInfo('y', [])] }));
    assert.match(failsWithOneLine(['summary', file]), /with free dimensions; give a fixed size \(--input H,W,C\)$/);
  });

  test('unknown option of the command', () => {
    assert.match(failsWithOneLine(['list', '--bogus']), /unknown option '--bogus'/);
    assert.match(failsWithOneLine(['compare', 'lenet5', '--sortt', 'params']), /unknown option '--sortt'.*--sort/);
  });

  test('a model option the builder does not read', () => {
    const m = failsWithOneLine(['summary', 'lenet5', '--alpha', '0.5']);
    assert.ok(m.startsWith('lenet5 does not read --alpha; it reads '), m);
    assert.match(failsWithOneLine(['summary', 'resnet50', '--width', '2']), /resnet50: option "width"/);
  });

  test('a spec file: unreadable, not JSON, or given a zoo-builder option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlab-spec-'));
    const spec = join(dir, 'lenet.json');
    writeFileSync(spec, JSON.stringify(getModel('lenet5')));
    assert.equal(failsWithOneLine(['summary', spec, '--alpha', '1']), messages.modelOptionOnSpec(spec, '--alpha'));
    assert.match(failsWithOneLine(['summary', join(dir, 'none.json')]), /none\.json: cannot read \(ENOENT\)/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"name": ');
    assert.match(failsWithOneLine(['summary', broken]), /broken\.json: not valid JSON/);
  });

  test('bad --input', () => {
    for (const bad of ['224,a,3', '224,224', '0,224,3', '224,224,3,1']) {
      assert.equal(failsWithOneLine(['summary', 'resnet50', '--input', bad]), messages.badInput(bad));
    }
    assert.match(failsWithOneLine(['summary', 'resnet50', '--input', '16,16,3']), /at least 32/);
  });

  test('bad choices and numbers name the option, the allowed values and what was received', () => {
    assert.equal(failsWithOneLine(['summary', 'lenet5', '--format', 'xml']), messages.badChoice('--format', ['table', 'json', 'md', 'csv', 'html'], 'xml'));
    assert.equal(failsWithOneLine(['summary', 'lenet5', '--convention', 'gflops']), messages.badChoice('--convention', ['lecture', 'macs', 'flops'], 'gflops'));
    assert.equal(failsWithOneLine(['summary', 'lenet5', '--batch', '2.5']), messages.badPositiveInt('--batch', '2.5'));
    assert.match(failsWithOneLine(['summary', 'lenet5', '--fits', 'lots']), /memory budget/);
    assert.match(failsWithOneLine(['chart', 'pie', 'lenet5', '-o', join(tmpdir(), 'x.svg')]), /chart kind must be one of accuracy, layers, memory, sweep/);
  });

  test('unknown layer in explain suggests near names', () => {
    assert.equal(failsWithOneLine(['explain', 'lenet5', 'conv3']), messages.unknownLayer('lenet5', 'conv3', ['conv1', 'conv2', 'pool1']));
  });

  test('unwritable output paths fail before any work and create nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlab-err-'));
    const missing = join(dir, 'no', 'such', 'dir', 'out.svg');
    assert.match(failsWithOneLine(['chart', 'layers', 'lenet5', '-o', missing]), /^cannot write .*out\.svg: folder .* does not exist$/);
    assert.match(failsWithOneLine(['summary', 'lenet5', '-o', dir]), /it is a folder; name a file inside it/);
    assert.match(failsWithOneLine(['chart', 'layers', 'lenet5', '-o', join(dir, 'out.gif')]), /must end in \.svg or \.png/);
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked');
      chmodSync(dir, 0o500);
      assert.match(failsWithOneLine(['summary', 'lenet5', '-o', join(locked, 'x')]), /cannot write/);
      chmodSync(dir, 0o700);
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  test('missing arguments and unknown commands', () => {
    assert.match(failsWithOneLine(['summary']), /missing required argument 'model'/);
    assert.match(failsWithOneLine(['summry', 'lenet5']), /unknown command 'summry'.*summary/);
    assert.match(failsWithOneLine(['chart', 'layers', 'lenet5']), /required option '-o, --out <file>'/);
    assert.equal(failsWithOneLine(['chart', 'layers', 'lenet5', 'vgg16', '-o', join(tmpdir(), 'x.svg')]), messages.chartOneModel('layers', 2));
  });
});
