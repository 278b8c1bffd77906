/**
 * CIFAR-10 binary records: 1 label byte, then a 32×32 image stored planar (1,024 R, 1,024 G,
 * 1,024 B bytes, each plane row-major), 3,073 bytes a record. convlab converts to interleaved
 * HWC, the layout the rest of the project uses.
 */
import { readFile } from 'node:fs/promises';
import { DataError } from '../core/errors.js';
import { readDataFile } from './files.js';
import { checkLabels } from './idx.js';
import { messages } from '../core/messages.js';

/** Record geometry of the CIFAR-10 binary format. */
export const CIFAR_SIDE = 32;
export const CIFAR_CHANNELS = 3;
export const CIFAR_CLASSES = 10;
export const CIFAR_RECORD_BYTES = 1 + CIFAR_SIDE * CIFAR_SIDE * CIFAR_CHANNELS;

/** Decoded CIFAR records: labels and interleaved HWC pixels. */
export interface CifarRecords {
  count: number;
  labels: Uint8Array;
  /** count × 32 × 32 × 3 bytes, NHWC. */
  pixels: Uint8Array;
}

/** Parses CIFAR-10 binary records, keeping at most `limit` of them; every record's label is checked. */
export function parseCifar(bytes: Uint8Array, file: string, limit = Infinity): CifarRecords {
  if (bytes.length === 0) throw new DataError(messages.cifarEmpty(file));
  const partial = bytes.length % CIFAR_RECORD_BYTES;
  if (partial !== 0) {
    throw new DataError(messages.cifarSize(file, bytes.length, CIFAR_RECORD_BYTES, bytes.length - partial, partial));
  }
  const total = bytes.length / CIFAR_RECORD_BYTES;
  const labelBytes = new Uint8Array(total);
  for (let i = 0; i < total; i++) labelBytes[i] = bytes[i * CIFAR_RECORD_BYTES]!;
  checkLabels(labelBytes, file, CIFAR_CLASSES, (i) => i * CIFAR_RECORD_BYTES);

  const count = Math.min(total, limit);
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  const pixels = new Uint8Array(count * plane * CIFAR_CHANNELS);
  for (let i = 0; i < count; i++) {
    const src = i * CIFAR_RECORD_BYTES + 1;
    const dst = i * plane * CIFAR_CHANNELS;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < CIFAR_CHANNELS; c++) pixels[dst + p * CIFAR_CHANNELS + c] = bytes[src + c * plane + p]!;
    }
  }
  return { count, labels: labelBytes.slice(0, count), pixels };
}

/** Reads CIFAR-10 records from a file, gzip or not. */
export async function readCifar(path: string, limit = Infinity): Promise<CifarRecords> {
  return parseCifar(await readDataFile(path), path, limit);
}

/** Reads batches.meta.txt: one class name a line, blank lines ignored; there must be ten. */
export async function readCifarMeta(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DataError(messages.fileUnreadable(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  const names = text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length !== CIFAR_CLASSES) throw new DataError(messages.cifarMeta(path, CIFAR_CLASSES, names.length));
  return names;
}
