/**
 * The worker side of readKerasH5: reads one Keras HDF5 file in this thread and posts the layers
 * back with their weight buffers transferred, or the error it met. The HDF5 library writes its
 * diagnostics straight to file descriptor 2; here they are kept instead, and the most specific
 * line names the damage in the error message.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ConvlabError } from '../core/errors.js';
import { readKerasH5InThread } from './keras_h5.js';
import type { H5Reply, H5Request } from './keras_h5_watchdog.js';

let printed = '';
const writeSync = fs.writeSync;
// This thread's fs module is its own: the patch reaches only the HDF5 library running here.
fs.writeSync = ((fd: number, data: NodeJS.ArrayBufferView | string, ...rest: unknown[]) => {
  if (fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
  if (typeof data === 'string') {
    printed += data;
    return Buffer.byteLength(data);
  }
  // writeSync(fd, buffer, offset, length): only that part of the buffer is the text.
  const offset = typeof rest[0] === 'number' ? rest[0] : 0;
  const length = typeof rest[1] === 'number' ? rest[1] : data.byteLength - offset;
  printed += Buffer.from(data.buffer, data.byteOffset + offset, length).toString('utf8');
  return length;
}) as typeof fs.writeSync;

/** The innermost frame of HDF5's error stack: `#012: H5Gcache.c line 167 in f(): bad symbol table node signature`. */
function innermost(): string | undefined {
  const frames = [...printed.matchAll(/^\s*#\d+: .* in [\w.]+\(\): (.+)$/gm)];
  return frames.at(-1)?.[1]?.trim();
}

const { path, label } = workerData as H5Request;
let reply: H5Reply;
try {
  reply = { kind: 'read', file: await readKerasH5InThread(path, label, innermost) };
} catch (e) {
  reply = { kind: 'error', convlab: e instanceof ConvlabError, name: (e as Error)?.name ?? 'Error', message: String((e as Error)?.message ?? e) };
}
const buffers = reply.kind === 'read' ? reply.file.layers.flatMap((l) => l.weights.map((w) => w.data.buffer as ArrayBuffer)) : [];
parentPort!.postMessage(reply, [...new Set(buffers)]);
