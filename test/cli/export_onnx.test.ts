/** `convlab export --to onnx`, run as a user would. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportOnnx } from '../../src/runtime/onnx/export.js';
import { decodeModel, infoDims } from '../../src/onnx/proto.js';
import { getModel } from '../../src/zoo/index.js';
import { runCli } from './cli_helpers.js';
import { resolveGraph } from '../../src/graph/graph.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-export-onnx-'));

describe('export --to onnx', () => {
  it('writes exactly what the library exports, and says so', () => {
    const out = join(dir, 'lenet5.onnx');
    const r = runCli(['export', 'lenet5', '--random-weights', '--to', 'onnx', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const bytes = readFileSync(out);
    assert.deepEqual(new Uint8Array(bytes), exportOnnx(resolveGraph(getModel('lenet5'))));
    assert.equal(r.stdout, `wrote ${out} (${bytes.length.toLocaleString('en-US')} bytes)\n`);
  });

  it('passes model options, seed and opset through', () => {
    const out = join(dir, 'mobilenet.onnx');
    const r = runCli(['export', 'mobilenet', '--random-weights', '--alpha', '0.5', '--input', '128,128,3', '--to', 'onnx', '-o', out, '--seed', '3', '--opset', '18']);
    assert.equal(r.code, 0, r.stderr);
    const model = decodeModel(readFileSync(out));
    assert.deepEqual(infoDims(model.graph.input[0]!), ['N', 128, 128, 3]);
    assert.equal(model.opsetImport[0]!.version, 18);
    assert.deepEqual(new Uint8Array(readFileSync(out)), exportOnnx(resolveGraph(getModel('mobilenet', { alpha: 0.5, input: [128, 128, 3] })), { seed: 3, opset: 18 }));
  });

  it('refuses unknown targets, wrong extensions and bad opsets in one line', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--to', 'keras', '-o', join(dir, 'x.h5')], /^convlab: --to must be one of .*onnx.*; received "keras"\n$/],
      [['--to', 'onnx', '-o', join(dir, 'x.json')], /^convlab: .*x\.json: the output name must end in \.onnx\n$/],
      [['--to', 'onnx', '-o', join(dir, 'x.onnx'), '--opset', '12'], /^convlab: opset must be an integer from 17 to 21; received 12\n$/],
    ];
    for (const [args, pattern] of cases) {
      const r = runCli(['export', 'lenet5', '--random-weights', ...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, pattern);
    }
  });
});
