/**
 * Starting the training processes: torchrun (PyTorch's elastic launcher, run in-process by
 * convlab_torch.py so that it dies with convlab) with --nproc_per_node processes on this node and
 * the cluster options passed through; a run of one process on one node starts that process
 * directly, which spares torchrun's own start-up (a second `import torch`). Rank 0's events arrive on stdout; everything PyTorch says
 * on stderr goes to a log file, whose last line explains a failure. Ctrl-C becomes a stop file
 * the processes check after every batch, so they stop together and save.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { RuntimeError } from '../../core/errors.js';
import type { EpochRecord, Progress } from '../tfjs/train.js';
import { messages } from '../../core/messages.js';

/** Where the processes run: this node's share and how to reach the others. */
export interface Cluster {
  /** Processes on this node. */
  nproc: number;
  nnodes: number;
  nodeRank: number;
  masterAddr: string;
  masterPort: number;
}

/** What rank 0 reports. */
export type TorchEvent =
  | { event: 'start'; world: number; device: string; threads: number; torch: string; backend: string | null; epoch: number; batch: number }
  | ({ event: 'progress' } & Progress)
  | { event: 'epoch'; record: EpochRecord }
  | { event: 'done'; interrupted: boolean; epoch: number; testScores: string | null }
  | { event: 'error'; code: string; [value: string]: unknown };

/** The tag before each event line; anything else on stdout is PyTorch's own output. */
const TAG = '@convlab ';

export interface LaunchOptions {
  python: string;
  /** convlab_torch.py. */
  runner: string;
  runFile: string;
  cluster: Cluster;
  /** Threads per process (OMP_NUM_THREADS, so torchrun does not pick 1). */
  threads: number;
  /** PyTorch's stderr and untagged stdout go here. */
  logFile: string;
  /** Created on abort: the processes finish their batch, save and stop. */
  stopFile: string;
  signal?: AbortSignal;
  onEvent: (e: TorchEvent) => void;
}

/** How the group ended. */
export interface LaunchResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last line PyTorch printed on stderr. */
  lastLine: string;
}

/** A TCP port free on 127.0.0.1 now, for a single-node run's rendezvous. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** torchrun's arguments for the cluster. */
export function torchrunArgs(c: Cluster, runner: string, runFile: string): string[] {
  return [
    '--nnodes', String(c.nnodes), '--nproc_per_node', String(c.nproc), '--node_rank', String(c.nodeRank),
    '--master_addr', c.masterAddr, '--master_port', String(c.masterPort),
    // No elastic restarts (a failure is reported, not retried); watch the processes closely so the run ends when they do.
    '--max_restarts', '0', '--monitor_interval', '0.2',
    runner, runFile,
  ];
}

/** Runs the group to its end, passing rank 0's events on. */
export function launch(o: LaunchOptions): Promise<LaunchResult> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(o.logFile);
    const single = o.cluster.nproc === 1 && o.cluster.nnodes === 1;
    const args = single ? [o.runner, o.runFile] : [o.runner, 'launch', ...torchrunArgs(o.cluster, o.runner, o.runFile)];
    const alone = single ? { RANK: '0', LOCAL_RANK: '0', WORLD_SIZE: '1' } : {};
    const child = spawn(o.python, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: the terminal's Ctrl-C reaches convlab alone, which asks for a clean stop.
      detached: true,
      env: { ...process.env, ...alone, OMP_NUM_THREADS: String(o.threads), PYTHONUNBUFFERED: '1', CONVLAB_PARENT: String(process.pid) },
    });
    let lastLine = '';
    let failure: Error | undefined;
    const onAbort = () => writeFileSync(o.stopFile, 'stop\n');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith(TAG)) {
        log.write(`${line}\n`);
        return;
      }
      try {
        o.onEvent(JSON.parse(line.slice(TAG.length)) as TorchEvent);
      } catch (e) {
        failure ??= e instanceof SyntaxError ? new RuntimeError(messages.badEvent(line)) : (e as Error);
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log.write(`${line}\n`);
      if (line.trim() !== '') lastLine = line.trim();
    });
    child.on('error', (e) => {
      o.signal?.removeEventListener('abort', onAbort);
      reject(new RuntimeError(messages.launchFailed(o.python, e.message)));
    });
    child.on('close', (code, signal) => {
      o.signal?.removeEventListener('abort', onAbort);
      log.end(() => (failure ? reject(failure) : resolve({ code, signal, lastLine })));
    });
  });
}
