/**
 * convlab's layers, enforced: core → graph types → ops → graph → analysis → zoo → rewrite → report →
 * formats → runtimes → cli / serve / web. The check reads every import of src/ and web/src/ and
 * fails on an upward import or a cycle; a fixture tree shows that it does fail.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { checkLayers, importsOf, LAYERS, unitOf } from './helpers/layers.js';
import { repoRoot } from './helpers/paths.js';

/** Writes a small source tree; returns its root. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'convlab-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const CLEAN = {
  'src/core/errors.ts': 'export class E extends Error {}\n',
  'src/graph/types.ts': "import type { E } from '../core/errors.js';\nexport type Shape = number[];\n",
  'src/ops/conv.ts': "import type { Shape } from '../graph/types.js';\nexport const s: Shape = [];\n",
  'src/zoo/lenet.ts': "import { s } from '../ops/conv.js';\nexport const net = s;\n",
  'src/cli/main.ts': "const zoo = await import('../zoo/lenet.js');\n",
};

describe('layers', () => {
  test('src/ and web/src/ import only their own layer and those below, with no cycle', (t) => {
    const r = checkLayers(repoRoot());
    t.diagnostic(`${r.files} files, ${r.imports} relative imports, layers ${LAYERS.map((l) => l.name).join(' → ')}`);
    assert.deepEqual(r.unplaced, [], 'every file has a layer');
    assert.deepEqual(r.upward.map((e) => `${e.from} (${e.fromLayer}) imports ${e.to} (${e.toLayer})`), []);
    assert.deepEqual(r.cycles.map((c) => c.join(' → ')), []);
    assert.ok(r.files > 150 && r.imports > 700, `the check saw the tree: ${r.files} files, ${r.imports} imports`);
  });

  test('a fixture tree that keeps the order passes', () => {
    const r = checkLayers(tree(CLEAN));
    assert.equal(r.imports, 4);
    assert.deepEqual([r.upward, r.cycles, r.unplaced], [[], [], []]);
  });

  test('a deliberate upward import fails, naming both files and layers', () => {
    const r = checkLayers(tree({ ...CLEAN, 'src/ops/conv.ts': "import { net } from '../zoo/lenet.js';\nexport const s = [];\n" }));
    assert.deepEqual(r.upward.map((e) => [e.from, e.fromLayer, e.to, e.toLayer]), [['ops/conv.ts', 'ops', 'zoo/lenet.ts', 'zoo']]);
    assert.deepEqual(r.cycles.map((c) => c.join(' → ')), ['ops/conv.ts → zoo/lenet.ts → ops/conv.ts', 'ops/ → zoo/ → ops/']);
  });

  test('a cycle inside one layer fails, files and units alike', () => {
    const r = checkLayers(tree({
      ...CLEAN,
      'src/import/a.ts': "export type { W } from '../weights/w.js';\n",
      'src/weights/w.ts': "import type { A } from '../import/a.js';\nexport type W = A;\n",
    }));
    assert.deepEqual(r.upward, []);
    assert.deepEqual(r.cycles.map((c) => c.join(' → ')), ['import/a.ts → weights/w.ts → import/a.ts', 'import/ → weights/ → import/']);
  });

  test('graph types sit below ops, the rest of graph above them', () => {
    assert.deepEqual([unitOf('graph/types.ts')?.unit, unitOf('graph/graph.ts')?.unit], ['graph/types.ts', 'graph/']);
    assert.ok(unitOf('graph/types.ts')!.layer < unitOf('ops/conv.ts')!.layer && unitOf('ops/conv.ts')!.layer < unitOf('graph/graph.ts')!.layer);
  });

  test('imports are read from code, not from comments: static, dynamic, re-exports and side effects', () => {
    const text = "// import { x } from './no.js';\n/* import('./nor.js') */\nimport a from './a.js';\nexport * from './b.js';\nconst c = await import('./c.js');\nimport './d.js';\nimport { e } from 'node:fs';\n";
    assert.deepEqual(importsOf(text), ['./a.js', './b.js', './c.js', './d.js']);
  });
});
