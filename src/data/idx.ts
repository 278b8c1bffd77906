/**
 * The IDX format of MNIST and Fashion-MNIST: a 4-byte magic (two zero bytes, a type code, the
 * number of dimensions), one big-endian uint32 per dimension, then the data. Only unsigned bytes
 * (type 0x08) occur in these data sets: magic 2051 for images (3 dims), 2049 for labels (1 dim).
 */
import { DataError } from '../core/errors.js';
import { readDataFile } from './files.js';
import { numel } from '../core/numel.js';
import { messages } from '../core/messages.js';

/** Magic numbers: 0x00000803 (unsigned bytes, 3 dims) and 0x00000801 (unsigned bytes, 1 dim). */
export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;

/** An IDX file's dimensions and its data bytes (a view into the file's buffer). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
  /** Header length in bytes: the offset of data[0] in the file. */
  headerBytes: number;
}

/** IDX images: count × rows × cols unsigned bytes, row-major. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array;
}

const KIND: Record<number, string> = {
  [IDX_IMAGES_MAGIC]: 'IDX unsigned-byte images, 3 dimensions',
  [IDX_LABELS_MAGIC]: 'IDX unsigned-byte labels, 1 dimension',
};

function magicHint(received: number): string {
  if (KIND[received]) return `this is an ${KIND[received]} file`;
  if (received >>> 16 !== 0) return 'the first two bytes of an IDX file are zero; this is not an IDX file';
  return '';
}

/** Parses an IDX file of unsigned bytes, checking the magic and that the size matches the header. */
export function parseIdx(bytes: Uint8Array, file: string, expectedMagic: number): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) throw new DataError(messages.idxHeaderTruncated(file, 4, bytes.length));
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    throw new DataError(messages.idxMagic(file, expectedMagic, KIND[expectedMagic] ?? 'IDX', magic, magicHint(magic)));
  }
  const rank = magic & 0xff;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new DataError(messages.idxHeaderTruncated(file, headerBytes, bytes.length));
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const expected = numel(dims);
  const held = bytes.length - headerBytes;
  if (held < expected) throw new DataError(messages.idxTruncated(file, dims, headerBytes, held));
  if (held > expected) throw new DataError(messages.idxTrailing(file, dims, headerBytes, held));
  return { dims, data: bytes.subarray(headerBytes), headerBytes };
}

/** Parses IDX images (magic 2051). */
export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const { dims, data } = parseIdx(bytes, file, IDX_IMAGES_MAGIC);
  return { count: dims[0]!, rows: dims[1]!, cols: dims[2]!, pixels: data };
}

/** Parses IDX labels (magic 2049), checking every label is below `classes`. */
export function parseIdxLabels(bytes: Uint8Array, file: string, classes = 10): Uint8Array {
  const { data, headerBytes } = parseIdx(bytes, file, IDX_LABELS_MAGIC);
  checkLabels(data, file, classes, (i) => headerBytes + i);
  return data;
}

/** Throws at the first label outside 0..classes-1, naming its byte offset in the file. */
export function checkLabels(labels: Uint8Array, file: string, classes: number, offsetOf: (i: number) => number): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= classes) throw new DataError(messages.labelRange(file, offsetOf(i), i, classes, labels[i]!));
  }
}

/** Reads IDX images from a file, gzip or not. */
export async function readIdxImages(path: string): Promise<IdxImages> {
  return parseIdxImages(await readDataFile(path), path);
}

/** Reads IDX labels from a file, gzip or not. */
export async function readIdxLabels(path: string, classes = 10): Promise<Uint8Array> {
  return parseIdxLabels(await readDataFile(path), path, classes);
}
