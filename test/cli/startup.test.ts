/**
 * Start-up: `convlab summary` and `convlab --help` must not load an engine or a renderer. Every
 * module URL the CLI resolves is logged by a loader hook, so the check sees what really loads.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCliWith } from './cli_helpers.js';

/** Engines and renderers: only the actions that run, train or draw may load them. */
const HEAVY = ['onnxruntime-node', 'onnxruntime-web', '@tensorflow/', 'vega', '@resvg/'];
/** Summary needs even less: not the ONNX protobuf reader either. */
const NOT_FOR_SUMMARY = [...HEAVY, 'protobufjs'];

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.CONVLAB_LOAD_LOG, r.url + '\\n');
  return r;
}`;
const PRELOAD = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

/** Runs the CLI and returns the packages it loaded (the folder after node_modules/). */
function loadedPackages(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-loads-'));
  const log = join(dir, 'loads.txt');
  try {
    const r = runCliWith(['--import', `data:text/javascript,${encodeURIComponent(PRELOAD)}`], args, { env: { ...process.env, CONVLAB_LOAD_LOG: log } });
    assert.equal(r.code, 0, r.stderr);
    const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    return [...new Set(urls.filter((u) => u.includes('/node_modules/')).map((u) => u.split('/node_modules/').pop()!.split('/').slice(0, 2).join('/')))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const heavyIn = (pkgs: string[], list = HEAVY) => pkgs.filter((p) => list.some((h) => p.startsWith(h)));

describe('start-up imports', () => {
  test('summary resnet50 loads no engine and no renderer', () => {
    const pkgs = loadedPackages(['summary', 'resnet50', '--format', 'json']);
    assert.ok(pkgs.some((p) => p.startsWith('commander')), `the hook sees packages: ${pkgs.join(', ')}`);
    assert.deepEqual(heavyIn(pkgs, NOT_FOR_SUMMARY), []);
  });

  test('--help registers every command yet loads no engine and no renderer (commands import them inside actions)', () => {
    assert.deepEqual(heavyIn(loadedPackages(['--help'])), []);
  });

  test('the check can fail: drawing a chart does load vega and resvg', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'convlab-chart-')), 'c.png');
    const heavy = heavyIn(loadedPackages(['chart', 'layers', 'lenet5', '-o', out]));
    assert.ok(heavy.some((p) => p.startsWith('vega')) && heavy.some((p) => p.startsWith('@resvg')), heavy.join(', '));
  });
});
