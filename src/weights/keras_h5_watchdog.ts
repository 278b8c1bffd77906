/**
 * Reads Keras HDF5 files in a worker thread with a time limit. The HDF5 library (compiled to
 * WebAssembly) can spin forever inside a damaged file; in a worker that loop can be stopped,
 * and the user gets a one-line error naming the file instead of a hung process.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DataError, UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { KerasWeightsFile } from './keras_h5.js';

/** What the worker is asked to read. */
export interface H5Request {
  path: string;
  label: string;
}

/** What the worker answers: the file read, or the error it met. */
export type H5Reply =
  | { kind: 'read'; file: KerasWeightsFile }
  | { kind: 'error'; convlab: boolean; name: string; message: string };

/** Options of readKerasH5. */
export interface ReadH5Options {
  /** Stop reading after this many milliseconds (default: 5 s plus 1 s for every 10 MB of file). */
  timeoutMs?: number;
}

/**
 * The default limit: a sound file reads at hundreds of MB/s (ResNet-50's 98 MB in about 0.4 s),
 * so 5 s plus 1 s a 10 MB leaves room for a slow disk or a busy machine.
 */
export function h5TimeLimitMs(bytes: number): number {
  return 5000 + Math.ceil(bytes / 10_000_000) * 1000;
}

/** HDF5's file signature; it sits at byte 0, or at 512, 1024, 2048, ... after a user block. */
const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Whether the file carries the HDF5 signature at one of the offsets the format allows. */
function hasHdf5Signature(path: string, size: number): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(HDF5_SIGNATURE.length);
    for (let at = 0; at + head.length <= size; at = at === 0 ? 512 : at * 2) {
      if (readSync(fd, head, 0, head.length, at) === head.length && head.equals(HDF5_SIGNATURE)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Opens a Keras weights file (.h5 or .weights.h5) and reads every stored layer, stopping a read that hangs. */
export async function readKerasH5(path: string, label = path, o: ReadH5Options = {}): Promise<KerasWeightsFile> {
  let size = 0;
  let signed = false;
  try {
    size = statSync(path).size;
    signed = hasHdf5Signature(path, size);
  } catch (e) {
    throw new UsageError(messages.fileUnreadable(label, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  if (!signed) throw new DataError(messages.notHdf5(label, 'no HDF5 signature at byte 0 or after a user block'));
  const limit = o.timeoutMs ?? h5TimeLimitMs(size);
  // The HDF5 library prints its own diagnostics on damaged files; the error message says what matters.
  const worker = new Worker(new URL('./keras_h5_worker.js', import.meta.url), { workerData: { path, label } satisfies H5Request, stdout: true, stderr: true });
  worker.stdout.resume();
  worker.stderr.resume();
  return new Promise<KerasWeightsFile>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new DataError(messages.hdf5Hang(label, limit / 1000)));
    }, limit);
    const settle = () => clearTimeout(timer);
    worker.once('message', (reply: H5Reply) => {
      settle();
      void worker.terminate();
      if (reply.kind === 'read') resolve(reply.file);
      else if (reply.convlab) reject(reply.name === 'UsageError' ? new UsageError(reply.message) : new DataError(reply.message));
      else reject(new DataError(messages.hdf5Damaged(label, reply.message)));
    });
    worker.once('error', (e) => {
      settle();
      reject(new DataError(messages.hdf5Damaged(label, e.message)));
    });
    worker.once('exit', (code) => {
      settle();
      // After a message or an error this does nothing: a promise settles once.
      reject(new DataError(messages.hdf5Damaged(label, `the reader stopped with code ${code}`)));
    });
  });
}
