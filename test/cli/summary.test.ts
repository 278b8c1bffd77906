/** `convlab summary`: the JSON and CSV it prints carry exactly the library's numbers. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { analyze } from '../../src/analysis/analyze.js';
import { type AnalyzeOptions } from '../../src/analysis/types.js';
import { maxBatch, parseBytes, trainingMemory } from '../../src/analysis/memory.js';
import { getModel, type ModelOptions } from '../../src/zoo/index.js';
import { runCli } from './cli_helpers.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Runs summary with `--format json` and parses the one document it prints. */
function summaryJson(args: string[]) {
  const r = runCli(['summary', ...args, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const CASES: Array<{ id: string; options?: ModelOptions; analysis?: AnalyzeOptions; args: string[]; batch: number; optimizer: 'sgd' | 'momentum' | 'adam'; fits?: string }> = [
  { id: 'lenet5', args: [], batch: 32, optimizer: 'adam' },
  { id: 'resnet50', args: [], batch: 32, optimizer: 'adam' },
  {
    id: 'resnet50', analysis: { convention: 'flops', params: 'torch', dtype: 'fp16' },
    args: ['--convention', 'flops', '--params', 'torch', '--dtype', 'fp16', '--batch', '8', '--optimizer', 'momentum', '--fits', '8GiB'],
    batch: 8, optimizer: 'momentum', fits: '8GiB',
  },
  { id: 'mobilenet', options: { alpha: 0.5, input: [160, 160, 3] }, args: ['--alpha', '0.5', '--input', '160,160,3'], batch: 32, optimizer: 'adam' },
  { id: 'resnet50', options: { includeTop: false, pooling: 'avg' }, args: ['--no-top', '--pooling', 'avg', '--convention', 'macs'], analysis: { convention: 'macs' }, batch: 32, optimizer: 'adam' },
];

describe('summary --format json', () => {
  for (const c of CASES) {
    test(`${c.id} ${c.args.join(' ')}: totals, layers and training memory equal the library's`, () => {
      const doc = summaryJson([c.id, ...c.args]);
      const a = analyze(resolveGraph(getModel(c.id, c.options ?? {})), c.analysis ?? {});
      assert.equal(doc.model, a.model);
      assert.deepEqual(doc.input, a.input);
      assert.equal(doc.convention, a.convention);
      for (const k of ['params', 'trainableParams', 'nonTrainableParams', 'macs', 'flops', 'activationBytes', 'inferencePeakBytes', 'paramBytes'] as const) {
        assert.equal(doc.totals[k], a.totals[k], `totals.${k}`);
      }
      const m = trainingMemory(a, { batch: c.batch, optimizer: c.optimizer, dtype: a.dtype });
      for (const [k, v] of Object.entries(m)) assert.equal(doc.totals.training[k], v, `training.${k}`);
      if (c.fits) assert.equal(doc.totals.training.maxBatch, maxBatch(a, parseBytes(c.fits), { optimizer: c.optimizer, dtype: a.dtype }));
      assert.equal(doc.layers.length, a.layers.length);
      doc.layers.forEach((l: Record<string, unknown>, i: number) => {
        const r = a.layers[i]!;
        assert.deepEqual(
          [l.name, l.op, l.outputShape, l.params, l.macs, l.flops, l.activationBytes, l.receptiveField],
          [r.name, r.op, r.outputShape, r.params, r.macs, r.flops, r.activationBytes, r.receptiveField],
          `layer ${r.name}`,
        );
      });
    });
  }

  test('the lecture and Keras reference totals come through unchanged', () => {
    // The lecture's LeNet-5 table: 61,706 params and 422,824 FLOPs; Keras ResNet50: 25,636,712 params.
    const lenet = summaryJson(['lenet5']);
    assert.equal(lenet.totals.params, 61_706);
    assert.equal(lenet.totals.flops, 422_824);
    const resnet = summaryJson(['resnet50']);
    assert.equal(resnet.totals.params, 25_636_712);
    assert.equal(resnet.totals.trainableParams, 25_583_592);
    assert.equal(resnet.totals.nonTrainableParams, 53_120);
  });

  test('--explain adds every formula; --group --depth 2 adds blocks with their depth, the outermost summing to the totals', () => {
    const doc = summaryJson(['resnet50', '--explain', '--group', '--depth', '2']);
    const conv1 = doc.layers.find((l: { name: string }) => l.name === 'conv1_conv');
    assert.equal(conv1.explain.macs.text, '112·112·64·7·7·3 = 118,013,952');
    assert.deepEqual(conv1.block, ['conv1']);
    assert.equal(doc.depth, 2);
    type G = Record<string, number> & { name: string; depth: number; kind: string; layers: string[] };
    const groups = doc.groups as G[];
    const at = (d: number) => groups.filter((g) => g.depth === d);
    assert.deepEqual(at(2).filter((g) => g.kind === 'block').map((g) => g.name).slice(0, 2), ['conv2_block1', 'conv2_block2']);
    const block = groups.find((g) => g.name === 'conv2_block1')!;
    assert.equal(block.layerCount, block.layers.length);
    for (const k of ['params', 'macs', 'flops', 'trainingFlops', 'activationBytes'] as const) {
      assert.equal(at(1).reduce((s, g) => s + g[k]!, 0), doc.totals[k], `groups sum ${k}`);
    }
    assert.equal(at(1).reduce((s, g) => s + g.layers.length, 0), doc.layers.length);
  });

  test('--by-op rolls up by op type; --group and --by-op together are refused', () => {
    const doc = summaryJson(['vgg16', '--by-op']);
    assert.deepEqual(doc.ops.map((o: { name: string }) => o.name), ['Input', 'Conv2D', 'MaxPool2D', 'Flatten', 'Dense']);
    const r = runCli(['summary', 'vgg16', '--by-op', '--group']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--group and --by-op/);
  });

  test('a spec file is read, and --input replaces its input shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlab-summary-'));
    const file = join(dir, 'lenet.json');
    writeFileSync(file, JSON.stringify(getModel('lenet5')));
    const doc = summaryJson([file, '--input', '36,36,1']);
    const a = analyze(resolveGraph(getModel('lenet5', { input: [36, 36, 1] })));
    assert.deepEqual(doc.input, [36, 36, 1]);
    assert.equal(doc.totals.params, a.totals.params);
    assert.equal(doc.totals.flops, a.totals.flops);
  });
});

describe('summary --format csv', () => {
  for (const id of ['lenet5', 'resnet50']) {
    test(`${id}: the CSV parses back to the analysis, exact integers in every cell`, () => {
      const r = runCli(['summary', id, '--format', 'csv']);
      assert.equal(r.code, 0, r.stderr);
      const rows: Array<Record<string, string>> = parse(r.stdout, { columns: true });
      const a = analyze(resolveGraph(getModel(id)));
      assert.equal(rows.length, a.layers.length);
      rows.forEach((row, i) => {
        const l = a.layers[i]!;
        assert.equal(row.name, l.name);
        assert.equal(row.op, l.op);
        assert.equal(row.inputs, l.inputs.join(' '));
        assert.equal(row.output_shape, l.outputShape.join('x'));
        assert.deepEqual(
          [row.params, row.trainable_params, row.non_trainable_params, row.macs, row.flops, row.activation_bytes].map(Number),
          [l.params, l.trainableParams, l.nonTrainableParams, l.macs, l.flops, l.activationBytes],
        );
        assert.deepEqual([row.rf_h, row.rf_w, row.jump_h, row.jump_w].map(Number), [...l.receptiveField.size, ...l.receptiveField.jump]);
        assert.match(row.params!, /^\d+$/, 'no thousands separators or units in CSV');
      });
      const sum = (k: string) => rows.reduce((s, row) => s + Number(row[k]), 0);
      assert.equal(sum('params'), a.totals.params);
      assert.equal(sum('flops'), a.totals.flops);
    });
  }

  test('--explain formulas survive quoting (they hold commas)', () => {
    const r = runCli(['summary', 'lenet5', '--format', 'csv', '--explain']);
    const rows: Array<Record<string, string>> = parse(r.stdout, { columns: true });
    assert.equal(rows.find((row) => row.name === 'conv1')!.macs_formula, '28·28·6·5·5·1 = 117,600');
  });
});

describe('summary output to a file', () => {
  test('-o writes the same bytes as stdout, atomically, leaving no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlab-out-'));
    const out = join(dir, 'lenet5.md');
    const r = runCli(['summary', 'lenet5', '--format', 'md', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(out, 'utf8'), runCli(['summary', 'lenet5', '--format', 'md']).stdout);
    assert.deepEqual(readdirSync(dir), ['lenet5.md']);
  });

  test('a failing run leaves an existing output file untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlab-out-'));
    const out = join(dir, 'keep.txt');
    writeFileSync(out, 'old');
    const r = runCli(['summary', 'no_such_model', '-o', out]);
    assert.equal(r.code, 2);
    assert.equal(readFileSync(out, 'utf8'), 'old');
    assert.ok(existsSync(out));
    assert.deepEqual(readdirSync(dir), ['keep.txt']);
  });
});
