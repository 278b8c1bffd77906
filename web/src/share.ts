/**
 * Links that carry a spec: an edited or uploaded model travels in the URL's hash, compressed
 * (deflate, the browser's own CompressionStream) and written in base64url, so a link opens the
 * same model without any server. Past SHARE_LIMIT characters a link is refused with a message:
 * mail and chat programs cut longer URLs.
 */
import { UsageError } from '../../src/core/errors.js';
import { bytes } from '../../src/report/units.js';
import { pageMessages } from './messages.js';

/** Most characters of encoded spec a link carries. */
export const SHARE_LIMIT = 64 * 1024;

/** Largest spec text a shared link may unpack to, so a crafted link cannot exhaust memory. */
export const SHARE_MAX_TEXT = 64 * 1024 * 1024;

async function pipe(data: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const reader = new Blob([data as BlobPart]).stream().pipeThrough(stream as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    size += chunk.length;
    if (size > limit) {
      await reader.cancel();
      throw new UsageError(pageMessages.badSharedSpec(`it unpacks to more than ${bytes(limit)}`));
    }
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) (all.set(c, at), (at += c.length));
  return all;
}

const toBase64Url = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromBase64Url = (s: string): Uint8Array => {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new UsageError(pageMessages.badSharedSpec('it is not base64url text'));
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};

/** The spec text compressed and written for a link's `spec=` value. */
export async function encodeSpec(text: string): Promise<string> {
  return toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate')));
}

/** The spec text a link's `spec=` value carries; a damaged value is a UsageError saying so. */
export async function decodeSpec(encoded: string): Promise<string> {
  let packed: Uint8Array;
  try {
    packed = fromBase64Url(encoded);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(pageMessages.badSharedSpec('it is not base64url text'));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await pipe(packed, new DecompressionStream('deflate'), SHARE_MAX_TEXT));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(pageMessages.badSharedSpec('it was cut short or altered'));
  }
}

/** What sharing a spec gives: the value for the link, or why there is none. */
export type Shared = { ok: true; encoded: string } | { ok: false; message: string };

/** Encodes a spec for a link, refusing it with a message past SHARE_LIMIT characters. */
export async function shareSpec(text: string, limit = SHARE_LIMIT): Promise<Shared> {
  const encoded = await encodeSpec(text);
  if (encoded.length > limit) return { ok: false, message: pageMessages.shareTooLarge(bytes(encoded.length), bytes(limit)) };
  return { ok: true, encoded };
}
