/**
 * The published package: `npm pack`, unpacked into a scratch project's node_modules (its
 * dependencies linked from this checkout, so nothing is downloaded), must serve every import the
 * README and docs/ show through package.json `exports`, and its command line must run.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from './helpers/paths.js';

/** One `import … from 'convlab…'` line of the docs: where it is, the specifier and the value names it takes. */
interface DocImport {
  where: string;
  specifier: string;
  names: string[];
}

/** Every import shown in the TypeScript blocks of README.md and docs/*.md; `specifier` may be a repository path. */
function docImports(root: string): DocImport[] {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
  const out: DocImport[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const block of text.matchAll(/```(?:ts|typescript|js)\n([\s\S]*?)```/g)) {
      for (const m of block[1]!.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']*)';/gm)) {
        const names = m[1] ? [] : m[2]!.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ')).map((n) => n.split(/\s+as\s+/)[0]!);
        out.push({ where: file, specifier: m[3]!, names });
      }
    }
  }
  return out;
}

describe('the packed package', { timeout: 180_000 }, () => {
  const root = repoRoot();
  let project = '';

  before(() => {
    project = mkdtempSync(join(tmpdir(), 'convlab-pack-'));
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ filename: string }>;
    const pkg = join(project, 'node_modules', 'convlab');
    mkdirSync(pkg, { recursive: true });
    execFileSync('tar', ['-xzf', join(project, packed[0]!.filename), '-C', pkg, '--strip-components=1']);
    // The package's dependencies, linked from this checkout's node_modules (hoisted, so transitive ones too).
    for (const name of readdirSync(join(root, 'node_modules'))) {
      if (name.startsWith('.')) continue;
      symlinkSync(join(root, 'node_modules', name), join(project, 'node_modules', name), 'dir');
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'convlab-pack-check', type: 'module', private: true }));
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  const node = (script: string) => execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  test('every import the docs show resolves through `exports` and names an export', (t) => {
    const all = docImports(root);
    assert.deepEqual(all.filter((i) => !i.specifier.startsWith('convlab')).map((i) => `${i.where}: ${i.specifier}`), [], 'the docs import the package, never repository paths');
    const imports = all.filter((i) => i.specifier.startsWith('convlab'));
    t.diagnostic(`${imports.length} imports in the docs, from ${[...new Set(imports.map((i) => i.specifier))].join(', ')}`);
    assert.ok(imports.length >= 10 && imports.some((i) => i.specifier === 'convlab/runtime/onnx'), 'the docs show imports of the package');
    const script = imports.map((imp, k) => `import * as m${k} from '${imp.specifier}';`).join('\n') + `
const missing = [];
${imports.map((imp, k) => `for (const n of ${JSON.stringify(imp.names)}) if (!(n in m${k})) missing.push(${JSON.stringify(`${imp.where}: ${imp.specifier}`)} + ' has no ' + n);`).join('\n')}
console.log(JSON.stringify(missing));`;
    assert.deepEqual(JSON.parse(node(script)), []);
  });

  test('deep paths into dist/ are not part of the package surface', () => {
    assert.throws(() => node("await import('convlab/dist/src/zoo/index.js');"), /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  test('the packed command line runs: convlab summary lenet5', () => {
    const out = execFileSync(process.execPath, [join(project, 'node_modules', 'convlab', 'dist', 'src', 'cli', 'main.js'), 'summary', 'lenet5', '--format', 'json'], { cwd: project, encoding: 'utf8' });
    assert.equal(JSON.parse(out).totals.params, 61_706);
  });
});
