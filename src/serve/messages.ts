/** Every message the explorer server and `convlab serve` show, in one place. */
export const serveMessages = {
  badPort: (received: unknown) => `--port must be an integer from 0 to 65535 (0 picks a free port); received ${JSON.stringify(received)}`,
  portInUse: (port: number) => `port ${port} is already in use on 127.0.0.1; choose another with --port (0 picks a free one)`,
  portDenied: (port: number) => `port ${port} needs privileges on this system; choose one above 1023 with --port`,
  noPage: (root: string) => `the explorer page is not built: ${root}/index.html is missing (run npm run build:web)`,
  notFound: () => 'not found',
  staticOnly: (method: string) =>
    `${method} is not accepted: convlab serve only serves the page's files (GET, HEAD); models are read inside the browser, never uploaded`,
  badHost: (host: string) => `unexpected Host header ${JSON.stringify(host)}: open the explorer through 127.0.0.1 or localhost`,
  listening: (url: string) => `convlab explorer on ${url} (Ctrl-C to stop)`,
} as const;
