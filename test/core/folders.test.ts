/**
 * Run folders (`train --out`, `data download --to`): refused before any work inside /proc or
 * /sys, below a file, or over an earlier run unless --resume or --force says what to do with it;
 * created one ancestor at a time.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { checkFolder, makeFolder } from '../../src/core/folders.js';
import { messages } from '../../src/core/messages.js';
import { flagOf } from '../../src/cli/options.js';
import { CHECKPOINT_FILE } from '../../src/runtime/tfjs/run_folder.js';
import { CLI, runCli } from '../cli/cli_helpers.js';
import { dataDir } from '../helpers/paths.js';
import { serveFolder, type TestServer } from '../data/server.js';

const temp = () => mkdtempSync(join(tmpdir(), 'convlab-folders-'));
const kernel = (dir: string, what: string, root: string) => messages.badFolder(dir, what, `it is inside ${root}, a kernel file system; choose a folder on disk`);
const TRAIN = ['train', 'lenet5', '--dataset', 'mnist', '--data', dataDir(), '--limit', '64', '--batch-size', '32', '--epochs', '1', '--no-test', '--threads', '1', '--no-progress'];

describe('checkFolder and makeFolder', () => {
  test('/proc and /sys are refused, however deep and however reached', () => {
    for (const [dir, root] of [['/proc/x', '/proc'], ['/proc/x/y/z', '/proc'], ['/sys/x', '/sys'], ['/proc', '/proc']] as const) {
      assert.throws(() => checkFolder(dir, 'run folder'), (e: unknown) => e instanceof UsageError && e.message === kernel(dir, 'run folder', root));
      assert.throws(() => makeFolder(dir), UsageError);
    }
  });

  test('a file in the way is named', () => {
    const dir = temp();
    writeFileSync(join(dir, 'f'), '');
    assert.throws(() => checkFolder(join(dir, 'f'), 'run folder'), (e: unknown) => e instanceof Error && e.message === messages.badFolder(join(dir, 'f'), 'run folder', 'it is a file, not a folder'));
    assert.throws(() => checkFolder(join(dir, 'f', 'a', 'b'), 'run folder'), (e: unknown) => e instanceof Error && e.message === messages.badFolder(join(dir, 'f', 'a', 'b'), 'run folder', `${join(dir, 'f')} is a file, not a folder`));
  });

  test('an existing folder with files needs resume or force; an empty or missing one does not', () => {
    const dir = temp();
    assert.deepEqual(checkFolder(dir, 'run folder'), { existing: false });
    assert.deepEqual(checkFolder(join(dir, 'new', 'deeper'), 'run folder'), { existing: false });
    writeFileSync(join(dir, 'model.json'), '{}');
    assert.throws(() => checkFolder(dir, 'run folder', {}, flagOf), (e: unknown) => e instanceof UsageError && e.message === messages.folderInUse(dir, 'run folder', flagOf));
    assert.match(messages.folderInUse(dir, 'run folder', flagOf), /continue it with --resume, replace it with --force/);
    assert.deepEqual(checkFolder(dir, 'run folder', { resume: true }), { existing: true });
    assert.deepEqual(checkFolder(dir, 'run folder', { force: true }), { existing: true });
  });

  test('makeFolder creates every missing ancestor and accepts an existing folder', () => {
    const dir = join(temp(), 'a', 'b', 'c');
    makeFolder(dir);
    assert.ok(statSync(dir).isDirectory());
    makeFolder(dir);
  });
});

describe('convlab train --out', () => {
  test('/proc/x is refused at once, before the data load (exit 2, one line)', () => {
    const r = runCli([...TRAIN.slice(0, 4), '--data', '/nonexistent', '--out', '/proc/x']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `convlab: ${kernel('/proc/x', 'run folder', '/proc')}\n`);
  });

  test('an existing run is never overwritten: exit 2 naming --resume and --force, files untouched', () => {
    const out = temp();
    writeFileSync(join(out, 'model.json'), 'earlier run');
    const r = runCli([...TRAIN, '--out', out]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `convlab: ${messages.folderInUse(out, 'run folder', flagOf)}\n`);
    assert.equal(readFileSync(join(out, 'model.json'), 'utf8'), 'earlier run');
  });

  test('--resume without a checkpoint names the file it looked for, before any work', () => {
    const out = temp();
    const r = runCli([...TRAIN.slice(0, 4), '--data', '/nonexistent', '--out', out, '--resume']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `convlab: ${messages.noCheckpoint(out, CHECKPOINT_FILE, flagOf)}\n`);
    assert.match(r.stderr, /expected checkpoint\.ckpt/);
  });

  test('--force replaces an earlier run: its stale files are gone, the new run is complete', () => {
    const out = temp();
    writeFileSync(join(out, 'log.jsonl'), '{"stale":true}\n');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const r = runCli([...TRAIN, '--out', out, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(readFileSync(join(out, 'log.jsonl'), 'utf8'), /stale/);
    assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'mine', 'files a run does not write are left alone');
    for (const f of ['model.json', 'weights.bin', 'spec.json', CHECKPOINT_FILE]) assert.ok(existsSync(join(out, f)), f);
  });
});

describe('convlab data download --to', () => {
  let server: TestServer;
  before(async () => {
    server = await serveFolder(dataDir());
  });
  after(() => server.close());
  // Asynchronous: the server answers from this process, so a synchronous child would wait on it forever.
  const download = async (to: string, ...extra: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const args = [CLI, 'data', 'download', 'mnist', '--to', to, '--base-url', `${server.url}/mnist/`, '--split', 'test', ...extra];
    return new Promise((resolve) => {
      execFile(process.execPath, args, { timeout: 60_000 }, (e, stdout, stderr) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr }));
    });
  };

  test('/proc/x/mnist is refused at once (exit 2, one line)', async () => {
    const r = await download('/proc/x/mnist');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `convlab: ${kernel('/proc/x/mnist', 'download folder', '/proc')}\n`);
  });

  test('a folder holding files needs --resume or --force; --force fetches afresh, --resume keeps what is verified', async () => {
    const to = join(temp(), 'mnist');
    mkdirSync(to);
    writeFileSync(join(to, 't10k-labels-idx1-ubyte.gz'), 'not the real file');
    const refused = await download(to);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, `convlab: ${messages.folderInUse(to, 'download folder', flagOf)}\n`);
    assert.equal(readFileSync(join(to, 't10k-labels-idx1-ubyte.gz'), 'utf8'), 'not the real file');
    const forced = await download(to, '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(readFileSync(join(to, 't10k-labels-idx1-ubyte.gz')), readFileSync(join(dataDir(), 'mnist', 't10k-labels-idx1-ubyte.gz')));
    const resumed = await download(to, '--resume');
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /t10k-labels-idx1-ubyte\.gz {2}present/);
    assert.deepEqual(readdirSync(to).sort(), ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
  });
});
