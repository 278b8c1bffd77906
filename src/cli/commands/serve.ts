/** `convlab serve`: the web explorer on 127.0.0.1. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { startServer } from '../../serve/server.js';
import { messages } from '../../core/messages.js';

/** Parses --port strictly: "8080" yes, "80x", "-1" or "1e3" no. */
function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(messages.badPort(text));
  return Number(text);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('web explorer on 127.0.0.1: graph, per-layer table, charts and comparisons in the browser')
    .option('--port <n>', 'port to listen on (0 picks a free port)', '8737')
    .action(async (o: { port: string }) => {
      const running = await startServer({ port: parsePort(o.port) });
      process.stdout.write(`${messages.listening(running.url)}\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          running.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
