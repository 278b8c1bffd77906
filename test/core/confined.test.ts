/** The one confined reader: paths named by manifests and data set folders stay inside their folder, as written and through links. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { confinedPath } from '../../src/core/confined.js';
import { DataError } from '../../src/core/errors.js';
import { messages } from '../../src/core/messages.js';
import { loadDataset } from '../../src/data/load.js';
import { dataDir } from '../helpers/paths.js';

const temp = () => mkdtempSync(join(tmpdir(), 'convlab-confined-'));

describe('confinedPath', () => {
  const root = temp();
  const folder = join(root, 'model');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, 'sub', 'w.bin'), '');
  writeFileSync(join(root, 'outside.bin'), '');
  symlinkSync('../outside.bin', join(folder, 'out-link'));
  symlinkSync('sub/w.bin', join(folder, 'in-link'));
  symlinkSync(root, join(folder, 'up'));

  const cases: Array<[string, string, boolean]> = [
    ['a file in the folder', 'sub/w.bin', true],
    ['a link that stays inside', 'in-link', true],
    ['a missing file (reported by the caller)', 'absent.bin', true],
    ['a file named like a parent', '..w.bin', true],
    ['a parent path', '../outside.bin', false],
    ['a path that leaves and comes back elsewhere', 'sub/../../outside.bin', false],
    ['an absolute path', '/etc/passwd', false],
    ['a link to a file outside', 'out-link', false],
    ['a path through a link to a folder outside', 'up/outside.bin', false],
  ];
  for (const [what, path, ok] of cases) {
    test(`${what}: ${ok ? 'accepted' : 'refused'}`, () => {
      if (ok) assert.equal(confinedPath(folder, path, 'model.json'), join(folder, path));
      else assert.throws(() => confinedPath(folder, path, 'model.json'), (e: unknown) => e instanceof DataError && e.message === messages.pathEscapes('model.json', path, folder));
    });
  }
});

describe('data set folders read through the confined reader', () => {
  test('a data set file that is a link out of its folder is refused', async () => {
    const dir = join(temp(), 'mnist');
    mkdirSync(dir);
    for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) symlinkSync(join(dataDir(), 'mnist', f), join(dir, f));
    await assert.rejects(loadDataset('mnist', dir, 'test', { limit: 2 }), (e: unknown) => e instanceof DataError && e.message === messages.pathEscapes(dir, 't10k-images-idx3-ubyte.gz', dir));
  });
});
