/**
 * Fetching weights into the Keras cache against a local server on 127.0.0.1: placement under
 * KERAS_HOME, resume after a dropped connection, a hash mismatch refused with nothing left in the
 * cache, the offline message, SHA-256 for files without a published hash.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RuntimeError } from '../../src/core/errors.js';
import { fetchPublished, fetchUrl, kerasModelsDir } from '../../src/weights/load.js';
import { messages } from '../../src/core/messages.js';
import { serveFolder, type TestServer } from '../data/server.js';
import { kerasFixtures } from '../../scripts/keras_fixtures.js';

const md5Of = (path: string) => createHash('md5').update(readFileSync(path)).digest('hex');

let server: TestServer;
let fixtures = '';
let home = '';
before(async () => {
  fixtures = kerasFixtures();
  server = await serveFolder(fixtures);
});
after(async () => {
  await server.close();
});

/** A fresh KERAS_HOME for each test. */
function freshHome(): string {
  home = mkdtempSync(join(tmpdir(), 'convlab-keras-home-'));
  return kerasModelsDir({ KERAS_HOME: home });
}

describe('the Keras cache', () => {
  it('is $KERAS_HOME/models, else ~/.keras/models', () => {
    assert.equal(kerasModelsDir({ KERAS_HOME: '/data/k' }), '/data/k/models');
    assert.match(kerasModelsDir({}), /\/\.keras\/models$/);
  });

  it('receives the file under its Keras name, verified; a second fetch finds it without a request', async () => {
    const modelsDir = freshHome();
    const src = join(fixtures, 'small.h5');
    const w = { url: `${server.url}/small.h5`, file: 'small_weights_tf_dim_ordering_tf_kernels.h5', md5: md5Of(src) };
    const first = await fetchPublished(w, { modelsDir });
    assert.equal(first.status, 'downloaded');
    assert.equal(first.path, join(modelsDir, w.file));
    assert.equal(md5Of(first.path), w.md5);
    const requests = server.requests.length;
    const second = await fetchPublished(w, { modelsDir });
    assert.equal(second.status, 'present');
    assert.equal(server.requests.length, requests);
    rmSync(home, { recursive: true, force: true });
  });

  it('resumes after a dropped connection with a Range request', async () => {
    const modelsDir = freshHome();
    const src = join(fixtures, 'mobilenet_v2_notop.h5');
    server.dropOnce.add('/mobilenet_v2_notop.h5');
    const phases: string[] = [];
    const got = await fetchPublished({ url: `${server.url}/mobilenet_v2_notop.h5`, file: 'm.h5', md5: md5Of(src) }, { modelsDir, onProgress: (p) => phases.push(p.phase) });
    assert.equal(got.status, 'resumed');
    assert.ok(server.requests.some((r) => r.path === '/mobilenet_v2_notop.h5' && r.range !== undefined));
    assert.equal(md5Of(got.path), md5Of(src));
    assert.deepEqual([...new Set(phases)], ['download', 'verify', 'done']);
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses a file whose MD5 is not the published one, leaving nothing in the cache', async () => {
    const modelsDir = freshHome();
    const url = `${server.url}/small.h5`;
    const wrong = '0'.repeat(32);
    await assert.rejects(fetchPublished({ url, file: 'small.h5', md5: wrong }, { modelsDir }), { message: messages.rawChecksum(url, wrong, md5Of(join(fixtures, 'small.h5'))) });
    assert.deepEqual(readdirSync(modelsDir), []);
    rmSync(home, { recursive: true, force: true });
  });

  it('offline: one line naming the URL and the cache path to place the file at', async () => {
    const modelsDir = freshHome();
    const url = 'http://127.0.0.1:9/resnet50_weights_tf_dim_ordering_tf_kernels.h5';
    const path = join(modelsDir, 'resnet50_weights_tf_dim_ordering_tf_kernels.h5');
    await assert.rejects(fetchPublished({ url, file: 'resnet50_weights_tf_dim_ordering_tf_kernels.h5', md5: null }, { modelsDir, retries: 0 }), (e: unknown) => {
      assert.ok(e instanceof RuntimeError);
      assert.ok(e.message.startsWith(`cannot download ${url} (`), e.message);
      assert.ok(e.message.includes(`place the file at ${path} by hand`), e.message);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
    assert.equal(existsSync(path), false);
    rmSync(home, { recursive: true, force: true });
  });

  it('a URL without a published hash is cached under its own name and reports its SHA-256', async () => {
    const modelsDir = freshHome();
    const got = await fetchUrl(`${server.url}/small.weights.h5`, { modelsDir });
    assert.equal(got.path, join(modelsDir, 'small.weights.h5'));
    assert.equal(got.sha256, createHash('sha256').update(readFileSync(join(fixtures, 'small.weights.h5'))).digest('hex'));
    rmSync(home, { recursive: true, force: true });
  });

  it('a cached file whose MD5 differs from the published one is used with a warning', async () => {
    const modelsDir = freshHome();
    const path = join(modelsDir, 'vgg16.h5');
    mkdirSync(modelsDir, { recursive: true });
    writeFileSync(path, 'not the published bytes');
    const warnings: string[] = [];
    const md5 = '64373286793e3c8b2b4e3219cbf3544b';
    const got = await fetchPublished({ url: `${server.url}/none.h5`, file: 'vgg16.h5', md5 }, { modelsDir, onWarning: (w) => warnings.push(w) });
    assert.equal(got.status, 'present');
    assert.deepEqual(warnings, [messages.cachedMismatch(path, md5, md5Of(path))]);
    rmSync(home, { recursive: true, force: true });
  });
});
