/** loadDataset: one call from a data set name and a folder to float images and labels. */
import { join } from 'node:path';
import { DataError, UsageError } from '../core/errors.js';
import { readCifar, readCifarMeta } from './cifar.js';
import {
  DATASET_NAMES,
  DATASETS,
  DIGITS_TEST_EVERY,
  isDatasetName,
  type CifarFiles,
  type DatasetInfo,
  type DatasetName,
  type IdxFiles,
} from './datasets.js';
import { readDigitsCsv } from './digits.js';
import { findFile } from './files.js';
import { readIdxImages, readIdxLabels } from './idx.js';
import { imageSize, type LabeledSet, type Split } from './types.js';
import { messages } from '../core/messages.js';

/** A loaded split: raw pixel values as floats (NHWC), labels, class names and the files read. */
export interface Dataset extends LabeledSet {
  name: DatasetName;
  split: Split;
  classes: string[];
  /** Paths of the files the samples came from. */
  files: string[];
}

export interface LoadOptions {
  /** Keep only the first `limit` samples of the split (file order). */
  limit?: number;
}

interface Raw {
  labels: Uint8Array;
  pixels: Uint8Array;
  classes: string[];
  files: string[];
}

/** Every file name a data set may use, for finding its folder. */
function anyFileOf(info: DatasetInfo): string[] {
  const f = info.files;
  if (f.format === 'idx') return Object.values(f.splits).flatMap((s) => [s.images, s.labels]);
  if (f.format === 'cifar') return Object.values(f.splits).flat(2);
  return [f.file];
}

/** The folder holding a data set's files: `dir` itself, or one of its known sub-folders. */
export function resolveDatasetDir(name: DatasetName, dir: string): string {
  const info = DATASETS[name];
  const candidates = [dir, ...info.folders.map((f) => join(dir, f))];
  const names = anyFileOf(info);
  const found = candidates.find((d) => findFile(d, names) !== undefined);
  if (found === undefined) throw new DataError(messages.folderMissing(name, names, candidates));
  return found;
}

/** The splits whose files are all in the data set's folder (both for a one-file data set). */
export function availableSplits(name: DatasetName, dir: string): Split[] {
  const folder = resolveDatasetDir(name, dir);
  const f = DATASETS[name].files;
  const has = (file: string) => findFile(folder, [file]) !== undefined;
  const splits: Split[] = ['train', 'test'];
  if (f.format === 'csv') return has(f.file) ? splits : [];
  if (f.format === 'idx') return splits.filter((s) => has(f.splits[s].images) && has(f.splits[s].labels));
  return splits.filter((s) => f.splits[s].some((alt) => alt.some(has)));
}

function need(dataset: string, dir: string, name: string): string {
  const path = findFile(dir, [name]);
  if (path === undefined) throw new DataError(messages.fileMissing(dataset, `${name} or ${name}.gz`, [dir]));
  return path;
}

async function loadIdx(info: DatasetInfo, files: IdxFiles, dir: string, split: Split, limit: number): Promise<Raw> {
  const imagesPath = need(info.name, dir, files.splits[split].images);
  const labelsPath = need(info.name, dir, files.splits[split].labels);
  const [images, labels] = await Promise.all([readIdxImages(imagesPath), readIdxLabels(labelsPath, info.classCount)]);
  const [h, w] = info.shape;
  if (images.rows !== h || images.cols !== w) {
    // Rows and columns are the second and third dimensions: bytes 8..15 of the header.
    throw new DataError(messages.imageSize(imagesPath, 8, info.name, [h, w], [images.rows, images.cols]));
  }
  if (images.count !== labels.length) throw new DataError(messages.countMismatch(imagesPath, images.count, labelsPath, labels.length));
  const n = Math.min(images.count, limit);
  return {
    labels: labels.slice(0, n),
    pixels: images.pixels.subarray(0, n * h * w),
    classes: [...info.classes!],
    files: [imagesPath, labelsPath],
  };
}

async function loadCifar(info: DatasetInfo, files: CifarFiles, dir: string, split: Split, limit: number): Promise<Raw> {
  let paths: string[] = [];
  for (const alternative of files.splits[split]) {
    paths = alternative.map((f) => findFile(dir, [f])).filter((p): p is string => p !== undefined);
    if (paths.length > 0) break;
  }
  if (paths.length === 0) {
    const wanted = files.splits[split].map((alt) => alt.join(' + ')).join(', or ');
    throw new DataError(messages.fileMissing(info.name, `${split} files (${wanted}, with or without .gz)`, [dir]));
  }
  const classes = await readCifarMeta(need(info.name, dir, info.classesFile!));
  const labels: Uint8Array[] = [];
  const pixels: Uint8Array[] = [];
  const used: string[] = [];
  let left = limit;
  for (const path of paths) {
    if (left <= 0) break;
    const records = await readCifar(path, left);
    labels.push(records.labels);
    pixels.push(records.pixels);
    used.push(path);
    left -= records.count;
  }
  return { labels: concat(labels), pixels: concat(pixels), classes, files: used };
}

async function loadDigits(info: DatasetInfo, file: string, dir: string, split: Split, limit: number): Promise<Raw> {
  const path = need(info.name, dir, file);
  const all = await readDigitsCsv(path);
  const keep: number[] = [];
  const seen = new Array<number>(info.classCount).fill(0);
  for (let i = 0; i < all.count && keep.length < limit; i++) {
    const rank = ++seen[all.labels[i]!]!;
    const isTest = rank % DIGITS_TEST_EVERY === 0;
    if (isTest === (split === 'test')) keep.push(i);
  }
  const size = imageSize(info.shape);
  const labels = new Uint8Array(keep.length);
  const pixels = new Uint8Array(keep.length * size);
  keep.forEach((src, dst) => {
    labels[dst] = all.labels[src]!;
    pixels.set(all.pixels.subarray(src * size, (src + 1) * size), dst * size);
  });
  return { labels, pixels, classes: [...info.classes!], files: [path] };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Loads one split of a data set from `dir` (the data set's folder, or a parent holding it under
 * a known name such as `mnist/`). Pixels keep their raw values (0..255, digits 0..16) as floats.
 */
export async function loadDataset(name: DatasetName, dir: string, split: Split, opts: LoadOptions = {}): Promise<Dataset> {
  if (!isDatasetName(name)) throw new UsageError(messages.unknownDataset(name, DATASET_NAMES));
  if (split !== 'train' && split !== 'test') throw new UsageError(messages.unknownSplit(split));
  const limit = opts.limit ?? Infinity;
  if (limit !== Infinity && !(Number.isInteger(limit) && limit > 0)) throw new UsageError(messages.badLimit(opts.limit));
  const info = DATASETS[name];
  const folder = resolveDatasetDir(name, dir);
  const files = info.files;
  const raw =
    files.format === 'idx'
      ? await loadIdx(info, files, folder, split, limit)
      : files.format === 'cifar'
        ? await loadCifar(info, files, folder, split, limit)
        : await loadDigits(info, files.file, folder, split, limit);
  return {
    name,
    split,
    images: new Float32Array(raw.pixels),
    labels: raw.labels,
    shape: [...info.shape],
    classes: raw.classes,
    count: raw.labels.length,
    files: raw.files,
  };
}
