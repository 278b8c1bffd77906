/**
 * NumPy .npy files (format 1.0), the arrays convlab and the PyTorch side exchange: data sets
 * written once and memory-mapped by every process (`np.load(mmap_mode="r")`), and weights in
 * both directions. C order, little-endian float32 or uint8: all that crosses the boundary.
 */
import { readFileSync } from 'node:fs';
import { DataError } from '../../core/errors.js';
import { writeOutput } from '../../core/output.js';
import { messages } from '../../core/messages.js';

/** The element types exchanged, by NumPy descr. */
const DESCR = { float32: '<f4', uint8: '|u1' } as const;
export type NpyDtype = keyof typeof DESCR;

/** An array read from a .npy file. */
export type NpyArray = { shape: number[] } & ({ dtype: 'float32'; data: Float32Array } | { dtype: 'uint8'; data: Uint8Array });

const MAGIC = '\x93NUMPY';
/** NumPy pads the header so the data starts on a 64-byte boundary, which lets it memory-map aligned. */
const ALIGN = 64;

/** The magic, version and header dict of an array of `shape`, padded so the data is aligned. */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = MAGIC.length + 4 + dict.length + 1;
  const text = `${dict}${' '.repeat((ALIGN - (unpadded % ALIGN)) % ALIGN)}\n`;
  const out = new Uint8Array(MAGIC.length + 4 + text.length);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(Buffer.from(text, 'latin1'), 10);
  return out;
}

/** Writes an array atomically; `chunks` are its bytes in C order (several, so a large array is never copied whole). */
export function writeNpy(path: string, dtype: NpyDtype, shape: readonly number[], chunks: Iterable<Uint8Array>): void {
  // A generator, so each chunk (a transposed block, for images) is made only as it is written.
  function* bytes(): Generator<Uint8Array> {
    yield npyHeader(dtype, shape);
    yield* chunks;
  }
  writeOutput(path, bytes());
}

/** The bytes of a typed array, without copying. */
export const bytesOf = (a: Float32Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Reads a .npy file written by NumPy or by writeNpy; anything else is a DataError naming the file and the byte. */
export function readNpy(path: string): NpyArray {
  const bytes = new Uint8Array(readFileSync(path));
  const bad = (offset: number, detail: string): never => {
    throw new DataError(messages.badNpy(path, offset, detail));
  };
  if (bytes.length < 10 || Buffer.from(bytes.subarray(0, 6)).toString('latin1') !== MAGIC) bad(0, 'no NumPy magic "\\x93NUMPY"');
  const major = bytes[6]!;
  if (major < 1 || major > 3) bad(6, `format version ${major}.${bytes[7]}, expected 1.0 to 3.0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = lengthBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes;
  if (start + headerLength > bytes.length) bad(8, `header of ${headerLength} bytes runs past the end of the file (${bytes.length} bytes)`);
  const header = Buffer.from(bytes.subarray(start, start + headerLength)).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) bad(start, `header ${JSON.stringify(header.trim())} lacks descr, fortran_order or shape`);
  if (fortran === 'True') bad(start, 'the array is in Fortran order; convlab reads C order');
  const shape = shapeText!.split(',').map((d) => d.trim()).filter((d) => d !== '').map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) bad(start, `shape (${shapeText}) is not a list of sizes`);
  const dtype = (Object.keys(DESCR) as NpyDtype[]).find((k) => DESCR[k] === descr || (k === 'uint8' && descr === '<u1'));
  if (!dtype) bad(start, `element type ${JSON.stringify(descr)}; convlab reads ${Object.values(DESCR).join(' and ')}`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  const size = count * (dtype === 'float32' ? 4 : 1);
  if (bytes.length - dataStart !== size) bad(dataStart, `${bytes.length - dataStart} bytes of data, the shape (${shape.join(', ')}) needs ${size}`);
  const copy = bytes.slice(dataStart);
  return dtype === 'float32'
    ? { dtype, shape, data: new Float32Array(copy.buffer, copy.byteOffset, count) }
    : { dtype: 'uint8', shape, data: copy };
}

/** Reads a float32 .npy file of a known shape. */
export function readFloat32Npy(path: string, shape: readonly number[]): Float32Array {
  const a = readNpy(path);
  if (a.dtype !== 'float32') throw new DataError(messages.npyType(path, 'float32', a.dtype));
  if (a.shape.join() !== shape.join()) throw new DataError(messages.npyShape(path, shape, a.shape));
  return a.data;
}
