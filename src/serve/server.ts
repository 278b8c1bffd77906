/**
 * The explorer's static file server. It binds 127.0.0.1 only, answers GET and HEAD from one
 * folder, and refuses everything else: the page does all parsing in the browser, so the server
 * never needs to read a request body or a file outside its root.
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';

/** How long a client may take to send its headers, and a whole request. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** The only address the explorer listens on. */
export const LOOPBACK = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Headers sent with every answer. Vega compiles its expressions with `new Function`, hence
 * 'unsafe-eval'; the isolation headers let onnxruntime-web use threads (SharedArrayBuffer).
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Maps a request path to a file under `root`, or null when it must be a 404. The path is
 * percent-decoded once; any `..`, `.`, empty-after-decoding, backslash, NUL or dot-file segment
 * is refused before touching the disk, and the real path (symlinks resolved) must stay in root.
 */
export function resolveStaticPath(root: string, requestUrl: string): string | null {
  const rawPath = requestUrl.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').slice(1);
  const last = segments.length - 1;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    // A trailing slash leaves one empty segment, which means "the folder's index".
    if (s === '' && i === last) continue;
    if (s === '' || s === '.' || s === '..' || s.startsWith('.')) return null;
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return null;
  }
  let candidate = join(realRoot, ...segments.filter((s) => s !== ''));
  try {
    if (statSync(candidate).isDirectory()) candidate = join(candidate, 'index.html');
    const real = realpathSync(candidate);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return null;
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** The built page: web/dist at the repository root, found from this module's location. */
export function defaultWebRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'web', 'dist');
    const up = dirname(dir);
    if (up === dir) return resolve('web', 'dist');
    dir = up;
  }
}

/** A running explorer server. */
export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

function handler(root: string, port: () => number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    // A page on another origin could point a rebinding DNS name at 127.0.0.1; answer only our own host names.
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `${LOOPBACK}:${port()}` && host !== `localhost:${port()}`) {
      send(res, 403, messages.badHost(host));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Nothing here reads a body; closing the connection discards whatever was being uploaded.
      send(res, 405, messages.staticOnly(req.method ?? ''), { Allow: 'GET, HEAD', Connection: 'close' });
      return;
    }
    const file = resolveStaticPath(root, req.url ?? '/');
    if (!file) {
      send(res, 404, messages.notFound());
      return;
    }
    const size = statSync(file).size;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  };
}

/** Starts the server on 127.0.0.1:`port` (0 picks a free port) serving files from `root`. */
export async function startServer(o: { root?: string; port?: number } = {}): Promise<RunningServer> {
  const root = o.root ?? defaultWebRoot();
  const wanted = o.port ?? 0;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) throw new UsageError(messages.badPort(wanted));
  if (!existsSync(join(root, 'index.html'))) throw new UsageError(messages.noPage(root));
  let bound = wanted;
  const server = createServer(handler(root, () => bound));
  // A client that sends its headers byte by byte, or never finishes a request, loses its socket
  // instead of holding it: the page asks for small files, all at once.
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'EADDRINUSE' ? new UsageError((o) => messages.portInUse(wanted, o)) : e.code === 'EACCES' ? new UsageError((o) => messages.portDenied(wanted, o)) : e),
    );
    server.listen(wanted, LOOPBACK, () => ok());
  });
  bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${bound}/`,
    port: bound,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
