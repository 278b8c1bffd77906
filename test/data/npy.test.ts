/** .npy files: NumPy's own bytes read back, float32 written and re-read, bad files named with their offset. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataError } from '../../src/core/errors.js';
import { readNpy, writeNpy } from '../../src/data/npy.js';

const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'convlab-npy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Saves arrays with NumPy itself: what users' scripts write. */
function numpySave(code: string): void {
  execFileSync(PYTHON, ['-c', `import numpy as np\nd=${JSON.stringify(dir)}\n${code}`]);
}

describe('readNpy', () => {
  it('reads every dtype NumPy saves for float and integer arrays', () => {
    numpySave([
      "a = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 8 - 1",
      "for t in ['float32', 'float64', 'float16']: np.save(f'{d}/{t}.npy', a.astype(t))",
      "for t in ['int64', 'int32', 'uint8']: np.save(f'{d}/{t}.npy', np.arange(24).reshape(2, 3, 4).astype(t))",
      "np.save(f'{d}/scalar.npy', np.float32(2.5))",
    ].join('\n'));
    for (const t of ['float32', 'float64', 'float16']) {
      const x = readNpy(readFileSync(join(dir, `${t}.npy`)), t);
      assert.deepEqual(x.shape, [2, 3, 4]);
      assert.deepEqual(Array.from(x.data), Array.from({ length: 24 }, (_, i) => i / 8 - 1), t);
    }
    for (const t of ['int64', 'int32', 'uint8']) {
      assert.deepEqual(Array.from(readNpy(readFileSync(join(dir, `${t}.npy`)), t).data), Array.from({ length: 24 }, (_, i) => i), t);
    }
    const s = readNpy(readFileSync(join(dir, 'scalar.npy')), 'scalar');
    assert.deepEqual([s.shape, Array.from(s.data)], [[], [2.5]]);
  });

  it('writes float32 that NumPy reads back exactly', () => {
    const data = Float32Array.from({ length: 30 }, (_, i) => Math.sin(i) * 1e3);
    const file = join(dir, 'out.npy');
    const bytes = writeNpy(data, [2, 5, 3]);
    assert.equal((bytes.length - data.length * 4) % 64, 0);
    writeFileSync(file, bytes);
    const text = execFileSync(PYTHON, ['-c', `import numpy as np\na=np.load(${JSON.stringify(file)})\nprint(a.dtype, a.shape, repr(a.ravel().tolist()))`]).toString();
    const [dtype, ...rest] = text.trim().split(' ');
    assert.equal(dtype, 'float32');
    assert.match(rest.join(' '), /^\(2, 5, 3\) /);
    assert.deepEqual(readNpy(bytes, 'out.npy').data, data);
  });

  it('names the file, the offset and what was expected for bad files', () => {
    numpySave("np.save(f'{d}/fortran.npy', np.asfortranarray(np.ones((2, 3), np.float32)))\nnp.save(f'{d}/complex.npy', np.ones(3, np.complex64))");
    assert.throws(() => readNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'x.npy'), (e: Error) => e instanceof DataError && /^x\.npy: byte offset 0: not a NumPy/.test(e.message));
    assert.throws(() => readNpy(readFileSync(join(dir, 'fortran.npy')), 'fortran.npy'), /fortran\.npy: the array is in Fortran order/);
    assert.throws(() => readNpy(readFileSync(join(dir, 'complex.npy')), 'complex.npy'), /complex\.npy: dtype "<c8" is not supported; expected one of <f4/);
    const good = writeNpy(new Float32Array(6), [2, 3]);
    assert.throws(() => readNpy(good.subarray(0, good.length - 4), 'cut.npy'), /cut\.npy: byte offset 128: shape \(2, 3\) of <f4 needs 24 data bytes; the file holds 20/);
  });
});

