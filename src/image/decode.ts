/**
 * PNG and JPEG decoding with maintained libraries (pngjs, jpeg-js), recognized by their magic
 * bytes, never by file name. Node-side: the browser decodes images with its own canvas and hands
 * the RGBA pixels to the browser-safe preprocess.ts.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from '../core/errors.js';
import type { RgbaImage } from './types.js';
import { messages } from '../core/messages.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** How a complete file ends: PNG's IEND chunk (empty, with its CRC), JPEG's end-of-image marker. */
const TRAILERS = { png: [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], jpeg: [0xff, 0xd9] } as const;
const endsWith = (bytes: Uint8Array, tail: readonly number[]) => bytes.length >= tail.length && tail.every((b, i) => bytes[bytes.length - tail.length + i] === b);

/** The image format from the first bytes, or null when they are neither PNG nor JPEG. */
export function sniffFormat(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (startsWith(bytes, PNG_MAGIC)) return 'png';
  if (startsWith(bytes, JPEG_MAGIC)) return 'jpeg';
  return null;
}

// jpeg-js refuses images above these before allocating; 100 MP is far beyond any model input.
const JPEG_LIMITS = { maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 };

/** Decodes PNG or JPEG bytes to 8-bit RGBA; `source` names the file in errors. */
export function decodeImage(bytes: Uint8Array, source: string): RgbaImage {
  if (bytes.length === 0) throw new DataError(messages.imageEmpty(source));
  const format = sniffFormat(bytes);
  if (!format) throw new DataError(messages.notAnImage(source, bytes));
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, ...JPEG_LIMITS });
    return { width: img.width, height: img.height, data: img.data };
  } catch (e) {
    // The decoders' own words for a short file ("read requests waitng on finished stream") say nothing to a user.
    if (!endsWith(bytes, TRAILERS[format])) throw new DataError(messages.imageTruncated(source, format, bytes.length));
    // A TypeError or RangeError is the decoder tripping over corrupt data, not a description of it.
    const detail = e instanceof TypeError || e instanceof RangeError ? 'corrupt image data' : String((e as Error)?.message ?? e);
    throw new DataError(messages.imageUndecodable(source, format, detail));
  }
}
