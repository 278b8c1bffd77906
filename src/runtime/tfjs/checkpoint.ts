/**
 * Training checkpoints: one file holding the run's state as JSON and every tensor (weights,
 * BatchNorm statistics, optimizer slots) as float32, written atomically. Layout:
 * "CLCKPT01" | uint32 LE header length | header JSON | tensor bytes. The header lists each
 * tensor's name, shape and byte offset, and an FNV-1a checksum of the tensor bytes, so a
 * truncated or damaged file is refused with the reason, never half-loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../../core/errors.js';
import { writeOutput } from '../../core/output.js';
import { numel } from '../../core/numel.js';
import { messages } from '../../core/messages.js';

const MAGIC = 'CLCKPT01';
const VERSION = 1;

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
}

interface Header<S> {
  version: number;
  state: S;
  tensors: TensorEntry[];
  bytes: number;
  checksum: number;
}

/** FNV-1a over bytes: cheap, and any flipped or missing byte changes it. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Writes state and tensors to `file` atomically. */
export function writeCheckpoint<S>(file: string, state: S, tensors: Array<{ name: string; tensor: tf.Tensor }>): void {
  const entries: TensorEntry[] = [];
  const values: Float32Array[] = [];
  let offset = 0;
  for (const { name, tensor } of tensors) {
    const v = tensor.dataSync() as Float32Array;
    values.push(v instanceof Float32Array ? v : Float32Array.from(v));
    entries.push({ name, shape: [...tensor.shape], offset });
    offset += v.length * 4;
  }
  const blob = new Uint8Array(offset);
  values.forEach((v, i) => blob.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), entries[i]!.offset));
  const header: Header<S> = { version: VERSION, state, tensors: entries, bytes: offset, checksum: fnv1a(blob) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const out = new Uint8Array(MAGIC.length + 4 + json.length + blob.length);
  out.set(Buffer.from(MAGIC, 'ascii'), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  out.set(blob, MAGIC.length + 4 + json.length);
  writeOutput(file, out);
}

/** A checkpoint read back: the state and each tensor's values and shape. */
export interface Checkpoint<S> {
  state: S;
  tensors: Map<string, { shape: number[]; values: Float32Array }>;
}

/** Reads and verifies a checkpoint; any inconsistency is a RuntimeError naming the file and what is wrong. */
export function readCheckpoint<S>(file: string): Checkpoint<S> {
  if (!existsSync(file)) throw new RuntimeError((o) => messages.badCheckpoint(file, 'the file does not exist', o));
  const bytes = new Uint8Array(readFileSync(file));
  const bad = (detail: string): never => {
    throw new RuntimeError((o) => messages.badCheckpoint(file, detail, o));
  };
  if (bytes.length < MAGIC.length + 4) bad(`${bytes.length} bytes, shorter than the ${MAGIC.length + 4}-byte preamble`);
  const magic = Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1');
  if (magic !== MAGIC) bad(`bytes 0-7 are ${JSON.stringify(magic)}, expected ${JSON.stringify(MAGIC)}`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  const blobStart = MAGIC.length + 4 + headerLength;
  if (blobStart > bytes.length) bad(`the header claims ${headerLength} bytes at offset ${MAGIC.length + 4} but the file ends at ${bytes.length}`);
  let header: Header<S>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(MAGIC.length + 4, blobStart)).toString('utf8'));
  } catch (e) {
    return bad(`the header at offset ${MAGIC.length + 4} is not JSON (${(e as Error).message})`);
  }
  if (header.version !== VERSION) bad(`format version ${JSON.stringify(header.version)}, this convlab reads ${VERSION}`);
  const blob = bytes.subarray(blobStart);
  if (blob.length !== header.bytes) bad(`${blob.length} bytes of tensors after offset ${blobStart}, the header lists ${header.bytes} (truncated?)`);
  if (fnv1a(blob) !== header.checksum) bad(`the tensor bytes after offset ${blobStart} fail their checksum (damaged)`);
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const t of header.tensors) {
    const size = numel(t.shape) * 4;
    if (t.offset < 0 || t.offset + size > blob.length) bad(`tensor ${t.name} reaches past the end of the data`);
    const copy = blob.slice(t.offset, t.offset + size);
    tensors.set(t.name, { shape: t.shape, values: new Float32Array(copy.buffer, copy.byteOffset, size / 4) });
  }
  return { state: header.state, tensors };
}
