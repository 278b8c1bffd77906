/** `export --quantize`, `bench --compare`, `eval` of .onnx files and `summary --dtype int8`, run as users run them. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { BenchRun } from '../../src/report/bench.js';
import { decodeModel } from '../../src/onnx/proto.js';
import { recordOf } from '../../src/runtime/onnx/quantize/quantize.js';
import { dataDir } from '../helpers/paths.js';
import { runCli } from './cli_helpers.js';
import { messages } from '../../src/core/messages.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-quantize-'));
const fp32 = join(dir, 'lenet5.onnx');
const int8 = join(dir, 'lenet5.int8.onnx');
const data = dataDir();
const noDataEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CONVLAB_DATA'));

describe('export --quantize', () => {
  before(() => {
    assert.equal(runCli(['export', 'lenet5', '--random-weights', '--to', 'onnx', '-o', fp32]).code, 0);
  });

  it('int8 calibrated on a data set: QDQ file with its record, and a summary of float layers on stderr', () => {
    const r = runCli(['export', 'lenet5', '--random-weights', '--to', 'onnx', '-o', int8, '--quantize', 'int8', '--calibrate', 'mnist', '--data', data, '--calibration-samples', '16', '--method', 'entropy']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*lenet5\.int8\.onnx/);
    assert.match(r.stderr, /^int8 \(static, entropy ranges from mnist train, first 16\): \d+ nodes int8, 5 fp32, 0 folded\n/);
    assert.match(r.stderr, /fp32: conv1\/tanh \(Tanh\), .*: ONNX Runtime's CPU provider has no int8 kernel for Tanh/);
    const model = decodeModel(readFileSync(int8));
    assert.ok(model.graph.node.some((n) => n.opType === 'QuantizeLinear'));
    const record = recordOf(model)!;
    assert.deepEqual([record.scheme, record.method, record.samples], ['int8', 'entropy', 16]);
  });

  it('an .onnx file is quantized with its own weights', () => {
    const out = join(dir, 'from-file.dyn.onnx');
    const r = runCli(['export', fp32, '--to', 'onnx', '-o', out, '--quantize', 'dynamic']);
    assert.equal(r.code, 0, r.stderr);
    const model = decodeModel(readFileSync(out));
    const source = decodeModel(readFileSync(fp32));
    const conv = (m: typeof model) => m.graph.initializer.find((t) => t.name === 'conv1/kernel')!.rawData;
    assert.deepEqual(conv(model), conv(source));
    assert.equal(recordOf(model)?.scheme, 'dynamic');
  });

  it('refuses bad requests in one line with exit code 2', () => {
    const out = join(dir, 'bad.onnx');
    const cases: Array<[string[], string | RegExp, NodeJS.ProcessEnv?]> = [
      [['--quantize', 'int4'], /^convlab: --quantize must be one of int8, dynamic, fp16, bf16; received "int4"\n$/],
      [['--quantize', 'int8', '--method', 'mse'], /^convlab: --method must be one of minmax, percentile, entropy; received "mse"\n$/],
      [['--quantize', 'int8', '--method', 'percentile', '--percentile', '20'], `convlab: ${messages.badPercentile('20')}\n`],
      [['--quantize', 'int8', '--calibrate', 'mnist'], `convlab: ${messages.noDataDir()}\n`, noDataEnv],
      [['--quantize', 'int8', '--calibrate', join(dir, 'missing')], `convlab: ${messages.badCalibrate(join(dir, 'missing'))}\n`],
      [['--quantize', 'bf16'], /^convlab: bf16: ONNX Runtime's CPU provider cannot run this model in bf16: .+\n$/],
    ];
    for (const [args, expected, env] of cases) {
      const r = runCli(['export', 'lenet5', '--random-weights', '--to', 'onnx', '-o', out, ...args], env ? { env } : {});
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      if (typeof expected === 'string') assert.equal(r.stderr, expected);
      else assert.match(r.stderr, expected);
    }
    const again = runCli(['export', int8, '--to', 'onnx', '-o', out, '--quantize', 'int8']);
    assert.equal(again.code, 2);
    assert.equal(again.stderr, `convlab: ${messages.alreadyQuantized(int8, 'QuantizeLinear')}\n`);
  });
});

describe('bench --compare', () => {
  it('times each variant and reports its speed-up over fp32', () => {
    const r = runCli(['bench', 'lenet5', '--random-weights', '--compare', 'fp32,int8,dynamic', '--runs', '3', '--warmup', '1', '--calibration-samples', '4', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /calibrated on random inputs/);
    const run = JSON.parse(r.stdout) as BenchRun;
    assert.deepEqual(run.models.map((m) => [m.model, m.variant, m.variantOf]), [
      ['lenet5 [fp32]', 'fp32', 'lenet5'], ['lenet5 [int8]', 'int8', 'lenet5'], ['lenet5 [dynamic]', 'dynamic', 'lenet5'],
    ]);
    assert.ok(run.models.every((m) => m.macs === 416520));
  });

  it('per layer: each layer says its precision, and why when it stayed float', () => {
    const r = runCli(['bench', 'lenet5', '--random-weights', '--compare', 'fp32,int8', '--per-layer', '--runs', '2', '--warmup', '1', '--calibration-samples', '4']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Speed-up over fp32 \(median latency\)\nlenet5 \[int8\] vs fp32, batch 1: [\d.]+ → [\d.]+ ms p50 \([\d.]+× faster\)/);
    const int8Part = r.stdout.slice(r.stdout.indexOf('Per layer: lenet5 [int8]'));
    assert.match(int8Part, /Precision\s+Why not lower/);
    assert.match(int8Part, /conv1\s+Conv2D .* mixed\s+Tanh: ONNX Runtime's CPU provider has no int8 kernel for Tanh/);
    assert.match(int8Part, /pool1\s+AvgPool2D .* int8/);
  });

  it('refuses an unknown variant', () => {
    const r = runCli(['bench', 'lenet5', '--random-weights', '--compare', 'fp32,int4']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `convlab: ${messages.badVariant(['fp32', 'int8', 'dynamic', 'fp16', 'bf16'], 'fp32,int4')}\n`);
  });
});

describe('eval of .onnx files', () => {
  it('scores a quantized file in ONNX Runtime against its float original', () => {
    const r = runCli(['eval', int8, '--against', fp32, '--dataset', 'mnist', '--data', data, '--limit', '100', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { count: number; top1: number; reference: { agreement: { count: number; top1: number; maxAbsDiff: number } } };
    assert.equal(j.count, 100);
    assert.equal(j.reference.agreement.count, 100);
    assert.ok(j.reference.agreement.top1 >= 0 && j.reference.agreement.top1 <= 1);
    assert.ok(j.reference.agreement.maxAbsDiff >= 0);
    const text = runCli(['eval', int8, '--against', fp32, '--dataset', 'mnist', '--data', data, '--limit', '50']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /ONNX Runtime\) on mnist test: 50 samples/);
    assert.match(text.stdout, /top-1 change [+-][\d.]+ points; top-1 class agrees on [\d.]+% of 50 samples\noutput difference: max /);
  });

  it('a model agrees with itself exactly', () => {
    const r = runCli(['eval', fp32, '--against', fp32, '--dataset', 'mnist', '--data', data, '--limit', '20', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { reference: { agreement: { top1: number; maxAbsDiff: number } } };
    assert.deepEqual([j.reference.agreement.top1, j.reference.agreement.maxAbsDiff], [1, 0]);
  });
});

describe('summary --dtype', () => {
  it('int8 and bf16 memory: 1 and 2 bytes per element', () => {
    const fp32Json = JSON.parse(runCli(['summary', 'lenet5', '--format', 'json']).stdout) as { totals: { paramBytes: number; activationBytes: number } };
    for (const [dtype, bytes] of [['int8', 1], ['bf16', 2]] as const) {
      const r = runCli(['summary', 'lenet5', '--dtype', dtype, '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const t = (JSON.parse(r.stdout) as typeof fp32Json).totals;
      assert.equal(t.paramBytes, 61706 * bytes);
      assert.equal(t.activationBytes, (fp32Json.totals.activationBytes / 4) * bytes);
    }
    assert.match(runCli(['summary', 'lenet5', '--dtype', 'int8']).stdout, /int8: 1 byte per weight and activation/);
  });
});
