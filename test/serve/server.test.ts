/** The explorer's static server: traversal in every spelling is a 404, loopback only, GET/HEAD only. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { defaultWebRoot, LOOPBACK, resolveStaticPath, startServer, type RunningServer } from '../../src/serve/server.js';
import { repoRoot } from '../helpers/paths.js';
import { messages } from '../../src/core/messages.js';
import { fixture, SECRET } from './fixture.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a request with the path exactly as given (Node does not normalise it). */
function fetchRaw(port: number, path: string, o: { method?: string; host?: string; body?: Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: LOOPBACK, port, path, method: o.method ?? 'GET', headers: { host: o.host ?? `${LOOPBACK}:${port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (o.body) req.write(o.body, () => undefined);
    req.end();
  });
}

describe('resolveStaticPath', () => {
  const { root } = fixture();
  const inside: Array<[string, string]> = [
    ['/', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/app.js?v=1#x', join('assets', 'app.js')],
    ['/assets/app%2ejs', join('assets', 'app.js')],
  ];
  for (const [url, file] of inside) test(`serves ${url}`, () => assert.ok(resolveStaticPath(root, url)!.endsWith(file)));
  const refused = [
    '/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/..%2fsecret.txt', '/assets/..%2F..%2Fsecret.txt',
    '/.%2e/secret.txt', '/%252e%252e/secret.txt', '/..\\secret.txt', '/assets/%5c..%5c..%5csecret.txt', '/%c0%ae%c0%ae/secret.txt', '/%',
    '/link.txt', '/up/secret.txt', '/.env', '/%2eenv', '/index.html%00.js', '//secret.txt', 'secret.txt', '/nope.html', '/assets/./app.js',
  ];
  for (const url of refused) test(`refuses ${url}`, () => assert.equal(resolveStaticPath(root, url), null));
});

describe('startServer', () => {
  const { root } = fixture();
  let server: RunningServer;
  before(async () => {
    server = await startServer({ root, port: 0 });
  });
  after(() => server.close());

  test('binds 127.0.0.1 only', () => {
    const addr = server.server.address();
    assert.ok(addr && typeof addr === 'object');
    assert.equal(addr.address, '127.0.0.1');
    assert.equal(server.url, `http://127.0.0.1:${server.port}/`);
  });

  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  test('refuses connections on the machine\'s other addresses', { skip: !external && 'this machine has no non-loopback IPv4 address' }, async () => {
    await assert.rejects(
      new Promise<void>((resolve, reject) => {
        const s = connect({ host: external!, port: server.port }, () => (s.destroy(), resolve()));
        s.on('error', reject);
      }),
      (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED',
    );
  });

  test('GET / serves the page with its type and the security headers', async () => {
    const r = await fetchRaw(server.port, '/');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    assert.match(r.body, /<title>page<\/title>/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
  });

  test('HEAD answers headers without a body', async () => {
    const r = await fetchRaw(server.port, '/assets/app.js', { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/javascript/);
    assert.equal(r.headers['content-length'], String('console.log(1)'.length));
    assert.equal(r.body, '');
  });

  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/..%2Fsecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/link.txt', '/up/secret.txt', '/.env', '/%5c..%5csecret.txt']) {
    test(`GET ${path} is a 404 that leaks nothing`, async () => {
      const r = await fetchRaw(server.port, path);
      assert.equal(r.status, 404);
      assert.equal(r.body, messages.notFound());
      assert.ok(!r.body.includes(SECRET));
    });
  }

  test('an upload is refused with a message and the connection closed, whatever its size', async () => {
    const r = await fetchRaw(server.port, '/', { method: 'POST', body: Buffer.alloc(8 * 1024 * 1024, 120) });
    assert.equal(r.status, 405);
    assert.equal(r.body, messages.staticOnly('POST'));
    assert.equal(r.headers.allow, 'GET, HEAD');
    assert.equal(r.headers.connection, 'close');
  });

  test('PUT and DELETE are refused too', async () => {
    for (const method of ['PUT', 'DELETE']) assert.equal((await fetchRaw(server.port, '/index.html', { method })).status, 405);
  });

  test('a foreign Host header (DNS rebinding) is refused', async () => {
    const r = await fetchRaw(server.port, '/', { host: `evil.example:${server.port}` });
    assert.equal(r.status, 403);
    assert.equal(r.body, messages.badHost(`evil.example:${server.port}`));
    assert.equal((await fetchRaw(server.port, '/', { host: `localhost:${server.port}` })).status, 200);
  });
});

describe('startServer failures', () => {
  test('a root without index.html says how to build the page', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'convlab-serve-empty-'));
    await assert.rejects(startServer({ root: empty }), (e: Error) => e instanceof UsageError && e.message === messages.noPage(empty));
  });
  test('a port out of range', async () => {
    await assert.rejects(startServer({ root: fixture().root, port: 70000 }), (e: Error) => e instanceof UsageError && e.message === messages.badPort(70000));
  });
  test('a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, LOOPBACK, r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(startServer({ root: fixture().root, port }), (e: Error) => e instanceof UsageError && e.message === messages.portInUse(port));
    } finally {
      blocker.close();
    }
  });
  test('the default root is web/dist at the repository root', () => assert.equal(defaultWebRoot(), join(repoRoot(), 'web', 'dist')));
});

describe('convlab serve', () => {
  const cli = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');

  test('--port 0 prints its URL, serves the built page, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
    });
    assert.equal(out.trim(), messages.listening(url));
    const port = Number(new URL(url).port);
    const page = await fetchRaw(port, '/');
    assert.equal(page.status, 200, 'web/dist must be built (npm run build:web)');
    assert.match(page.body, /convlab explorer/);
    assert.equal((await fetchRaw(port, '/../package.json')).status, 404);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
  });

  for (const bad of ['abc', '-1', '70000', '8080x']) {
    test(`--port ${bad} is a one-line usage error, exit 2`, async () => {
      const child = spawn(process.execPath, [cli, 'serve', '--port', bad], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 2);
      assert.equal(err, `convlab: ${messages.badPort(bad)}\n`);
    });
  }
});
