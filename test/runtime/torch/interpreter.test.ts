/** Finding a Python with PyTorch: named ones are the only ones tried; a missing Python or PyTorch is one message saying what to install. */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { UsageError } from '../../../src/core/errors.js';
import { messages } from '../../../src/core/messages.js';
import { findTorchPython, probePython } from '../../../src/runtime/torch/interpreter.js';
import { torchPython } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'convlab-python-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An executable standing in for a Python: prints what the probe would. */
function fakePython(name: string, report: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho '${report}'\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('finding a Python with PyTorch', () => {
  test('no Python at all: says what to install and how to name one', () => {
    const tried = [join(dir, 'missing-python3'), join(dir, 'missing-python')];
    assert.throws(() => findTorchPython({ env: {}, candidates: tried }), (e: Error) => e instanceof UsageError && e.message === messages.noPython(tried));
    assert.match(messages.noPython(tried), /apt-get install python3-torch libopenblas0-pthread/);
  });

  test('Pythons without PyTorch: each named with its problem', () => {
    const bare = fakePython('bare', '{"version": "3.11.7", "error": "no module named torch"}');
    const broken = join(dir, 'not-python');
    writeFileSync(broken, '#!/bin/sh\necho oops >&2\nexit 1\n');
    chmodSync(broken, 0o755);
    assert.throws(() => findTorchPython({ env: {}, candidates: [bare, broken, join(dir, 'absent')] }), (e: Error) =>
      e instanceof UsageError
      && e.message === messages.noTorch([
        { python: bare, problem: 'Python 3.11.7, no module named torch' },
        { python: broken, problem: 'not a working Python 3 (exit code 1: oops)' },
      ])
      && e.message.includes('apt-get install python3-torch libopenblas0-pthread'));
  });

  test('the first Python with PyTorch wins', () => {
    const bare = fakePython('bare2', '{"version": "3.11.7", "error": "no module named numpy"}');
    const good = fakePython('good', '{"version": "3.11.2", "torch": "2.1.0"}');
    assert.deepEqual(findTorchPython({ env: {}, candidates: [bare, good] }), { python: good, version: '3.11.2', torch: '2.1.0' });
  });

  test('--python and CONVLAB_PYTHON are the only Python tried', () => {
    const good = fakePython('good2', '{"version": "3.12.0", "torch": "2.4.0"}');
    const absent = join(dir, 'nowhere', 'python3');
    assert.throws(() => findTorchPython({ python: absent, env: {}, candidates: [good] }), { message: messages.namedPythonFails(absent, 'python', 'not found') });
    assert.throws(() => findTorchPython({ env: { CONVLAB_PYTHON: absent }, candidates: [good] }), { message: messages.namedPythonFails(absent, 'CONVLAB_PYTHON', 'not found') });
    assert.equal(findTorchPython({ env: { CONVLAB_PYTHON: good }, candidates: [] }).torch, '2.4.0');
  });

  test('the real probe reads PyTorch\'s version without importing it', () => {
    const p = probePython(torchPython().python);
    assert.ok(p.ok);
    assert.match(p.info.torch, /^\d+\.\d+/);
  });
});
