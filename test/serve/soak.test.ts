/**
 * A soak of `convlab serve`'s server: for a fixed time, a bounded number of concurrent clients on
 * 127.0.0.1 send a seeded mix of good requests, traversal attempts, malformed and oversized
 * requests, wrong hosts and methods, and slow clients that dribble their headers. Every request
 * must be answered with the expected status, the secret beside the root never leaks, and the
 * server process's memory stays flat.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Rng } from '../../src/core/random.js';
import { LOOPBACK } from '../../src/serve/server.js';
import { int } from '../helpers/fuzz.js';
import { repoRoot } from '../helpers/paths.js';
import { fixture, SECRET } from './fixture.js';

const DURATION_MS = 8_000;
const CLIENTS = 16;
/** A request not answered in this time counts as unanswered. */
const ANSWER_MS = 5_000;
/** Samples of the server's resident memory: the first quarter is warm-up (JIT, heap sizing). */
const SAMPLE_MS = 250;
/** Growth allowed between the second and the last quarter's peaks: a leak of a few hundred bytes per request would exceed it. */
const MAX_GROWTH_BYTES = 16 * 1024 * 1024;

/** Sends raw bytes (optionally in slow pieces) and resolves with the status line's code, or 0 when the socket closed without one. */
function exchange(port: number, pieces: string[], gapMs = 0): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, LOOPBACK);
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${ANSWER_MS} ms to ${JSON.stringify(pieces.join('').slice(0, 80))}`));
    }, ANSWER_MS);
    const finish = () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolve({ status: m ? Number(m[1]) : 0, body: data });
    };
    socket.on('data', (c: Buffer) => {
      data += c.toString('latin1');
      // One answer per connection is all a case needs.
      if (/\r\n\r\n/.test(data)) {
        const length = /content-length: (\d+)/i.exec(data);
        const head = data.indexOf('\r\n\r\n') + 4;
        if (!length || data.length - head >= Number(length[1])) socket.end();
      }
    });
    socket.on('close', finish);
    socket.on('error', () => undefined);
    socket.on('connect', async () => {
      for (const p of pieces) {
        if (socket.destroyed) return;
        socket.write(p);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

/** Resident memory of a process, from /proc. */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

type Kind = { name: string; expect: number; send: (port: number) => Promise<{ status: number; body: string }> };

function kinds(): Kind[] {
  const get = (path: string, host?: (port: number) => string) => (port: number) =>
    exchange(port, [`GET ${path} HTTP/1.1\r\nHost: ${host ? host(port) : `${LOOPBACK}:${port}`}\r\nConnection: close\r\n\r\n`]);
  const traversal = ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/up/secret.txt', '/link.txt', '/.env', '//secret.txt', '/%c0%ae%c0%ae/secret.txt'];
  return [
    { name: 'page', expect: 200, send: get('/') },
    { name: 'asset', expect: 200, send: get('/assets/app.js?v=1') },
    ...traversal.map((p) => ({ name: `traversal ${p}`, expect: 404, send: get(p) })),
    { name: 'wrong host', expect: 403, send: get('/', () => 'evil.example:80') },
    {
      name: 'upload', expect: 405,
      send: (port) => exchange(port, [`POST / HTTP/1.1\r\nHost: ${LOOPBACK}:${port}\r\nContent-Length: 100000\r\n\r\n`, 'x'.repeat(4096)]),
    },
    { name: 'garbage', expect: 400, send: (port) => exchange(port, ['\x16\x03\x01 not http at all\r\n\r\n']) },
    { name: 'bad request line', expect: 400, send: (port) => exchange(port, ['GET /a b c HTTP/9\r\n\r\n']) },
    { name: 'huge header', expect: 431, send: (port) => exchange(port, [`GET / HTTP/1.1\r\nHost: ${LOOPBACK}:${port}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`]) },
    {
      name: 'slow headers', expect: 200,
      send: (port) => exchange(port, `GET / HTTP/1.1\r\nHost: ${LOOPBACK}:${port}\r\nConnection: close\r\n\r\n`.match(/.{1,6}/gs)!, 40),
    },
  ];
}

describe('convlab serve under a soak of mixed requests', () => {
  test(`${CLIENTS} clients for ${DURATION_MS / 1000} s: every request answered, nothing leaks, memory flat`, async () => {
    const { root } = fixture();
    const script = `import { startServer } from ${JSON.stringify(join(repoRoot(), 'dist', 'src', 'serve', 'server.js'))};
      const s = await startServer({ root: ${JSON.stringify(root)}, port: 0 });
      process.stdout.write(s.port + '\\n');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.once('data', (c: Buffer) => resolve(Number(c.toString().trim())));
        child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
      });
      const table = kinds();
      const rng = new Rng(20_261_205, 1);
      const counts = new Map<string, number>();
      const wrong: string[] = [];
      const samples: number[] = [];
      const started = Date.now();
      const client = async () => {
        while (Date.now() - started < DURATION_MS) {
          const k = table[int(rng, table.length)]!;
          const { status, body } = await k.send(port);
          counts.set(k.name, (counts.get(k.name) ?? 0) + 1);
          if (status !== k.expect) wrong.push(`${k.name}: ${status}, expected ${k.expect}`);
          if (body.includes(SECRET)) wrong.push(`${k.name}: the secret leaked`);
        }
      };
      const sampler = setInterval(() => samples.push(rssOf(child.pid!)), SAMPLE_MS);
      await Promise.all(Array.from({ length: CLIENTS }, client));
      clearInterval(sampler);
      const q = Math.floor(samples.length / 4);
      const warm = Math.max(...samples.slice(q, 2 * q));
      const end = Math.max(...samples.slice(3 * q));
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      console.log(`# serve soak: ${total} requests in ${DURATION_MS / 1000} s by ${CLIENTS} clients, ${counts.size} kinds; server RSS peak ${(warm / 2 ** 20).toFixed(1)} MiB in the second quarter, ${(end / 2 ** 20).toFixed(1)} MiB in the last`);
      assert.deepEqual([...new Set(wrong)], []);
      assert.equal(counts.size, table.length, 'every kind of request was sent');
      assert.ok(warm > 0 && end - warm < MAX_GROWTH_BYTES, `server memory grew from ${warm} to ${end} bytes`);
    } finally {
      child.kill();
    }
  });
});
