/**
 * Image folders as data sets: one subfolder per class, the layout Keras'
 * image_dataset_from_directory and torchvision's ImageFolder read. Classes are the subfolder
 * names sorted by code point (Python's sorted(), so indices match those tools); files are sorted
 * the same way within a class. PNG and JPEG are decoded by src/image and stretched to the model's
 * input with bilinear resizing, as image_dataset_from_directory does by default.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { decodeImage } from '../image/decode.js';
import { fitTo, toChannels } from '../image/preprocess.js';
import { imageSize, type ImageShape, type LabeledSet } from './types.js';

/** How a folder data set is named on the command line: `folder:PATH`. */
export const FOLDER_PREFIX = 'folder:';

/** The extensions read as images (others, and hidden files, are skipped as Keras skips them). */
const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;

/** Labels are bytes (LabeledSet), so at most 256 classes. */
const MAX_CLASSES = 256;

/** A folder data set read at a model's input size: pixels in [0, 255], classes and the files read. */
export interface FolderSet extends LabeledSet {
  classes: string[];
  files: string[];
}

/** The folder of a `folder:PATH` data set name, or undefined for any other name. */
export const folderOf = (name: string): string | undefined => (name.startsWith(FOLDER_PREFIX) ? name.slice(FOLDER_PREFIX.length) : undefined);

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const visible = (name: string): boolean => !name.startsWith('.');

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).filter(visible).sort(byCodePoint);
  } catch (e) {
    throw new DataError(messages.fileUnreadable(dir, (e as NodeJS.ErrnoException).code ?? String(e)));
  }
}

/**
 * The folder holding a split: `PATH/train` or `PATH/test` when PATH has both, else PATH itself
 * for the training split; a folder without a test split has none.
 */
export function folderSplitDir(path: string, split: 'train' | 'test'): string | undefined {
  if (!isDir(path)) throw new UsageError(messages.folderNotFound(path));
  const hasSplits = isDir(join(path, 'train')) && isDir(join(path, 'test'));
  if (hasSplits) return join(path, split);
  return split === 'train' ? path : undefined;
}

/** Class names and image files per class of a class-per-subfolder tree; an empty class is an error naming its folder. */
export function listImageFolder(dir: string): { classes: string[]; files: string[][] } {
  const classes = list(dir).filter((name) => isDir(join(dir, name)));
  if (classes.length === 0) throw new DataError(messages.folderNoClasses(dir));
  if (classes.length > MAX_CLASSES) throw new DataError(messages.folderTooManyClasses(dir, classes.length, MAX_CLASSES));
  const files = classes.map((c) => {
    const images = list(join(dir, c)).filter((f) => IMAGE_EXTENSIONS.test(f)).map((f) => join(dir, c, f));
    if (images.length === 0) throw new DataError(messages.folderEmptyClass(join(dir, c)));
    return images;
  });
  return { classes, files };
}

/**
 * Reads a class-per-subfolder image tree at `input` [H, W, C] (stretched, 1 or 3 channels) in
 * class order, then file order; `limit` keeps the first samples of that order. An unreadable or
 * undecodable file is an error naming it.
 */
export function readImageFolder(dir: string, input: ImageShape, o: { limit?: number } = {}): FolderSet {
  const { classes, files } = listImageFolder(dir);
  const all = files.flatMap((list, label) => list.map((file) => ({ file, label })));
  const kept = all.slice(0, Math.min(all.length, o.limit ?? Infinity));
  const size = imageSize(input);
  const images = new Float32Array(kept.length * size);
  const labels = new Uint8Array(kept.length);
  kept.forEach(({ file, label }, i) => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new DataError(messages.fileUnreadable(file, (e as NodeJS.ErrnoException).code ?? String(e)));
    }
    const pixels = fitTo(toChannels(decodeImage(bytes, file), input[2]), input[0], input[1], 'stretch');
    images.set(pixels.data, i * size);
    labels[i] = label;
  });
  return { images, labels, shape: [...input], count: kept.length, classes, files: kept.map((k) => k.file) };
}

/** The number of classes of a `folder:PATH` data set's training split. */
export const folderClassCount = (path: string): number => listImageFolder(folderSplitDir(path, 'train')!).classes.length;
