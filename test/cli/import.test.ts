/** `convlab import`, and .onnx files given straight to other commands, run as a user would. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { GraphSpec } from '../../src/graph/types.js';
import { unpackWeights } from '../../src/import/index.js';
import { importOnnx } from '../../src/import/onnx/import.js';
import { fixture, fixturesDir, node, onnxOf, tensorInfo } from '../import/onnx/helpers.js';
import { runCli } from './cli_helpers.js';
import { resolveGraph } from '../../src/graph/graph.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-import-'));
const fx = (name: string) => join(fixturesDir(), name);

describe('convlab import', () => {
  test('an ONNX file becomes a spec that summary reads back', () => {
    const out = join(dir, 'resnet18.json');
    const r = runCli(['import', fx('resnet18.onnx'), '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported resnet18\.onnx: 68 nodes, 11,699,112 params, output \[1000\]/);
    const s = runCli(['summary', out, '--params', 'torch', '--format', 'json']);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(JSON.parse(s.stdout).totals.params, 11_689_512);
  });

  test('--weights writes them beside the spec, described by a manifest in spec.meta', () => {
    const out = join(dir, 'tiny.json');
    const r = runCli(['import', fx('tiny_cnn.onnx'), '-o', out, '--weights', join(dir, 'tiny.bin')]);
    assert.equal(r.code, 0, r.stderr);
    const spec = JSON.parse(readFileSync(out, 'utf8')) as GraphSpec;
    const read = unpackWeights(resolveGraph(spec), out);
    const direct = importOnnx(fixture('tiny_cnn.onnx'), { weights: true }).weights!;
    assert.deepEqual([...read.keys()].sort(), [...direct.keys()].sort());
    for (const [k, v] of direct) assert.deepEqual(Array.from(read.get(k)!), Array.from(v), k);
  });

  test('summary reads .onnx files directly', () => {
    const r = runCli(['summary', fx('mobilenet_v2.onnx'), '--params', 'torch', '--convention', 'macs', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.totals.params, 3_504_872);
    assert.equal(doc.totals.macs, 300_774_272);
  });

  test('an unsupported op fails in one line naming the node', () => {
    const file = join(dir, 'mish.onnx');
    writeFileSync(file, onnxOf({ nodes: [node('Mish', ['x'], ['y'], [], '/act/Mish')], inputs: [tensorInfo('x', [1, 3, 8, 8])], outputs: [tensorInfo('y', [])] }));
    for (const args of [['import', file, '-o', join(dir, 'mish.json')], ['summary', file]]) {
      const r = runCli(args);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `convlab: ${file}: node /act/Mish (Mish) at index 0: ONNX op Mish has no convlab equivalent (docs/import.md lists the supported ops)\n`);
    }
  });

  test('weights asked of a file exported without them, and a weights file outside the spec folder', () => {
    const r = runCli(['import', fx('resnet18.onnx'), '-o', join(dir, 'r.json'), '--weights', join(dir, 'r.bin')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^convlab: .*resnet18\.onnx: the file carries no values for 102 weight tensors \(.* and 99 more\)/);
    const o = runCli(['import', fx('tiny_cnn.onnx'), '-o', join(dir, 't.json'), '--weights', join(tmpdir(), 'elsewhere.bin')]);
    assert.equal(o.code, 2);
    assert.match(o.stderr, /the weights file must be in the folder of/);
  });
});
