/**
 * CIFAR-10 and the digits, each one published file, against a local server on 127.0.0.1; the
 * CIFAR-10 subset the tests read cut from full batch files; and the tests' own data fallback.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar';
import { DataError } from '../../src/core/errors.js';
import { downloadDataset, loadDataset, PACKED, unpackCifar10 } from '../../src/data/index.js';
import { dataDir, dataDirFor } from '../helpers/paths.js';
import { TEST_SETS, writeCifarSubset } from '../../scripts/test_data.js';
import { tempDir } from './fixtures.js';
import { serveFolder, type TestServer } from './server.js';

const shared = dataDir();
const subsetRecords = (split: 'train' | 'test') => gunzipSync(readFileSync(join(shared, 'cifar10-subset', `${split}.bin.gz`)));
const RECORD = 3073;

/** A CIFAR-10 binary archive laid out as published, with `records` records per batch taken from the shared subset. */
async function cifarArchive(path: string, records: number, cut?: { member: string; bytes: number }): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'convlab-cifar-'));
  const folder = join(root, 'cifar-10-batches-bin');
  mkdirSync(folder);
  const train = subsetRecords('train');
  for (let i = 1; i <= 5; i++) writeFileSync(join(folder, `data_batch_${i}.bin`), train.subarray((i - 1) * records * RECORD, i * records * RECORD));
  writeFileSync(join(folder, 'test_batch.bin'), subsetRecords('test').subarray(0, records * RECORD));
  writeFileSync(join(folder, 'batches.meta.txt'), readFileSync(join(shared, 'cifar10-subset', 'batches.meta.txt')));
  writeFileSync(join(folder, 'readme.html'), '<p>CIFAR-10</p>');
  if (cut) writeFileSync(join(folder, cut.member), readFileSync(join(folder, cut.member)).subarray(0, cut.bytes));
  await tar.c({ gzip: true, file: path, cwd: root }, ['cifar-10-batches-bin']);
  rmSync(root, { recursive: true, force: true });
}

describe('CIFAR-10 and the digits, one published file each', () => {
  let server: TestServer;
  let mirror: string;
  before(async () => {
    // Made here, not with tempDir: a folder tempDir makes inside a hook is removed when the hook ends.
    mirror = mkdtempSync(join(tmpdir(), 'convlab-mirror-'));
    mkdirSync(join(mirror, 'digits'));
    // UCI serves the digits with CRLF lines; the check reads the text with LF line ends.
    const text = gunzipSync(readFileSync(join(shared, 'digits', 'digits.csv.gz'))).toString('utf8');
    writeFileSync(join(mirror, 'digits', 'optdigits.tes'), text.replace(/\n/g, '\r\n'));
    mkdirSync(join(mirror, 'cifar10'));
    await cifarArchive(join(mirror, 'cifar10', PACKED.cifar10.file), 3);
    for (const set of ['mnist', 'fashion-mnist']) {
      mkdirSync(join(mirror, set));
      for (const f of readdirSync(join(shared, set))) writeFileSync(join(mirror, set, f), readFileSync(join(shared, set, f)));
    }
    server = await serveFolder(mirror);
  });
  after(async () => {
    await server.close();
    rmSync(mirror, { recursive: true, force: true });
  });

  test('the digits: fetched, checked with LF line ends, written as digits.csv that loads 1,797 samples', async () => {
    const dir = tempDir();
    const result = await downloadDataset('digits', dir, { baseUrl: `${server.url}/digits/` });
    assert.deepEqual(result.files.map((f) => [f.file, f.status, f.md5]), [['digits.csv', 'downloaded', PACKED.digits.md5]]);
    assert.deepEqual(readdirSync(dir), ['digits.csv'], 'only the CSV stays');
    const [train, test] = await Promise.all([loadDataset('digits', dir, 'train'), loadDataset('digits', dir, 'test')]);
    assert.equal(train.count + test.count, 1797);
    const again = await downloadDataset('digits', dir, { baseUrl: `${server.url}/digits/` });
    assert.equal(again.files[0]!.status, 'present');
  });

  test('digits with other content are refused and nothing is kept', async () => {
    const dir = tempDir();
    server.override.set('/digits/optdigits.tes', Buffer.from('0,1,2\n'));
    try {
      await assert.rejects(downloadDataset('digits', dir, { baseUrl: `${server.url}/digits/` }), (e: Error) => e instanceof DataError && /of its text \(LF line ends\) does not match the expected a0339c30/.test(e.message));
    } finally {
      server.override.delete('/digits/optdigits.tes');
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  test('CIFAR-10: an archive other than the published one fails its MD5; nothing is kept or unpacked', async () => {
    const dir = tempDir();
    await assert.rejects(downloadDataset('cifar10', dir, { baseUrl: `${server.url}/cifar10/` }), new RegExp(`does not match the published ${PACKED.cifar10.md5}`));
    assert.deepEqual(readdirSync(dir), []);
  });

  test('CIFAR-10: the batches and class names a split needs are unpacked and load; other members are left out', async () => {
    const dir = tempDir();
    const archive = join(tempDir(), PACKED.cifar10.file);
    await cifarArchive(archive, 3);
    const test = await unpackCifar10(archive, dir, ['test']);
    assert.deepEqual(test.map((p) => p.slice(dir.length + 1)), ['test_batch.bin', 'batches.meta.txt']);
    await unpackCifar10(archive, dir, ['train', 'test']);
    assert.deepEqual(readdirSync(dir).sort(), ['batches.meta.txt', 'data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']);
    const train = await loadDataset('cifar10', dir, 'train');
    assert.equal(train.count, 15);
    assert.deepEqual(Array.from(train.labels.subarray(0, 5)), [6, 9, 9, 4, 1], 'the records in archive order');
    assert.equal(train.classes[0], 'airplane');
  });

  test('CIFAR-10: a cut batch or a file that is no archive is refused, naming the file and member', async () => {
    const dir = tempDir();
    const archive = join(tempDir(), PACKED.cifar10.file);
    await cifarArchive(archive, 2, { member: 'test_batch.bin', bytes: RECORD + 10 });
    await assert.rejects(unpackCifar10(archive, dir, ['test']), (e: Error) => e instanceof DataError && e.message.includes(`${archive}: cifar-10-batches-bin/test_batch.bin is missing or not whole`));
    const junk = join(tempDir(), 'junk.tar.gz');
    writeFileSync(junk, 'not an archive');
    await assert.rejects(unpackCifar10(junk, dir, ['test']), (e: Error) => e instanceof DataError && e.message.startsWith(`${junk}: not a readable gzip tar archive`));
    assert.deepEqual(readdirSync(dir), [], 'nothing half-unpacked stays');
  });

  test('the CIFAR-10 subset the tests read is the first records of data_batch_1 and test_batch', () => {
    const full = tempDir();
    // A stand-in for the full set whose first records are the subset's, with more after them.
    writeFileSync(join(full, 'data_batch_1.bin'), Buffer.concat([subsetRecords('train'), subsetRecords('test')]));
    writeFileSync(join(full, 'test_batch.bin'), Buffer.concat([subsetRecords('test'), subsetRecords('test')]));
    writeFileSync(join(full, 'batches.meta.txt'), readFileSync(join(shared, 'cifar10-subset', 'batches.meta.txt')));
    const out = join(tempDir(), 'cifar10-subset');
    writeCifarSubset(full, out);
    for (const split of ['train', 'test'] as const) assert.deepEqual(gunzipSync(readFileSync(join(out, `${split}.bin.gz`))), subsetRecords(split));
  });

  test('the tests fetch their data into convlab cache when neither CONVLAB_DATA nor the shared folder is there', async () => {
    const cache = tempDir();
    const env: NodeJS.ProcessEnv = { ...process.env, CONVLAB_CACHE: cache, CONVLAB_DATA_MIRROR: server.url };
    delete env['CONVLAB_DATA'];
    assert.equal(dataDirFor({ ...env, CONVLAB_DATA: '/data/here' }, shared), '/data/here');
    assert.equal(dataDirFor(env, shared), shared);
    // The fetch script with this mirror: MNIST and the digits arrive whole and marked complete.
    const dir = join(cache, 'test-data');
    const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'fetch_test_data.js');
    // Run asynchronously: the server answering it lives in this process.
    await promisify(execFile)(process.execPath, [script, dir, 'mnist,digits'], { env });
    assert.ok(existsSync(join(dir, 'mnist', '.complete')) && existsSync(join(dir, 'digits', '.complete')));
    assert.deepEqual(readFileSync(join(dir, 'mnist', 't10k-labels-idx1-ubyte.gz')), readFileSync(join(shared, 'mnist', 't10k-labels-idx1-ubyte.gz')));
    // With no server behind the mirror, the fallback fails at the first missing set and marks nothing.
    const down = { ...env, CONVLAB_DATA_MIRROR: 'http://127.0.0.1:1' };
    assert.throws(() => dataDirFor(down, join(cache, 'no-shared-data')), /Command failed: .*fetch_test_data\.js/);
    assert.ok(!existsSync(join(dir, 'fashion-mnist', '.complete')));
    // Once every set is marked complete, the cache is the data folder, with nothing fetched.
    for (const s of TEST_SETS) {
      mkdirSync(join(dir, s), { recursive: true });
      writeFileSync(join(dir, s, '.complete'), '');
    }
    assert.equal(dataDirFor(env, join(cache, 'no-shared-data')), dir);
  });
});
