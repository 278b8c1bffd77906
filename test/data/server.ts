/**
 * A local HTTP server on 127.0.0.1 serving a folder, with Range, If-Range and ETag support,
 * and hooks to misbehave: drop the connection mid-file, or serve other bytes for a path.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface LoggedRequest {
  path: string;
  range?: string;
  ifRange?: string;
  acceptEncoding?: string;
  status: number;
}

export interface TestServer {
  url: string;
  requests: LoggedRequest[];
  /** Paths whose next response stops after half the body and closes the socket. */
  dropOnce: Set<string>;
  /** Paths served with these bytes instead of the file's. */
  override: Map<string, Buffer>;
  /** Paths whose response sends its headers, then nothing. */
  stall: Set<string>;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 at a free port. */
export async function serveFolder(root: string): Promise<TestServer> {
  const requests: LoggedRequest[] = [];
  const dropOnce = new Set<string>();
  const override = new Map<string, Buffer>();
  const stall = new Set<string>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const log: LoggedRequest = { path, status: 200 };
    if (req.headers.range) log.range = req.headers.range;
    if (typeof req.headers['if-range'] === 'string') log.ifRange = req.headers['if-range'];
    if (req.headers['accept-encoding']) log.acceptEncoding = req.headers['accept-encoding'];
    requests.push(log);
    const file = join(root, normalize(path));
    let body = override.get(path);
    if (!body && (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile())) {
      log.status = 404;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    body ??= readFileSync(file);
    const etag = `"${body.length}-${body[body.length - 1]}"`;
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const rangeApplies = range && (log.ifRange === undefined || log.ifRange === etag);
    if (rangeApplies) {
      start = Number(range[1]);
      if (start >= body.length) {
        log.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      log.status = 206;
    }
    const part = body.subarray(start);
    const headers: Record<string, string | number> = { 'content-length': part.length, etag, 'accept-ranges': 'bytes' };
    if (log.status === 206) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(log.status, headers);
    if (stall.has(path)) {
      res.flushHeaders();
      return;
    }
    if (dropOnce.delete(path)) {
      // Let the client read the first half before the connection drops, as a real cut would.
      res.write(part.subarray(0, Math.floor(part.length / 2)), () => setTimeout(() => res.socket?.destroy(), 100));
      return;
    }
    res.end(part);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    dropOnce,
    override,
    stall,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
