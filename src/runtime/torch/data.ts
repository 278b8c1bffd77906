/**
 * The data of a torch-engine run, read by convlab's own readers and prepared by its recipe
 * (runtime/tfjs/data.ts: scale, standardize, fit, validation split), then written once as .npy
 * arrays every training process memory-maps: images NCHW float32, labels uint8. `data.json`
 * records the recipe and a key of everything the arrays depend on; a later run or a --resume
 * with the same key reuses them without reading the data set again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDatasetDir, type DatasetName, type ImageShape, type LabeledSet } from '../../data/index.js';
import { writeOutput } from '../../core/output.js';
import type { AugmentationName } from '../../core/sets.js';
import { loadEvalData, loadTrainingData, type Augmentation, type Preprocessing } from '../tfjs/data.js';
import { transpose } from './layout.js';
import { bytesOf, writeNpy } from './npy.js';

/** Bumped when the arrays' layout changes, so old caches are rewritten. */
const FORMAT = 1;
export const DATA_JSON = 'data.json';

/** The files of one split. */
export interface SplitFiles {
  x: string;
  y: string;
  count: number;
}

/** What data.json records: the recipe the arrays were made with and their files. */
export interface PreparedData {
  key: string;
  name: DatasetName;
  classes: string[];
  preprocessing: Preprocessing;
  augment: Augmentation | null;
  input: ImageShape;
  train: SplitFiles;
  validation?: SplitFiles;
  test?: SplitFiles;
}

/** How the arrays are made. */
export interface DataRequest {
  dataset: DatasetName;
  /** The folder holding the data set, or a parent of it. */
  dir: string;
  input: ImageShape;
  seed: number;
  valSplit: number;
  limit?: number;
  standardize?: boolean;
  augment?: AugmentationName;
  /** Also write the test split (first `limit` samples when given). */
  test?: { limit?: number };
}

/** A key of the request and of the data set's files (names, sizes, times), so changed data is never reused. */
function keyOf(r: DataRequest): string {
  const folder = resolveDatasetDir(r.dataset, r.dir);
  const files = readdirSync(folder).sort().map((f) => {
    const s = statSync(join(folder, f));
    return [f, s.size, Math.round(s.mtimeMs)];
  });
  const { dir: _unused, ...rest } = r;
  return createHash('sha256').update(JSON.stringify({ FORMAT, folder, files, ...rest })).digest('hex').slice(0, 16);
}

/** Chunks of `set`'s images in NCHW order, a few thousand samples at a time. */
function* nchw(set: LabeledSet): Generator<Uint8Array> {
  const [h, w, c] = set.shape;
  const per = h * w * c;
  const step = 4096;
  for (let at = 0; at < set.count; at += step) {
    const n = Math.min(step, set.count - at);
    const block = set.images.subarray(at * per, (at + n) * per);
    // One channel (or one pixel): NHWC and NCHW hold the same order.
    yield bytesOf(c === 1 || h * w === 1 ? block : transpose(block, [n, h, w, c], [0, 3, 1, 2]));
  }
}

function writeSplit(dir: string, name: string, set: LabeledSet): SplitFiles {
  const [h, w, c] = set.shape;
  const x = join(dir, `${name}_x.npy`);
  const y = join(dir, `${name}_y.npy`);
  writeNpy(x, 'float32', [set.count, c, h, w], nchw(set));
  writeNpy(y, 'uint8', [set.count], [set.labels]);
  return { x, y, count: set.count };
}

/** The arrays of a run in `dir`: reused when data.json's key matches the request, written otherwise. */
export async function prepareData(dir: string, r: DataRequest): Promise<PreparedData> {
  const key = keyOf(r);
  const manifest = join(dir, DATA_JSON);
  if (existsSync(manifest)) {
    const known = JSON.parse(readFileSync(manifest, 'utf8')) as PreparedData;
    const files = [known.train, known.validation, known.test].flatMap((s) => (s ? [s.x, s.y] : []));
    if (known.key === key && files.every((f) => existsSync(f))) return known;
  }
  const data = await loadTrainingData(r.dataset, r.dir, {
    input: r.input, seed: r.seed, valSplit: r.valSplit,
    ...(r.limit !== undefined ? { limit: r.limit } : {}),
    ...(r.standardize !== undefined ? { standardize: r.standardize } : {}),
    ...(r.augment !== undefined ? { augment: r.augment } : {}),
  });
  const out: PreparedData = {
    key, name: r.dataset, classes: data.classes, preprocessing: data.preprocessing, augment: data.augment, input: r.input,
    train: writeSplit(dir, 'train', data.train),
  };
  if (data.validation) out.validation = writeSplit(dir, 'validation', data.validation);
  if (r.test) {
    const test = await loadEvalData(r.dataset, r.dir, 'test', r.input, data.preprocessing, r.test.limit);
    out.test = writeSplit(dir, 'test', test);
  }
  // Written last: its presence means every array is complete.
  writeOutput(manifest, `${JSON.stringify(out, null, 1)}\n`);
  return out;
}
