/**
 * NumPy `.npy` files (format versions 1 to 3): the raw tensors `convlab run` reads and writes.
 * Reads little-endian float32, float64, float16, int64, int32 and uint8 in C order, returning
 * float32; writes float32. Browser-safe: works on bytes.
 */
import { DataError } from '../core/errors.js';
import { fromFloat16Bits } from '../core/half.js';
import { messages } from '../core/messages.js';
import { numel } from '../core/numel.js';

/** A tensor read from or written to an .npy file: its shape and values. */
export interface NpyTensor {
  shape: number[];
  data: Float32Array;
  /** The file's dtype as NumPy spells it (`<f4`); what `run` names in messages. */
  dtype: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Bytes per element and a reader for every dtype convlab accepts. */
const DTYPES: Record<string, { bytes: number; read: (v: DataView, at: number) => number }> = {
  '<f4': { bytes: 4, read: (v, at) => v.getFloat32(at, true) },
  '<f8': { bytes: 8, read: (v, at) => v.getFloat64(at, true) },
  '<f2': { bytes: 2, read: (v, at) => fromFloat16Bits(v.getUint16(at, true)) },
  '<i8': { bytes: 8, read: (v, at) => Number(v.getBigInt64(at, true)) },
  '<i4': { bytes: 4, read: (v, at) => v.getInt32(at, true) },
  '|u1': { bytes: 1, read: (v, at) => v.getUint8(at) },
};

/** The dtypes `readNpy` accepts, for messages. */
export const NPY_DTYPES: readonly string[] = Object.keys(DTYPES);

/** One `'key': value` entry of the header dict. */
function headerField(header: string, key: string): string | undefined {
  return new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(header)?.[1];
}

/** Parses an .npy file; `file` names it in messages (with the byte offset where it goes wrong). */
export function readNpy(bytes: Uint8Array, file: string): NpyTensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new DataError(messages.npyMagic(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new DataError(messages.npyVersion(file, major));
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (start + headerLen > bytes.length) throw new DataError(messages.npyTruncated(file, start + headerLen, bytes.length));
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = headerField(header, 'descr')?.slice(1, -1);
  const order = headerField(header, 'fortran_order');
  const shapeText = headerField(header, 'shape');
  if (descr === undefined || order === undefined || shapeText === undefined) throw new DataError(messages.npyHeader(file, header.trim()));
  // NumPy writes '=f4' / 'f4' style descriptors only from odd tools; '<' and '|' are what it saves on little-endian machines.
  const dtype = DTYPES[descr];
  if (!dtype) throw new DataError(messages.npyDtype(file, descr, NPY_DTYPES));
  if (order === 'True') throw new DataError(messages.npyFortran(file));
  const dims = shapeText.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!dims.every((d) => /^\d+L?$/.test(d))) throw new DataError(messages.npyHeader(file, header.trim()));
  const shape = dims.map((d) => Number.parseInt(d, 10));
  const n = numel(shape);
  const offset = start + headerLen;
  const need = n * dtype.bytes;
  if (bytes.length - offset !== need) throw new DataError(messages.npySize(file, shape, descr, offset, need, bytes.length - offset));
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = dtype.read(view, offset + i * dtype.bytes);
  return { shape, data, dtype: descr };
}

/** Serializes a float32 tensor as an .npy file (version 1, C order, little-endian). */
export function writeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  if (numel(shape) !== data.length) throw new DataError(messages.npyWriteShape(shape, data.length));
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // The header is padded with spaces so the data starts on a 64-byte boundary, ending in a newline.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(total + i * 4, data[i]!, true);
  return out;
}
