/** `convlab bench`, run as a user would: JSON for scripts, the table, per-layer, charts, and errors. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { FLOPS_NOTE } from '../../src/report/bench.js';
import type { BenchRun } from '../../src/report/bench.js';
import { exportOnnx } from '../../src/runtime/onnx/export.js';
import { getModel } from '../../src/zoo/index.js';
import { runCli } from './cli_helpers.js';
import { resolveGraph } from '../../src/graph/graph.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-bench-'));
const lenetMacs = analyze(resolveGraph(getModel('lenet5'))).totals.macs;

describe('bench', () => {
  it('JSON: every batch size, GFLOP/s from 2 × MACs at the median latency', () => {
    const r = runCli(['bench', 'lenet5', '--random-weights', '--batch', '1,4', '--warmup', '1', '--runs', '3', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as BenchRun;
    assert.equal(doc.engine.name, 'onnxruntime-node');
    assert.equal(doc.engine.threads, availableParallelism());
    const m = doc.models[0]!;
    assert.equal(m.macs, lenetMacs);
    assert.equal(m.flopsPerImage, 2 * lenetMacs);
    assert.equal(m.flopsNote, FLOPS_NOTE);
    assert.deepEqual(m.batches.map((b) => [b.batch, b.runs]), [[1, 3], [4, 3]]);
    for (const b of m.batches) {
      assert.ok(b.latencyMs.min <= b.latencyMs.p50 && b.latencyMs.p50 <= b.latencyMs.p90 && b.latencyMs.p90 <= b.latencyMs.max);
      assert.ok(Math.abs(b.gflops! - (2 * lenetMacs * b.batch) / (b.latencyMs.p50 / 1000) / 1e9) < 1e-9 * b.gflops!);
      assert.ok(Math.abs(b.imagesPerSecond - (b.batch * 1000) / b.latencyMs.p50) < 1e-9 * b.imagesPerSecond);
    }
  });

  it('the table says how FLOPs are counted; --per-layer adds time per node next to MACs', () => {
    const r = runCli(['bench', 'lenet5', '--random-weights', '--runs', '3', '--per-layer', '--threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /FLOPs = 2 × MACs \(conv \+ dense multiply-accumulates from convlab analysis\)/);
    assert.match(r.stdout, /^Per layer: lenet5 \(batch 1, mean of 3 profiled runs\)$/m);
    assert.match(r.stdout, /^conv1 +Conv2D +117\.6k /m);
  });

  it('--per-layer JSON and a per-layer chart', () => {
    const chart = join(dir, 'layers.svg');
    const r = runCli(['bench', 'lenet5', '--random-weights', '--runs', '2', '--per-layer', '--format', 'json', '--chart', chart]);
    assert.equal(r.code, 0, r.stderr);
    const layers = (JSON.parse(r.stdout) as BenchRun).models[0]!.perLayer!.layers;
    const conv1 = layers.find((l) => l.node === 'conv1')!;
    assert.equal(conv1.macs, 117_600);
    assert.ok(conv1.us > 0);
    assert.match(readFileSync(chart, 'utf8'), /^<svg/);
  });

  it('several models, and an exported .onnx file', () => {
    const file = join(dir, 'lenet5.onnx');
    writeFileSync(file, exportOnnx(resolveGraph(getModel('lenet5'))));
    const chart = join(dir, 'models.png');
    const r = runCli(['bench', 'lenet5', '--random-weights', file, '--runs', '2', '--format', 'json', '--chart', chart]);
    assert.equal(r.code, 0, r.stderr);
    const [zoo, onnx] = (JSON.parse(r.stdout) as BenchRun).models;
    assert.equal(zoo!.model, 'lenet5');
    assert.equal(onnx!.model, file);
    // Without an ONNX importer the file's FLOPs are unknown; with one they are LeNet's.
    if (onnx!.macs === null) assert.match(onnx!.flopsNote, /^FLOPs unknown: /);
    else assert.equal(onnx!.macs, lenetMacs);
    assert.ok(existsSync(chart));
  });

  it('clear errors, exit code 2', () => {
    const cut = join(dir, 'cut.onnx');
    writeFileSync(cut, exportOnnx(resolveGraph(getModel('lenet5'))).subarray(0, 1000));
    const cases: Array<[string[], RegExp]> = [
      [['lenet5', '--batch', '0'], /--batch must be positive integers separated by commas/],
      [['lenet5', '--batch', '100000000'], /a batch of 100000000 needs about .* the largest batch that fits is \d+/],
      [[cut], /cut\.onnx: not a valid ONNX model: protobuf decoding failed at byte \d+ of 1000/],
      [['lenet5', '--chart', join(dir, 'x.txt')], /must end in \.svg or \.png/],
      [['lenet5', '--optimization', 'max'], /--optimization must be one of disabled, basic, extended, all/],
      [[join(dir, 'absent.onnx')], /absent\.onnx: cannot read the model \(ENOENT\)/],
      [[cut, '--alpha', '0.5'], /--alpha is a model option for zoo ids and spec files/],
    ];
    for (const [args, pattern] of cases) {
      const r = runCli(['bench', ...args, '--runs', '1', '--random-weights']);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, 'one line');
    }
  });
});
