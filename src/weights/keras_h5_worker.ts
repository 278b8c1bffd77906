/**
 * The worker side of readKerasH5: reads one Keras HDF5 file in this thread and posts the layers
 * back with their weight buffers transferred, or the error it met.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConvlabError } from '../core/errors.js';
import { readKerasH5InThread } from './keras_h5.js';
import type { H5Reply, H5Request } from './keras_h5_watchdog.js';

const { path, label } = workerData as H5Request;
let reply: H5Reply;
try {
  const file = await readKerasH5InThread(path, label);
  reply = { kind: 'read', file };
} catch (e) {
  reply = { kind: 'error', convlab: e instanceof ConvlabError, name: (e as Error)?.name ?? 'Error', message: String((e as Error)?.message ?? e) };
}
const buffers = reply.kind === 'read' ? reply.file.layers.flatMap((l) => l.weights.map((w) => w.data.buffer as ArrayBuffer)) : [];
parentPort!.postMessage(reply, [...new Set(buffers)]);
