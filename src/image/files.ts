/** Reading an image file from disk (Node only), with a message that says it was the image that could not be read. */
import { readFileSync, statSync } from 'node:fs';
import { DataError, UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { decodeImage } from './decode.js';
import type { RgbaImage } from './types.js';

/** Largest image file read: far beyond any photo a model classifies, small enough never to exhaust memory. */
const MAX_IMAGE_BYTES = 256 * 1024 * 1024;

/** Reads and decodes a PNG or JPEG file; a missing file, a folder or a pipe is a UsageError naming it. */
export function readImageFile(path: string): RgbaImage {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(messages.imageUnreadable(path, 'not a regular file'));
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(messages.imageUnreadable(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  if (size > MAX_IMAGE_BYTES) throw new DataError(messages.fileTooLarge(path, size, MAX_IMAGE_BYTES));
  return decodeImage(readFileSync(path), path);
}
