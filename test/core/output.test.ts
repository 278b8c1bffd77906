/**
 * The one output writer, through `convlab summary -o` as users meet it and through the library:
 * regular files replaced atomically, symlinks followed, character devices (made by mknod in a
 * temporary folder, never the real /dev) and FIFOs written in place, `-` as stdout, and paths that
 * cannot be written refused on one line before any work.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { messages } from '../../src/core/messages.js';
import { checkOutput, writeOutput } from '../../src/core/output.js';
import { runCli } from '../cli/cli_helpers.js';

const temp = () => mkdtempSync(join(tmpdir(), 'convlab-output-'));
const summary = runCli(['summary', 'lenet5']).stdout;

/** Why a mknod test cannot run here, or undefined when it can. */
function mknodUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'mknod needs root; these tests run as an ordinary user';
  const probe = join(temp(), 'probe');
  const r = spawnSync('mknod', [probe, 'c', '1', '3']);
  return r.status === 0 ? undefined : `mknod failed here (${String(r.stderr).trim() || r.error?.message}); a container without CAP_MKNOD`;
}
const noMknod = mknodUnavailable();
if (noMknod) console.log(`# character device tests skipped: ${noMknod}`);

/** A character device made in a temporary folder: 1,3 behaves as /dev/null, 1,7 as /dev/full. */
function device(minor: 3 | 7): string {
  const path = join(temp(), minor === 3 ? 'null' : 'full');
  const r = spawnSync('mknod', [path, 'c', '1', String(minor)]);
  assert.equal(r.status, 0, String(r.stderr));
  return path;
}

describe('convlab summary -o: where the output goes', () => {
  test('a regular file is replaced atomically: new content, no temporary file left behind', () => {
    const dir = temp();
    const file = join(dir, 'summary.txt');
    writeFileSync(file, 'old');
    const r = runCli(['summary', 'lenet5', '-o', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(file, 'utf8'), summary);
    assert.deepEqual(readdirSync(dir), ['summary.txt']);
  });

  test('a character device like /dev/null is written in place and stays a device', { skip: noMknod }, () => {
    const dev = device(3);
    const r = runCli(['summary', 'lenet5', '-o', dev]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(dev).isCharacterDevice());
    assert.deepEqual(readdirSync(join(dev, '..')), ['null']);
  });

  test('a device like /dev/full fails on one line, exit 2, and stays a device', { skip: noMknod }, () => {
    const dev = device(7);
    const r = runCli(['summary', 'lenet5', '-o', dev]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `convlab: ${messages.cannotWrite(dev, 'ENOSPC')}\n`);
    assert.ok(lstatSync(dev).isCharacterDevice());
  });

  test('a symlink is followed: the target gets the output, the link stays a link', () => {
    const dir = temp();
    writeFileSync(join(dir, 'target.txt'), 'old');
    symlinkSync('target.txt', join(dir, 'link.txt'));
    const r = runCli(['summary', 'lenet5', '-o', join(dir, 'link.txt')]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(join(dir, 'link.txt')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'link.txt')), 'target.txt');
    assert.equal(readFileSync(join(dir, 'target.txt'), 'utf8'), summary);
  });

  test('a dangling symlink creates its target; a link loop is refused', () => {
    const dir = temp();
    symlinkSync(join(dir, 'made.txt'), join(dir, 'dangling'));
    assert.equal(runCli(['summary', 'lenet5', '-o', join(dir, 'dangling')]).code, 0);
    assert.equal(readFileSync(join(dir, 'made.txt'), 'utf8'), summary);
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    const r = runCli(['summary', 'lenet5', '-o', join(dir, 'a')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^convlab: cannot write .*\/a: more than 40 symbolic links \(a loop\?\)\n$/);
  });

  test('a FIFO is written in place: the reader gets the document, the FIFO stays a FIFO', () => {
    const fifo = join(temp(), 'pipe');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // A reader must hold the FIFO open before the writer opens it; non-blocking, so the test does not wait.
    const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const r = runCli(['summary', 'lenet5', '-o', fifo]);
      assert.equal(r.code, 0, r.stderr);
      const buf = Buffer.alloc(1 << 16);
      const n = readSync(fd, buf);
      assert.equal(buf.subarray(0, n).toString('utf8'), summary);
    } finally {
      closeSync(fd);
    }
    assert.ok(lstatSync(fifo).isFIFO());
  });

  test('-o - is standard output', () => {
    const r = runCli(['summary', 'lenet5', '-o', '-']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, summary);
  });

  test('export -o - writes the ONNX bytes to stdout and the note to stderr', () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.js'), 'export', 'lenet5', '--to', 'onnx', '-o', '-']);
    assert.equal(r.status, 0, String(r.stderr));
    assert.ok(r.stdout.length > 1000);
    assert.match(String(r.stderr), /^wrote standard output \([\d,]+ bytes\)\n$/);
  });

  const refused: Array<[string, (dir: string) => string, (path: string, dir: string) => string]> = [
    ['a folder', (dir) => dir, (p) => messages.cannotWrite(p, 'it is a folder; name a file inside it')],
    ['a file in a missing folder', (dir) => join(dir, 'no', 'such', 'out.txt'), (p, dir) => messages.cannotWrite(p, `folder ${join(dir, 'no', 'such')} does not exist`)],
    ['a file below a file', (dir) => { writeFileSync(join(dir, 'f'), ''); return join(dir, 'f', 'out.txt'); }, (p, dir) => messages.cannotWrite(p, `${join(dir, 'f')} is not a folder`)],
    ['/proc/x', () => '/proc/x/out.txt', (p) => messages.cannotWrite(p, 'folder /proc/x does not exist')],
    ['a unix socket', (dir) => {
      const sock = join(dir, 'sock');
      // The listening process exits without closing, so the socket file stays behind.
      spawnSync(process.execPath, ['-e', "require('net').createServer().listen(process.argv[1], () => process.exit(0))", sock]);
      return sock;
    }, (p) => messages.cannotWrite(p, 'it is a socket; convlab writes files, pipes and character devices')],
  ];
  for (const [what, make, expected] of refused) {
    test(`${what} is refused on one line with exit 2, nothing created`, () => {
      const dir = temp();
      const path = make(dir);
      const before = readdirSync(dir);
      const r = runCli(['summary', 'lenet5', '-o', path]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `convlab: ${expected(path, dir)}\n`);
      assert.equal(r.stdout, '');
      assert.deepEqual(readdirSync(dir), before);
    });
  }
});

describe('writeOutput and checkOutput in the library', () => {
  test('checkOutput names where a path leads', () => {
    const dir = temp();
    assert.deepEqual(checkOutput('-'), { kind: 'stdout' });
    assert.deepEqual(checkOutput(join(dir, 'new.bin')), { kind: 'file', path: join(dir, 'new.bin') });
    const fifo = join(dir, 'p');
    spawnSync('mkfifo', [fifo]);
    assert.deepEqual(checkOutput(fifo), { kind: 'special', path: fifo });
    assert.throws(() => checkOutput(dir), (e: unknown) => e instanceof UsageError && e.message === messages.cannotWrite(dir, 'it is a folder; name a file inside it'));
    assert.throws(() => checkOutput(''), UsageError);
  });

  test('an existing file keeps its permissions when replaced', () => {
    const file = join(temp(), 'kept.txt');
    writeFileSync(file, 'old', { mode: 0o640 });
    writeOutput(file, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
    assert.equal(statSync(file).mode & 0o777, 0o640);
  });

  test('a failed write leaves the old file and no temporary file', { skip: noMknod }, () => {
    // A folder on which the rename cannot happen is hard to make as root; a full device shows the in-place path fails cleanly instead.
    const dev = device(7);
    assert.throws(() => writeOutput(dev, 'x'), (e: unknown) => e instanceof UsageError && e.message === messages.cannotWrite(dev, 'ENOSPC'));
    assert.ok(lstatSync(dev).isCharacterDevice());
  });

  test('data given in chunks is written whole, in order, from a generator read once', () => {
    const file = join(temp(), 'chunks.bin');
    function* parts(): Generator<Uint8Array> {
      for (let i = 0; i < 3; i++) yield new Uint8Array([i, i + 10]);
    }
    writeOutput(file, parts());
    assert.deepEqual([...readFileSync(file)], [0, 10, 1, 11, 2, 12]);
  });

  test('a new file in a fresh folder is created; the folder holds nothing else', () => {
    const dir = join(temp(), 'sub');
    mkdirSync(dir);
    writeOutput(join(dir, 'a.json'), '{}\n');
    assert.deepEqual(readdirSync(dir), ['a.json']);
  });
});
