/** `convlab chart` and `compare --chart`: every kind draws a valid SVG and PNG. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from './cli_helpers.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Checks an SVG document: root element, size, at least one drawn mark and the expected texts. */
function assertSvg(path: string, texts: string[]): void {
  const svg = readFileSync(path, 'utf8');
  assert.match(svg, /^<svg[^>]+width="\d+(\.\d+)?"[^>]+height="\d+(\.\d+)?"/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(svg.length > 5_000, `non-trivial SVG (${svg.length} bytes)`);
  for (const t of texts) assert.ok(svg.includes(t), `${path} mentions ${t}`);
}

/** Checks a PNG file: signature, IHDR dimensions and a size that means pixels were drawn. */
function assertPng(path: string): void {
  const png = readFileSync(path);
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.ok(width > 400 && height > 200, `${width}×${height}`);
  assert.ok(png.length > 20_000, `non-trivial PNG (${png.length} bytes)`);
}

describe('chart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-charts-'));
  const CASES: Array<{ name: string; args: string[]; texts: string[] }> = [
    { name: 'accuracy', args: ['accuracy', 'vgg16', 'resnet50', 'mobilenet_v2', 'efficientnet_b0'], texts: ['Top-1 accuracy against compute', 'resnet50', 'MACs per image'] },
    { name: 'layers', args: ['layers', 'lenet5'], texts: ['lenet5: parameters and compute per layer', 'fc1', 'Fully connected layers hold 96% of the parameters'] },
    { name: 'layers_grouped', args: ['layers', 'resnet50'], texts: ['per block', 'conv3_block4'] },
    { name: 'memory', args: ['memory', 'lenet5', 'resnet50'], texts: ['Activation memory along depth', 'inference peak'] },
    { name: 'sweep_alpha', args: ['sweep', 'mobilenet', '--sweep', 'alpha=0.25,0.5,1'], texts: ['width multiplier α', 'α=0.25'] },
    { name: 'sweep_models', args: ['sweep', 'efficientnet_b0', 'efficientnet_b1', 'efficientnet_b2'], texts: ['Model (efficientnet_…)', 'b2'] },
  ];
  for (const c of CASES) {
    test(`${c.name}: SVG and PNG`, () => {
      for (const ext of ['svg', 'png'] as const) {
        const out = join(dir, `${c.name}.${ext}`);
        const r = runCli(['chart', ...c.args, '-o', out]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '', 'no vega-lite warnings');
        assert.match(r.stdout, /^wrote .* bytes\)\n$/);
        if (ext === 'svg') assertSvg(out, c.texts);
        else assertPng(out);
      }
    });
  }

  test('accuracy leaves out models without a published figure, and the chart says which', () => {
    const out = join(dir, 'acc_lenet.svg');
    const r = runCli(['chart', 'accuracy', 'lenet5', 'resnet50', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assertSvg(out, ['resnet50', 'Not placed, no published top-1: lenet5.']);
  });

  test("the lecture's five on top-5: every one placed, ZFNet by its ILSVRC entry", () => {
    const out = join(dir, 'acc_lecture.svg');
    const r = runCli(['compare', 'alexnet', 'zfnet', 'vgg16', 'googlenet', 'resnet152', '--chart', out]);
    assert.equal(r.code, 0, r.stderr);
    const svg = readFileSync(out, 'utf8');
    assert.match(svg, /Top-5 accuracy against compute/, 'top-5 places more of them than top-1');
    assert.doesNotMatch(svg, /Not placed/);
    assert.match(svg, /ILSVRC entry.*zfnet/);
  });

  test('compare --chart draws the accuracy chart beside the table', () => {
    const out = join(dir, 'compare.png');
    const r = runCli(['compare', 'vgg16', 'resnet50', '--chart', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Architecture/);
    assertPng(out);
  });

  test('no temporary files are left beside the outputs', () => {
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.')), []);
  });
});
