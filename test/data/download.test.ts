import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataError, RuntimeError, UsageError } from '../../src/core/errors.js';
import { SOURCES, downloadDataset, type DownloadProgress } from '../../src/data/index.js';
import { dataDir } from '../helpers/paths.js';
import { tempDir } from './fixtures.js';
import { serveFolder, type TestServer } from './server.js';
import { messages } from '../../src/core/messages.js';

const MNIST = SOURCES.mnist.files.map((f) => f.file);
const shared = (file: string) => join(dataDir(), 'mnist', file);

const TEST_FILES = SOURCES.mnist.files.filter((f) => f.split === 'test').map((f) => f.file);
/** Only the test split, to keep these tests fast. */
const TEST_ONLY = { splits: ['test'] as const };

/** A target folder already holding every MNIST test file but `missing`. */
function preparedDir(missing: string): string {
  const dir = tempDir();
  for (const f of TEST_FILES) if (f !== missing) copyFileSync(shared(f), join(dir, f));
  return dir;
}

describe('downloadDataset against a local server on 127.0.0.1', () => {
  let server: TestServer;
  before(async () => {
    server = await serveFolder(dataDir());
  });
  after(() => server.close());

  test('a full download fetches the four files, verifies them and reports progress', async () => {
    const dir = join(tempDir(), 'nested', 'mnist');
    const events: DownloadProgress[] = [];
    const result = await downloadDataset('mnist', dir, { baseUrl: `${server.url}/mnist/`, onProgress: (p) => events.push(p) });
    assert.deepEqual(result.files.map((f) => [f.file, f.status]), MNIST.map((f) => [f, 'downloaded']));
    for (const f of result.files) {
      assert.deepEqual(readFileSync(join(dir, f.file)), readFileSync(shared(f.file)));
      assert.equal(f.md5, SOURCES.mnist.files.find((s) => s.file === f.file)!.md5);
      assert.equal(f.url, `${server.url}/mnist/${f.file}`);
      assert.ok(!existsSync(join(dir, `${f.file}.part`)) && !existsSync(join(dir, `${f.file}.part.json`)));
    }
    const last = events.filter((e) => e.file === 'train-images-idx3-ubyte.gz' && e.phase === 'download').at(-1)!;
    assert.equal(last.bytes, statSync(shared('train-images-idx3-ubyte.gz')).size);
    assert.equal(last.total, last.bytes);
    assert.deepEqual(events.filter((e) => e.phase === 'done').map((e) => e.index), [0, 1, 2, 3]);
    assert.ok(server.requests.every((r) => r.acceptEncoding === 'identity'), 'no transparent decoding of the .gz bytes');

    // Files present and valid are not fetched again.
    const before = server.requests.length;
    const again = await downloadDataset('mnist', dir, { baseUrl: `${server.url}/mnist` });
    assert.deepEqual(again.files.map((f) => f.status), ['present', 'present', 'present', 'present']);
    assert.equal(server.requests.length, before);
  });

  test('splits: only the test files are fetched', async () => {
    const dir = tempDir();
    const mark = server.requests.length;
    const result = await downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/mnist/` });
    assert.deepEqual(result.files.map((f) => f.file), TEST_FILES);
    assert.deepEqual(server.requests.slice(mark).map((r) => r.path), TEST_FILES.map((f) => `/mnist/${f}`));
    await assert.rejects(downloadDataset('mnist', dir, { splits: ['val' as 'test'] }), /unknown split "val"; expected train or test/);
  });

  test('a dropped connection leaves a .part; the next run resumes it with a Range request', async () => {
    const file = 't10k-images-idx3-ubyte.gz';
    const dir = preparedDir(file);
    server.dropOnce.add(`/mnist/${file}`);
    await assert.rejects(downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/mnist/`, retries: 0 }), (e: Error) => {
      assert.ok(e instanceof RuntimeError, String(e));
      assert.match(e.message, new RegExp(`^network error fetching ${server.url}/mnist/${file}: `));
      return true;
    });
    const partSize = statSync(join(dir, `${file}.part`)).size;
    const full = statSync(shared(file)).size;
    assert.ok(partSize > 0 && partSize < full, `part holds ${partSize} of ${full}`);

    const mark = server.requests.length;
    const result = await downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/mnist/` });
    const resumed = server.requests.slice(mark).filter((r) => r.path === `/mnist/${file}`);
    assert.deepEqual(resumed.map((r) => [r.range, r.status]), [[`bytes=${partSize}-`, 206]]);
    assert.ok(resumed[0]!.ifRange, 'If-Range carries the validator of the first response');
    assert.equal(result.files.find((f) => f.file === file)!.status, 'resumed');
    assert.deepEqual(readFileSync(join(dir, file)), readFileSync(shared(file)));
  });

  test('within one run, a dropped connection is retried with Range automatically', async () => {
    const file = 't10k-images-idx3-ubyte.gz';
    const dir = preparedDir(file);
    server.dropOnce.add(`/mnist/${file}`);
    const mark = server.requests.length;
    const result = await downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/mnist/` });
    const hits = server.requests.slice(mark).filter((r) => r.path === `/mnist/${file}`);
    assert.equal(hits.length, 2);
    assert.equal(hits[0]!.range, undefined);
    assert.match(hits[1]!.range ?? '', /^bytes=\d+-$/);
    assert.equal(result.files.find((f) => f.file === file)!.status, 'resumed');
  });

  test('a .part whose source changed (If-Range mismatch) is fetched again from the start', async () => {
    const file = 't10k-labels-idx1-ubyte.gz';
    const dir = preparedDir(file);
    const url = `${server.url}/mnist/${file}`;
    writeFileSync(join(dir, `${file}.part`), Buffer.from('stale bytes from another version'));
    writeFileSync(join(dir, `${file}.part.json`), JSON.stringify({ url, validator: '"old-etag"' }));
    const mark = server.requests.length;
    const result = await downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/mnist/` });
    const hits = server.requests.slice(mark).filter((r) => r.path === `/mnist/${file}`);
    assert.deepEqual(hits.map((h) => [h.ifRange, h.status]), [['"old-etag"', 200]]);
    assert.equal(result.files.find((f) => f.file === file)!.status, 'downloaded');
    assert.deepEqual(readFileSync(join(dir, file)), readFileSync(shared(file)));
  });

  test('a complete .part left by a crash is verified (the server answers 416) and renamed', async () => {
    const file = 't10k-labels-idx1-ubyte.gz';
    const dir = preparedDir(file);
    copyFileSync(shared(file), join(dir, `${file}.part`));
    writeFileSync(join(dir, `${file}.part.json`), JSON.stringify({ url: `${server.url}/mnist/${file}` }));
    const mark = server.requests.length;
    const result = await downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/mnist/` });
    assert.deepEqual(server.requests.slice(mark).map((r) => r.status), [416]);
    assert.equal(result.files.find((f) => f.file === file)!.status, 'resumed');
  });

  test('corrupted content fails the checksum, naming file, expected and received; the .part is removed', async () => {
    const file = 't10k-labels-idx1-ubyte.gz';
    const dir = preparedDir(file);
    const content = gunzipSync(readFileSync(shared(file)));
    content[100] = (content[100]! + 1) % 10;
    server.override.set(`/corrupt/${file}`, gzipSync(content));
    await assert.rejects(downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/corrupt/` }), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, new RegExp(`^${join(dir, file).replace(/[.]/g, '\\.')} \\(downloaded from ${server.url}/corrupt/${file.replace(/[.]/g, '\\.')}\\): checksum mismatch: expected MD5 27ae3e4e09519cfbb04c329615203637 of the uncompressed content; received [0-9a-f]{32}$`));
      return true;
    });
    assert.ok(!existsSync(join(dir, `${file}.part`)) && !existsSync(join(dir, file)));
  });

  test('a truncated gzip from the server is a DataError, not a bad file in place', async () => {
    const file = 't10k-labels-idx1-ubyte.gz';
    const dir = preparedDir(file);
    server.override.set(`/truncated/${file}`, readFileSync(shared(file)).subarray(0, 2000));
    await assert.rejects(downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/truncated/` }), (e: Error) => e instanceof DataError && new RegExp(`\\(downloaded from ${server.url}/truncated/${file}\\): truncated gzip data: the compressed stream ends early at byte offset 2,000`).test(e.message));
    assert.ok(!existsSync(join(dir, file)));
  });

  test('aborting mid-file keeps the .part and says how to resume', async () => {
    const file = 't10k-images-idx3-ubyte.gz';
    const dir = preparedDir(file);
    const ac = new AbortController();
    const onProgress = (p: DownloadProgress) => {
      if (p.phase === 'download' && p.bytes > 0) ac.abort();
    };
    await assert.rejects(downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/mnist/`, signal: ac.signal, onProgress }), (e: Error) => {
      assert.ok(e instanceof RuntimeError);
      assert.match(e.message, new RegExp(`^download of ${server.url}/mnist/${file} interrupted after [\\d,]+ bytes; run the same command with resume to continue$`));
      return true;
    });
    assert.ok(statSync(join(dir, `${file}.part`)).size > 0);
  });

  test('a server that stops sending is abandoned after the idle timeout, naming the URL', async () => {
    const file = 't10k-labels-idx1-ubyte.gz';
    const dir = preparedDir(file);
    server.stall.add(`/stall/${file}`);
    server.override.set(`/stall/${file}`, readFileSync(shared(file)));
    await assert.rejects(
      downloadDataset('mnist', dir, { ...TEST_ONLY, baseUrl: `${server.url}/stall/`, retries: 0, idleTimeoutMs: 300 }),
      (e: Error) => e instanceof RuntimeError && e.message === messages.timeout(`${server.url}/stall/${file}`, 0.3),
    );
  });

  test('a 404 names the status and the URL', async () => {
    const dir = tempDir();
    await assert.rejects(
      downloadDataset('mnist', dir, { baseUrl: `${server.url}/nowhere/` }),
      (e: Error) => e instanceof RuntimeError && e.message === messages.httpStatus(`${server.url}/nowhere/train-images-idx3-ubyte.gz`, 404, 'Not Found'),
    );
  });
});

describe('downloadDataset errors without a server', () => {
  test('a refused connection is a network error naming the URL', async () => {
    const s = await serveFolder(dataDir());
    const url = s.url;
    await s.close();
    await assert.rejects(downloadDataset('fashion-mnist', tempDir(), { baseUrl: url, retries: 0 }), (e: Error) => {
      assert.ok(e instanceof RuntimeError);
      assert.equal(e.message, messages.network(`${url}/train-images-idx3-ubyte.gz`, 'ECONNREFUSED'));
      return true;
    });
  });

  test('bad names and base URLs are usage errors', async () => {
    await assert.rejects(downloadDataset('svhn' as 'mnist', tempDir()), (e: Error) => e instanceof UsageError && /dataset "svhn" cannot be downloaded; downloadable: mnist, fashion-mnist, cifar10, digits/.test(e.message));
    await assert.rejects(downloadDataset('cifar10', tempDir(), { baseUrl: 'ftp://127.0.0.1/' }), (e: Error) => e instanceof UsageError && /base URL must be an http:\/\/ or https:\/\/ URL/.test(e.message));
    await assert.rejects(downloadDataset('mnist', tempDir(), { baseUrl: 'ftp://127.0.0.1/' }), /base URL must be an http:\/\/ or https:\/\/ URL; received "ftp:\/\/127\.0\.0\.1\/"/);
  });

  test('an aborted signal stops before any request', async () => {
    const s = await serveFolder(dataDir());
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(downloadDataset('mnist', tempDir(), { baseUrl: s.url + '/mnist/', signal: ac.signal }), /interrupted after 0 bytes; run the same command with resume to continue/);
    await s.close();
  });
});
