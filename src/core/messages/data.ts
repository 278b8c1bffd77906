/** Messages of data set files, downloads, transforms and image files. */
import { numel } from '../numel.js';
import { asKey, num, type Spell } from './text.js';

const hex = (x: number): string => `0x${x.toString(16).padStart(8, '0')}`;
const dims = (d: readonly number[]): string => d.map(num).join('×');
const firstBytes = (bytes: Uint8Array) => Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Messages of data files and images. Each names the file and the byte offset (or line and column), what was expected and what was received. */
export const dataMessages = {
  gzipTruncated: (file: string, compressedBytes: number, recovered: number) =>
    `${file}: truncated gzip data: the compressed stream ends early at byte offset ${num(compressedBytes)} ` +
    `(the file is ${num(compressedBytes)} bytes; ${num(recovered)} bytes decompressed before it ended)`,
  gzipCorrupt: (file: string, detail: string) => `${file}: corrupt gzip data (${detail})`,
  fileMissing: (dataset: string, wanted: string, dirs: readonly string[]) =>
    `${dataset}: no ${wanted} in ${dirs.join(' or ')}`,
  folderMissing: (dataset: string, names: readonly string[], dirs: readonly string[]) =>
    `${dataset}: none of its files (${names.join(', ')}, each with or without .gz) is in ${dirs.join(' or ')}`,
  fileUnreadable: (file: string, code: string) => `${file}: cannot read (${code})`,

  idxHeaderTruncated: (file: string, expected: number, received: number) =>
    `${file}: truncated IDX header: expected at least ${num(expected)} bytes; the file holds ${num(received)}`,
  idxMagic: (file: string, expected: number, expectedWhat: string, received: number, hint: string) =>
    `${file}: byte offset 0: wrong magic number: expected ${expected} (${hex(expected)}, ${expectedWhat}); ` +
    `received ${received} (${hex(received)})${hint ? `; ${hint}` : ''}`,
  idxTruncated: (file: string, shape: readonly number[], header: number, held: number) =>
    `${file}: truncated data: the header declares ${dims(shape)} = ${num(numel(shape))} bytes ` +
    `after the ${header}-byte header; the file holds ${num(held)}, ending at byte offset ${num(header + held)}`,
  idxTrailing: (file: string, shape: readonly number[], header: number, held: number) =>
    `${file}: unexpected trailing bytes: the header declares ${dims(shape)} = ` +
    `${num(numel(shape))} bytes after the ${header}-byte header; the file holds ${num(held)} ` +
    `(extra data from byte offset ${num(header + numel(shape))})`,
  imageSize: (file: string, offset: number, dataset: string, expected: readonly number[], received: readonly number[]) =>
    `${file}: byte offset ${num(offset)}: wrong image size: ${dataset} images are ${dims(expected)}; ` +
    `the header declares ${dims(received)}`,
  countMismatch: (imagesFile: string, images: number, labelsFile: string, labels: number) =>
    `${imagesFile} holds ${num(images)} images but ${labelsFile} holds ${num(labels)} labels; the two must match`,
  labelRange: (file: string, offset: number, sample: number, classes: number, received: number) =>
    `${file}: byte offset ${num(offset)}: label of sample ${num(sample)} out of range: expected 0..${classes - 1}; received ${received}`,

  cifarEmpty: (file: string) => `${file}: empty: expected CIFAR-10 records of 3,073 bytes (1 label + 3,072 pixels)`,
  cifarSize: (file: string, size: number, record: number, offset: number, partial: number) =>
    `${file}: size ${num(size)} bytes is not a multiple of the ${num(record)}-byte CIFAR-10 record ` +
    `(1 label + 32×32×3 pixels): the record at byte offset ${num(offset)} is truncated, ${num(partial)} of ${num(record)} bytes`,
  cifarMeta: (file: string, classes: number, received: number) =>
    `${file}: expected ${classes} class names, one a line; received ${received}`,

  csvFieldCount: (file: string, line: number, expected: number, received: number) =>
    `${file}: line ${num(line)}: expected ${expected} comma-separated values (64 pixels, then the label); received ${received}`,
  csvEmptyLine: (file: string, line: number) => `${file}: line ${num(line)}: empty line; expected 65 comma-separated values`,
  csvValue: (file: string, line: number, column: number, what: string, expected: string, received: string) =>
    `${file}: line ${num(line)}, column ${column}: ${what} must be ${expected}; received ${JSON.stringify(received)}`,
  csvEmpty: (file: string) => `${file}: no samples: expected lines of 64 pixel values and a label`,

  unknownDataset: (received: string, known: readonly string[]) =>
    `unknown dataset ${JSON.stringify(received)}; expected one of ${known.join(', ')}`,
  unknownSplit: (received: string) => `unknown split ${JSON.stringify(received)}; expected train or test`,
  badLimit: (received: unknown) => `limit must be a positive integer; received ${JSON.stringify(received)}`,
  notDownloadable: (received: string, known: readonly string[]) =>
    `dataset ${JSON.stringify(received)} cannot be downloaded; downloadable: ${known.join(', ')}`,

  badBaseUrl: (received: string) => `base URL must be an http:// or https:// URL; received ${JSON.stringify(received)}`,
  httpStatus: (url: string, status: number, statusText: string) => `HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${url}`,
  network: (url: string, detail: string) => `network error fetching ${url}: ${detail}`,
  bodyShort: (url: string, received: number, expected: number) =>
    `connection to ${url} closed after ${num(received)} of ${num(expected)} bytes; run again to resume`,
  badContentRange: (url: string, expectedStart: number, received: string) =>
    `${url}: resume asked for bytes from ${num(expectedStart)}; the server answered Content-Range ${JSON.stringify(received)}`,
  checksum: (file: string, expected: string, received: string) =>
    `${file}: checksum mismatch: expected MD5 ${expected} of the uncompressed content; received ${received}`,
  evalNeedsDataset: (model: string, known: readonly string[]) =>
    `${model} records no data set; give --dataset (${known.join(', ')})`,
  datasetContradicts: (model: string, recorded: string, given: string) =>
    `${model} was trained on ${recorded}; evaluating on --dataset ${given} as asked`,
  badSize: (received: string) => `--size must be H,W of positive integers (e.g. 224,224); received ${JSON.stringify(received)}`,
  badNumbers: (option: string, received: string) => `${option} must be numbers separated by commas (one, or one per channel); received ${JSON.stringify(received)}`,
  textChecksum: (url: string, expected: string, received: string) =>
    `${url}: MD5 ${received} of its text (LF line ends) does not match the expected ${expected}; the download was discarded`,
  archiveUnreadable: (file: string, detail: string) => `${file}: not a readable gzip tar archive: ${detail}`,
  archivePart: (file: string, member: string, what: string) => `${file}: ${member} is missing or not whole (expected ${what})`,
  rawChecksum: (url: string, expected: string, received: string) =>
    `${url}: MD5 ${received} does not match the published ${expected}; the download was discarded and nothing was kept`,
  aborted: (url: string, received: number, o: Spell = asKey) =>
    `download of ${url} interrupted after ${num(received)} bytes; run the same command with ${o('resume')} to continue`,
  timeout: (url: string, seconds: number, o: Spell = asKey) => `no data from ${url} for ${seconds} s; run again with ${o('resume')} to continue`,
  allMirrorsFailed: (file: string, errors: readonly string[]) => `${file}: every source failed: ${errors.join('; ')}`,

  badShape: (what: string, received: readonly number[]) =>
    `${what} must be [height, width, channels] of positive integers; received ${JSON.stringify(received)}`,
  sizeMismatch: (length: number, count: number, shape: readonly number[]) =>
    `images hold ${num(length)} values; ${num(count)} images of ${dims(shape)} need ${num(count * numel(shape))}`,
  padTooSmall: (from: readonly number[], to: readonly number[]) =>
    `cannot pad ${dims(from)} images to ${dims(to)}: the target must be at least as large on both axes (use resize)`,
  channelConversion: (from: number, to: number) =>
    `cannot convert ${from}-channel images to ${to} channels; supported: the same count, or 1 → any (replication)`,
  statsLength: (what: string, channels: number, received: number) =>
    `${what} must hold one value per channel (${channels}); received ${received}`,
  zeroStd: (channel: number) => `std of channel ${channel} is 0; standardization would divide by zero`,
  badBatch: (received: unknown) => `batch size must be a positive integer; received ${JSON.stringify(received)}`,
  badOrder: (expected: number, received: number) => `batch order must list ${num(expected)} sample indices; received ${num(received)}`,
  badFraction: (received: unknown) => `validation fraction must be in [0, 1); received ${JSON.stringify(received)}`,
  badIndex: (index: number, count: number) => `index ${index} is out of range 0..${count - 1}`,
  badPadding: (received: unknown) => `padding must be a non-negative integer; received ${JSON.stringify(received)}`,
  imageEmpty: (source: string) => `${source}: the file is empty; expected a PNG or JPEG image`,
  notAnImage: (source: string, bytes: Uint8Array) =>
    `${source}: not a PNG or JPEG image (first bytes ${firstBytes(bytes)}; PNG starts 89 50 4e 47, JPEG ff d8 ff)`,
  datasetChannels: (dataset: string, shape: readonly number[], input: readonly number[], o: Spell = asKey) =>
    `the model takes ${dims(input)} input but ${dataset} images are ${dims(shape)}: ${shape[2]} channels cannot become ${input[2]}; build the model for them with ${o('input')} ${shape.join(',')}`,
  imageTruncated: (source: string, format: string, bytes: number) =>
    `${source}: the ${format.toUpperCase()} image is truncated: its ${num(bytes)} bytes stop before the end-of-image ${format === 'png' ? 'IEND chunk' : 'marker (ff d9)'}; copy or download it again`,
  imageUnreadable: (source: string, code: string) => `${source}: cannot read the image (${code === 'ENOENT' ? 'no such file' : code}); name a PNG or JPEG file`,
  imageUndecodable: (source: string, format: string, detail: string) => `${source}: cannot decode this ${format.toUpperCase()} image (${detail})`,
  imageChannels: (channels: number) =>
    `the model input has ${channels} channels; images are read as grayscale (1 channel) or RGB (3 channels)`,
  imageTarget: (shape: readonly number[]) => `cannot preprocess to input shape ${JSON.stringify(shape)}; expected [H, W, C] of positive integers`,
  meanLength: (what: string, length: number, channels: number) =>
    `preprocessing ${what} has ${length} values; the model input has ${channels} channel(s) (give 1 or ${channels})`,
  emptyImage: (width: number, height: number) => `the image is ${width}×${height}: nothing to resize`,
} as const;
