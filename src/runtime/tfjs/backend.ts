/**
 * Backend selection for training. The wasm backend (XNNPACK, SIMD) is the default; the pure-JS
 * CPU backend is only a fallback, hundreds of times slower. In Node, tfjs ships wasm threads
 * disabled (its worker is a Blob URL, which Node's Worker cannot load), so convlab writes the
 * worker script to a file and points the threaded build at it; XNNPACK then splits convolutions
 * and matrix products over `threads` cores.
 */
import { createRequire } from 'node:module';
import { mkdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { UsageError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import { BACKENDS, type BackendName } from '../../core/sets.js';
import { registerWasmKernels } from './kernels/index.js';

export interface BackendOptions {
  /** 'wasm' (default) or 'cpu'. */
  backend?: BackendName;
  /** XNNPACK threads for wasm; defaults to the cores left free by other work (see defaultThreads). */
  threads?: number;
}

/** What was initialized: the backend, its thread count, and why wasm was not used if it was not. */
export interface BackendInfo {
  name: BackendName;
  threads: number;
  simd: boolean;
  fallback?: string;
}

let current: BackendInfo | undefined;

/**
 * The default thread count: the cores other work leaves free (cores minus the 1-minute load
 * average, rounded down), at least 1 and at most 8. XNNPACK's workers spin while they wait, so a
 * second thread on a core something else is using slows training down (LeNet-5 here: 4,100–5,600
 * samples/s with 2 threads on an idle 2-core machine, 1,700 with one core busy, 3,500 with 1).
 * Thread count never changes results: each output is computed the same way whoever computes it.
 */
export function defaultThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, cores - Math.floor(os.loadavg()[0] ?? 0)));
}

/** Initializes the training backend once per process; later calls return what was set up. */
export async function initBackend(o: BackendOptions = {}): Promise<BackendInfo> {
  const wanted = o.backend ?? 'wasm';
  if (!BACKENDS.includes(wanted)) throw new UsageError(messages.badBackend(wanted, BACKENDS));
  if (o.threads !== undefined && !(Number.isInteger(o.threads) && o.threads >= 1)) {
    throw new UsageError(messages.badThreads(o.threads));
  }
  if (current) return current;
  tf.env().set('PROD', true);
  if (wanted === 'cpu') {
    await tf.setBackend('cpu');
    current = { name: 'cpu', threads: 1, simd: false };
    return current;
  }
  registerWasmKernels();
  const threads = o.threads ?? defaultThreads();
  let fallback: string | undefined;
  if (threads > 1) {
    try {
      if (await startThreadedWasm(threads)) {
        current = { name: 'wasm', threads: wasm.getThreadsCount(), simd: true };
        return current;
      }
      fallback = 'the threaded wasm build did not start';
    } catch (e) {
      fallback = `the threaded wasm build failed: ${(e as Error).message}`;
    }
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  wasm.setThreadsCount(1);
  if (await tf.setBackend('wasm')) {
    current = { name: 'wasm', threads: 1, simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')), ...(fallback ? { fallback } : {}) };
    return current;
  }
  await tf.setBackend('cpu');
  current = { name: 'cpu', threads: 1, simd: false, fallback: 'the wasm backend failed to initialize' };
  return current;
}

/** The backend set up by initBackend, if any. */
export const backendInfo = (): BackendInfo | undefined => current;

/**
 * Starts the threaded-SIMD wasm build under Node. Three things stand in its way, each bridged
 * for the duration of the start only: the worker script (a Blob URL) is written to a file; the
 * factory script the worker imports is the package's own file; and emscripten sizes the pool
 * from half the logical cores (a hyper-threading guess), so the core count is reported doubled.
 */
async function startThreadedWasm(threads: number): Promise<boolean> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const factory = join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const workerSource = join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js');
  if (!existsSync(factory) || !existsSync(workerSource)) return false;
  const { wasmWorkerContents } = require(workerSource) as { wasmWorkerContents: string };
  const workerFile = writeWorkerFile(factory, wasmWorkerContents);

  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = ((blob: Blob) => (blob?.type === 'application/javascript' ? workerFile : createObjectURL(blob))) as typeof URL.createObjectURL;
  const reported = cpus();
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => reported[i % Math.max(1, reported.length)]!);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  try {
    const ok = await tf.setBackend('wasm');
    if (ok) releaseWorkers();
    return ok;
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}

/** The worker script as a file: the emscripten worker, told to import the factory from its package path. */
function writeWorkerFile(factory: string, contents: string): string {
  const dir = join(os.tmpdir(), 'convlab');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `tfjs-wasm-worker-${wasm.version_wasm}.cjs`);
  // The worker is sent the factory as a Blob it cannot read synchronously; hand it the path instead.
  const prelude = `URL.createObjectURL = () => ${JSON.stringify(factory)}; URL.revokeObjectURL = () => {};\n`;
  // Written under a unique name then renamed, so concurrent processes never read a partial file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, prelude + contents.replace(/\n/g, '\\n'));
  renameSync(tmp, file);
  return file;
}

/** Lets the process exit while the XNNPACK worker threads idle. */
function releaseWorkers(): void {
  const module = (tf.backend() as wasm.BackendWasm).wasm as unknown as { PThread?: { unusedWorkers: Array<{ unref(): void }>; runningWorkers: Array<{ unref(): void }> } };
  const pool = module.PThread;
  if (!pool) return;
  for (const w of [...pool.unusedWorkers, ...pool.runningWorkers]) w.unref();
}
