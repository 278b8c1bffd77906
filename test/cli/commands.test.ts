/** `list`, `compare`, `explain` and every command's `--help` examples, run as a user would. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel, listModels, type ModelOptions } from '../../src/zoo/index.js';
import { runCli } from './cli_helpers.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('list', () => {
  test('every registered id, with params and MACs recomputed by analysis', () => {
    const r = runCli(['list', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { models: Array<{ id: string; family: string; year: number; params: number; macs: number }> };
    assert.deepEqual(doc.models.map((m) => m.id), listModels().map((m) => m.id));
    for (const m of doc.models) {
      const a = analyze(resolveGraph(getModel(m.id)));
      assert.equal(m.params, a.totals.params, `${m.id} params`);
      assert.equal(m.macs, a.totals.macs, `${m.id} MACs`);
    }
  });

  test('--family filters; the table shows human units', () => {
    const r = runCli(['list', '--family', 'lenet']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^lenet5\s+lenet\s+1998\s+\(32,32,1\)\s+61\.71k\s+416\.52k\s+—$/m);
  });
});

describe('compare', () => {
  test('JSON carries exact totals and the published accuracy; --sort orders rows', () => {
    const r = runCli(['compare', 'vgg16', 'lenet5', 'resnet50', '--sort', 'params', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { models: Array<{ model: string; params: number; flops: number; accuracy: { top5?: number } | null }> };
    assert.deepEqual(doc.models.map((m) => m.model), ['lenet5', 'resnet50', 'vgg16']);
    for (const m of doc.models) {
      const a = analyze(resolveGraph(getModel(m.model)));
      assert.equal(m.params, a.totals.params);
      assert.equal(m.flops, a.totals.flops);
    }
    assert.equal(doc.models[0]!.accuracy, null);
    assert.equal(doc.models[1]!.accuracy?.top5, listModels().find((x) => x.id === 'resnet50')!.accuracy!.top5);
  });

  test('the table shows params in millions, GFLOPs and top-5 error in percent, best first with --sort top5', () => {
    const r = runCli(['compare', 'vgg16', 'resnet50', 'lenet5', '--sort', 'top5']);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split("\n").filter((l) => /^(vgg16|resnet50|lenet5)\s+(\d{4}|—)\s/.test(l));
    assert.deepEqual(rows.map((l) => l.split(/\s+/)[0]), ['resnet50', 'vgg16', 'lenet5']);
    const top5 = listModels().find((x) => x.id === 'resnet50')!.accuracy!.top5!;
    assert.equal(rows[0]!.trim().split(/\s+/).at(-2), String(Number(((1 - top5) * 100).toFixed(2))), rows[0]);
    assert.match(rows[0]!, /\s25\.6\s/);
  });

  test('CSV round-trips', () => {
    const r = runCli(['compare', 'lenet5', 'resnet50', '--format', 'csv']);
    const rows: Array<Record<string, string>> = parse(r.stdout, { columns: true });
    assert.deepEqual(rows.map((x) => [x.model, Number(x.params)]), [['lenet5', 61_706], ['resnet50', 25_636_712]]);
  });
});

describe('explain', () => {
  test('prints the lecture formulas with values substituted', () => {
    const r = runCli(['explain', 'lenet5', 'conv1', 'pool1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /MACs {6}hout·wout·K·fh·fw·cin = 28·28·6·5·5·1 = 117,600/);
    // The slide prints 4074 for LeNet's first pooling layer; its own formula gives 4,704.
    assert.match(r.stdout, /FLOPs {5}hout·wout·c·fh·fw = 14·14·6·2·2 = 4,704/);
    assert.match(r.stdout, /train {5}forward \+ ∂input \+ ∂weights = 117,600 \+ 0 \+ 117,600 = 235,200/);
  });

  test('the whole model ends with the training step: its FLOPs, then its memory', () => {
    const r = runCli(['explain', 'lenet5', '--batch', '8']);
    assert.equal(r.code, 0, r.stderr);
    const tail = r.stdout.trimEnd().split('\n').slice(-8);
    assert.equal(tail[0], 'Training FLOPs (batch 8, lecture convention)');
    assert.match(tail[2]!, /^ {2}per step {4}batch·per sample = 8·1,144,568 = 9,156,544$/);
    assert.equal(tail[4], 'Training memory (batch 8, adam, fp32)');
    assert.match(tail[7]!, /^ {2}total {7}fixed \+ batch·per sample = /);
  });

  test('JSON holds the same explained values as the analysis, backward parts included', () => {
    const r = runCli(['explain', 'resnet50', 'conv1_conv', '--format', 'json', '--convention', 'flops']);
    const doc = JSON.parse(r.stdout);
    const row = analyze(resolveGraph(getModel('resnet50')), { convention: 'flops' }).layers.find((l) => l.name === 'conv1_conv')!;
    assert.deepEqual(doc.layers[0].flops, row.explain.flops);
    assert.deepEqual(doc.layers[0].training, row.explain.training);
    assert.deepEqual(doc.layers[0].backward, row.explain.backward);
  });
});

describe('export --to spec', () => {
  test('the written spec reads back to the same analysis, model options applied', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlab-export-'));
    const cases: Array<[string, ModelOptions, string[]]> = [['lenet5', {}, []], ['mobilenet', { alpha: 0.5, input: [160, 160, 3] }, ['--alpha', '0.5', '--input', '160,160,3']]];
    for (const [id, opts, args] of cases) {
      const out = join(dir, `${id}.json`);
      const r = runCli(['export', id, ...args, '--to', 'spec', '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      const spec = JSON.parse(readFileSync(out, 'utf8'));
      assert.deepEqual(spec, JSON.parse(JSON.stringify(getModel(id, opts))));
      const back = JSON.parse(runCli(['summary', out, '--format', 'json']).stdout);
      assert.deepEqual(back.totals, JSON.parse(runCli(['summary', id, ...args, '--format', 'json']).stdout).totals);
    }
  });

  test('the output name must fit the target', () => {
    const r = runCli(['export', 'lenet5', '--to', 'spec', '-o', join(tmpdir(), 'lenet5.onnx')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /must end in \.json/);
  });
});

describe('--help', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'convlab-help-'));
  writeFileSync(join(cwd, 'my_net.json'), JSON.stringify(getModel('lenet5')));
  for (const cmd of ['list', 'summary', 'compare', 'explain', 'chart']) {
    test(`${cmd} --help shows examples, and each one runs`, () => {
      const help = runCli([cmd, '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /\nExamples:\n/);
      const examples = help.stdout
        .split('\n')
        .map((l) => /^\s+\$ convlab (.*?)(\s+#.*)?$/.exec(l)?.[1])
        .filter((l): l is string => l !== undefined);
      assert.ok(examples.length >= 3, `${cmd} shows at least three examples`);
      for (const ex of examples) {
        const args = ex.replace(/\s*[|>].*$/, '').split(/\s+/);
        const r = runCli(args, { cwd });
        assert.equal(r.code, 0, `example "convlab ${ex}" failed: ${r.stderr}`);
      }
    });
  }
});
