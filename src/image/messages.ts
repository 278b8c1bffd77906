/** Every user-facing message of image decoding and preprocessing, as typed functions. */

const hex = (bytes: Uint8Array) => Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');

export const imageMessages = {
  empty: (source: string) => `${source}: the file is empty; expected a PNG or JPEG image`,
  notAnImage: (source: string, bytes: Uint8Array) =>
    `${source}: not a PNG or JPEG image (first bytes ${hex(bytes)}; PNG starts 89 50 4e 47, JPEG ff d8 ff)`,
  undecodable: (source: string, format: string, detail: string) => `${source}: cannot decode this ${format.toUpperCase()} image (${detail})`,
  channels: (channels: number) =>
    `the model input has ${channels} channels; images are read as grayscale (1 channel) or RGB (3 channels)`,
  badTarget: (shape: readonly number[]) => `cannot preprocess to input shape ${JSON.stringify(shape)}; expected [H, W, C] of positive integers`,
  meanLength: (what: string, length: number, channels: number) =>
    `preprocessing ${what} has ${length} values; the model input has ${channels} channel(s) (give 1 or ${channels})`,
  emptyImage: (width: number, height: number) => `the image is ${width}×${height}: nothing to resize`,
} as const;
