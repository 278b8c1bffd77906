/** .npy files: NumPy reads what convlab writes (memory-mapped, aligned), convlab reads what NumPy writes, bad files name the byte. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataError } from '../../../src/core/errors.js';
import { messages } from '../../../src/core/messages.js';
import { bytesOf, npyHeader, readFloat32Npy, readNpy, writeNpy } from '../../../src/runtime/torch/npy.js';
import { runPython, torchPython } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-npy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('npy files', () => {
  test('the header pads the data to a 64-byte boundary and states dtype and shape', () => {
    for (const shape of [[3], [2, 3, 4, 5], [], [60000, 1, 32, 32]]) {
      const h = npyHeader('float32', shape);
      assert.equal(h.length % 64, 0, `shape ${shape}`);
      const text = Buffer.from(h.subarray(10)).toString('latin1');
      assert.match(text, new RegExp(`'descr': '<f4'.*'shape': \\(${shape.length === 1 ? `${shape[0]},` : shape.join(', ')}\\)`));
      assert.ok(text.endsWith('\n'));
    }
  });

  test('write then read: values, shape and type survive, in chunks', () => {
    const values = Float32Array.from({ length: 24 }, (_, i) => i / 3 - 2);
    const file = join(dir, 'a.npy');
    writeNpy(file, 'float32', [2, 3, 4], [bytesOf(values.subarray(0, 10)), bytesOf(values.subarray(10))]);
    const back = readNpy(file);
    assert.equal(back.dtype, 'float32');
    assert.deepEqual(back.shape, [2, 3, 4]);
    assert.deepEqual([...back.data], [...values]);
    const labels = Uint8Array.from([3, 1, 4, 1, 5]);
    writeNpy(join(dir, 'y.npy'), 'uint8', [5], [labels]);
    assert.deepEqual([...readNpy(join(dir, 'y.npy')).data], [3, 1, 4, 1, 5]);
  });

  test('bad files: one DataError naming the file and the byte', () => {
    const bad = (name: string, bytes: Uint8Array, offset: number, detail: RegExp) => {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      assert.throws(() => readNpy(file), (e: Error) => e instanceof DataError && e.message.startsWith(`${file}: not a NumPy array file at byte ${offset}: `) && detail.test(e.message));
    };
    bad('magic.npy', Buffer.from('PK\x03\x04 not numpy at all'), 0, /no NumPy magic/);
    const good = readFileSync(join(dir, 'a.npy'));
    const headerEnd = npyHeader('float32', [2, 3, 4]).length;
    bad('short.npy', good.subarray(0, good.length - 4), headerEnd, /92 bytes of data, the shape \(2, 3, 4\) needs 96/);
    const f8 = Buffer.from(good);
    f8.write("'<f8'", good.indexOf("'<f4'"), 'latin1');
    bad('f8.npy', f8, 10, /element type "<f8"/);
    const fortran = Buffer.from(good);
    fortran.write('True ', good.indexOf('False'), 'latin1');
    bad('fortran.npy', fortran, 10, /Fortran order/);
    assert.throws(() => readFloat32Npy(join(dir, 'a.npy'), [4, 6]), { message: messages.npyShape(join(dir, 'a.npy'), [4, 6], [2, 3, 4]) });
    assert.throws(() => readFloat32Npy(join(dir, 'y.npy'), [5]), { message: messages.npyType(join(dir, 'y.npy'), 'float32', 'uint8') });
  });

  test('NumPy memory-maps what convlab writes, and convlab reads what NumPy writes', () => {
    const script = `
import sys, numpy as np
a = np.load(sys.argv[1], mmap_mode="r")
assert isinstance(a, np.memmap) and a.dtype == np.float32 and a.shape == (2, 3, 4), (type(a), a.dtype, a.shape)
print(repr(float(a[1, 2, 3])), repr(float(a.sum())))
np.save(sys.argv[2], np.arange(12, dtype=np.float32).reshape(3, 4) / 8)
np.save(sys.argv[3], np.array(2.5, dtype=np.float32))
np.save(sys.argv[4], np.arange(7, dtype=np.uint8))
`;
    const out = runPython(torchPython().python, script, ['a.npy', 'b.npy', 'scalar.npy', 'u8.npy'].map((f) => join(dir, f))).trim().split(' ');
    const written = readNpy(join(dir, 'a.npy')).data as Float32Array;
    assert.equal(Number(out[0]), written[23]);
    assert.ok(Math.abs(Number(out[1]) - written.reduce((s, v) => s + v, 0)) < 1e-4);
    const b = readNpy(join(dir, 'b.npy'));
    assert.deepEqual(b.shape, [3, 4]);
    assert.deepEqual([...b.data], Array.from({ length: 12 }, (_, i) => i / 8));
    const scalar = readNpy(join(dir, 'scalar.npy'));
    assert.deepEqual([scalar.shape, [...scalar.data]], [[], [2.5]]);
    const u8 = readNpy(join(dir, 'u8.npy'));
    assert.deepEqual([u8.dtype, [...u8.data]], ['uint8', [0, 1, 2, 3, 4, 5, 6]]);
  });
});
