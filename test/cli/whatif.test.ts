/** `convlab whatif`, run as a user would: tables, JSON, the rewritten spec, bench, train and refusals. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MOVE_NAMES } from '../../src/rewrite/index.js';
import { dataDir } from '../helpers/paths.js';
import { runCli } from './cli_helpers.js';
import { messages } from '../../src/core/messages.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-whatif-'));

interface Doc {
  model: string;
  moves: string[];
  before: { totals: Record<string, unknown> };
  after: { totals: Record<string, unknown> };
  changed: Array<{ label: string; moves: string[]; before: { params: number; macs: number }; after: { params: number; macs: number } }>;
  latency?: { beforeMs: number; afterMs: number; speedup: number; macsReduction: number };
  accuracy?: { before: number; after: number; testSamples: number; recipe: string };
}

const json = (args: string[]) => {
  const r = runCli(['whatif', ...args, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Doc;
};

const totalsOf = (args: string[]) => {
  const r = runCli(['summary', ...args, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { totals: Record<string, unknown> }).totals;
};

describe('whatif', () => {
  it('JSON: before.totals are summary\'s totals of the model, after.totals those of the spec written with -o', () => {
    const out = join(dir, 'mobilenet_half.json');
    const doc = json(['mobilenet', '--move', 'width=0.5', '-o', out]);
    assert.deepEqual(doc.moves, ['width=0.5']);
    assert.deepEqual(doc.before.totals, totalsOf(['mobilenet']));
    assert.deepEqual(doc.after.totals, totalsOf([out]));
    assert.equal(doc.after.totals.macs, 149_497_088);
    assert.equal(doc.changed.length, 14);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).meta.rewrites, ['width=0.5']);
  });

  it('the table shows each changed part and the totals side by side', () => {
    const r = runCli(['whatif', 'vgg16', '--move', 'gap-head']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^What if: "vgg16" with gap-head$/m);
    assert.match(r.stdout, /^flatten … predictions +gap-head +flatten \+ 2 dense → global average pool before predictions +123\.64M → 513k /m);
    assert.match(r.stdout, /^Params: +138,357,544 → 15,227,688 \(9\.09× fewer\)$/m);
    assert.match(r.stdout, /^Output: +\(1000,\)$/m);
  });

  it('several moves in order, --layers for the layer moves, CSV with exact values', () => {
    const r = runCli(['whatif', 'vgg16', '--move', 'width=0.5', '--move', 'separable', '--layers', 'block5_*', '--format', 'csv']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^changed,moves,detail,params_before,params_after,macs_before,macs_after,/);
    const row = lines.find((l) => l.startsWith('block5_conv3,'))!;
    assert.match(row, /^block5_conv3,width=0\.5 separable,/);
  });

  it('refusals are one line on stderr and exit 2', () => {
    const cases: Array<[string[], string]> = [
      [['resnet50', '--move', 'gap-head'], messages.noFlattenHead('resnet50', 'avg_pool')],
      [['vgg16', '--move', 'widht=2'], messages.unknownMove('widht', MOVE_NAMES, 'width')],
      [['mobilenet', '--move', 'width=0.5', '--layers', 'conv1'], messages.layersUnused(['width=0.5'])],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['whatif', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr, `convlab: ${message}\n`);
      assert.equal(r.stdout, '');
    }
    const strided = runCli(['whatif', 'resnet50', '--move', 'factorize']);
    assert.equal(strided.code, 2);
    assert.match(strided.stderr, /^convlab: factorize: cannot rewrite conv1_conv \(Conv2D 7×7\/2\): it is strided; .*\n$/);
    const { CONVLAB_DATA: _, ...env } = process.env;
    const noData = runCli(['whatif', 'lenet5', '--move', 'separable', '--train', 'mnist'], { env });
    assert.equal(noData.code, 2);
    assert.equal(noData.stderr, `convlab: ${messages.noDataDir()}\n`);
  });

  it('-o refuses a path it cannot write before doing any work', () => {
    const r = runCli(['whatif', 'lenet5', '--move', 'separable', '-o', join(dir, 'missing', 'x.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^convlab: cannot write .*x\.json: folder .* does not exist\n$/);
  });

  it('--bench: both graphs timed in the same run, MACs saved and latency saved on one line', () => {
    const doc = json(['lenet5', '--move', 'separable', '--bench', '--runs', '3', '--warmup', '1']);
    const l = doc.latency!;
    assert.ok(l.beforeMs > 0 && l.afterMs > 0);
    assert.equal(l.speedup, l.beforeMs / l.afterMs);
    assert.equal(l.macsReduction, (doc.before.totals.macs as number) / (doc.after.totals.macs as number));
    const r = runCli(['whatif', 'lenet5', '--move', 'separable', '--bench', '--runs', '2', '--warmup', '0']);
    assert.equal(r.code, 0, r.stderr);
    // Within 10% the change is written as a percentage (changeText), beyond as a ratio.
    assert.match(r.stdout, /^Latency, batch 1: +[\d.]+ ms → [\d.]+ ms: 3\.86× fewer MACs, (?:[\d.]+×|[\d.]+%) (faster|slower) \(onnxruntime-node .*seeded Keras-style weights \(seed 0\)\)$/m);
  });

  it('--train: both graphs trained with the same recipe, test accuracy side by side', () => {
    const doc = json(['lenet5', '--move', 'separable', '--layers', 'conv2', '--train', 'digits', '--data', dataDir(), '--epochs', '2', '--test-limit', '200']);
    const a = doc.accuracy!;
    assert.equal(a.testSamples, 200);
    assert.ok(a.before > 0.3 && a.before <= 1 && a.after > 0.1 && a.after <= 1, JSON.stringify(a));
    assert.equal(a.recipe, '2 epochs, adam lr 0.001, batch 64, seed 0');
  });

  it('--help lists every move with real examples', () => {
    const r = runCli(['whatif', '--help']);
    assert.equal(r.code, 0);
    for (const name of MOVE_NAMES) assert.match(r.stdout, new RegExp(`^  ${name}`, 'm'));
    assert.match(r.stdout, /\$ convlab whatif vgg16 --move gap-head/);
    assert.ok(!existsSync(join(dir, 'b0_phi1.json')));
  });
});
