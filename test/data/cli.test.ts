import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/data.js';
import { dataDir } from '../helpers/paths.js';
import { tempDir } from './fixtures.js';
import { serveFolder, type TestServer } from './server.js';

/** Runs `convlab <args>` with only the data command registered, capturing its stdout and stderr. */
async function run(...args: string[]): Promise<{ out: string; err: string; error?: Error }> {
  let out = '';
  let err = '';
  const program = new Command('convlab').exitOverride().configureOutput({
    writeOut: (s) => void (out += s),
    writeErr: (s) => void (err += s),
  });
  register(program);
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err };
  } catch (e) {
    return { out, err, error: e as Error };
  }
}

describe('convlab data', () => {
  let server: TestServer;
  before(async () => {
    server = await serveFolder(dataDir());
  });
  after(() => server.close());

  test('data list shows every data set with its shape and preprocessing', async () => {
    const { out } = await run('data', 'list');
    for (const name of ['mnist', 'fashion-mnist', 'cifar10', 'digits']) assert.match(out, new RegExp(`^${name}\\s`, 'm'));
    assert.match(out, /cifar10\s+32×32×3\s+10\s+yes/);
  });

  test('data info prints counts, shape and the class histogram', async () => {
    const { out, error } = await run('data', 'info', 'digits', '--data', dataDir());
    assert.equal(error, undefined);
    assert.match(out, /train 1,442 +8×8×1 +pixels 0\.\.16/);
    assert.match(out, /test +355 +8×8×1/);
    assert.match(out, /^ {2}0 +143 +35$/m);
    assert.match(out, /every 5th sample of each class is test/);
  });

  test('data info --format json is one JSON document', async () => {
    const { out } = await run('data', 'info', 'cifar10', '--data', dataDir(), '--format', 'json');
    const doc = JSON.parse(out) as { classes: string[]; splits: { split: string; count: number; histogram: number[] }[] };
    assert.equal(doc.classes[6], 'frog');
    assert.deepEqual(doc.splits.map((s) => [s.split, s.count]), [['train', 4000], ['test', 1000]]);
    assert.equal(doc.splits[1]!.histogram.reduce((a, b) => a + b, 0), 1000);
  });

  test('data download fetches from --base-url and reports each file on stderr', async () => {
    const dir = tempDir();
    const { out, err, error } = await run('data', 'download', 'mnist', '--to', dir, '--base-url', `${server.url}/mnist/`, '--split', 'test');
    assert.equal(error, undefined);
    assert.equal(out.trim().split('\n').length, 2);
    assert.match(out, /t10k-labels-idx1-ubyte\.gz {2}downloaded {2}4\.4 KiB {2}md5 27ae3e4e09519cfbb04c329615203637 {2}from http:\/\/127\.0\.0\.1:\d+\/mnist\/t10k-labels-idx1-ubyte\.gz/);
    assert.match(err, /\[2\/2\] t10k-labels-idx1-ubyte\.gz: downloaded \(4\.4 KiB\), MD5 ok/);
    assert.deepEqual(readFileSync(join(dir, 't10k-labels-idx1-ubyte.gz')), readFileSync(join(dataDir(), 'mnist', 't10k-labels-idx1-ubyte.gz')));
  });

  test('errors are convlab errors with one-line messages', async () => {
    const a = await run('data', 'download', 'svhn', '--to', tempDir());
    assert.equal(a.error?.name, 'UsageError');
    assert.equal(a.error?.message, 'dataset "svhn" cannot be downloaded; downloadable: mnist, fashion-mnist, cifar10, digits');
    const b = await run('data', 'info', 'mnist', '--data', tempDir());
    assert.equal(b.error?.name, 'DataError');
    const c = await run('data', 'info', 'svhn', '--data', tempDir());
    assert.match(c.error?.message ?? '', /unknown dataset "svhn"/);
  });

  test('--help shows real examples', async () => {
    const { out } = await run('data', 'download', '--help');
    assert.match(out, /--base-url <url>/);
    assert.match(out, /\$ convlab data download mnist --to data\/mnist/);
    assert.match(out, /running the same command with --resume continues it/);
    assert.match(out, /--force +download every file afresh/);
    assert.match((await run('data', 'info', '--help')).out, /\$ convlab data info digits --data/);
  });
});
