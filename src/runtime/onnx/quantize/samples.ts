/**
 * Where calibration and evaluation samples come from (Node-side): a data set's split prepared as
 * the model was trained, a folder of PNG / JPEG images under the model's preprocessing, or seeded
 * uniform noise for timing runs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDatasetName, type DatasetName, type ImageShape } from '../../../data/index.js';
import { Rng } from '../../../core/random.js';
import { DataError, UsageError } from '../../../core/errors.js';
import { decodeImage } from '../../../image/decode.js';
import { imageToInput } from '../../../image/preprocess.js';
import type { Preprocessing as ImagePreprocessing } from '../../../image/types.js';
import { loadEvalData, type Preprocessing } from '../../tfjs/data.js';
import type { CalibrationSamples } from './calibrate.js';
import { messages as m } from '../../../core/messages.js';

/** Samples held in one array. */
export function arraySamples(label: string, shape: number[], data: Float32Array): CalibrationSamples {
  const per = shape.reduce((a, b) => a * b, 1);
  return { label, shape, count: data.length / per, slice: (s, e) => data.subarray(s * per, e * per) };
}

/** A data set split prepared with the model's recorded preprocessing (the data set's own when none is recorded). */
export async function datasetSamples(
  name: DatasetName, dir: string, split: 'train' | 'test', shape: number[], pre: Preprocessing | undefined, limit?: number,
): Promise<CalibrationSamples & { labels: Uint8Array; classes: string[] }> {
  const set = await loadEvalData(name, dir, split, shape as unknown as ImageShape, pre, limit);
  return { ...arraySamples(`${name} ${split}${limit === undefined ? '' : `, first ${set.count}`}`, shape, set.images), labels: set.labels, classes: set.classes };
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/** The first `limit` PNG / JPEG files of a folder (sorted by name), decoded and preprocessed. */
export function folderSamples(dir: string, shape: number[], pre: ImagePreprocessing, limit: number): CalibrationSamples {
  const files = readdirSync(dir).filter((f) => IMAGE_FILE.test(f)).sort().slice(0, limit);
  if (files.length === 0) throw new DataError(m.noCalibrationImages(dir));
  const per = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(per * files.length);
  files.forEach((f, i) => {
    const path = join(dir, f);
    data.set(imageToInput(decodeImage(readFileSync(path), path), shape, pre, 'crop'), i * per);
  });
  return arraySamples(`${files.length} images from ${dir}`, shape, data);
}

/** Seeded values uniform in [0, 1): enough to time a quantized model, meaningless for its accuracy. */
export function randomSamples(shape: number[], count: number, seed = 0): CalibrationSamples {
  const per = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(seed, 7);
  const data = Float32Array.from({ length: per * count }, () => rng.next());
  return arraySamples(`${count} random inputs (seed ${seed})`, shape, data);
}

/** Model metadata relevant to samples: the recorded training recipe or image preprocessing. */
export interface SampleMeta {
  preprocessing?: unknown;
}

/**
 * Calibration samples named by `--calibrate`: a data set name or an image folder. `dataDir` says
 * where data sets are; it is asked only for a data set. Data sets give their training split:
 * calibration never sees the test images.
 */
export async function calibrationSamples(what: string, dataDir: () => string, shape: number[], meta: SampleMeta, count: number): Promise<CalibrationSamples> {
  if (isDatasetName(what)) return datasetSamples(what, dataDir(), 'train', shape, trainedRecipe(meta.preprocessing), count);
  let isDir = false;
  try {
    isDir = statSync(what).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(m.badCalibrate(what));
  return folderSamples(what, shape, (meta.preprocessing ?? {}) as ImagePreprocessing, count);
}

/** The training recipe `convlab train` records ({scale, mean, std, fit}), when the metadata holds one. */
export function trainedRecipe(p: unknown): Preprocessing | undefined {
  const r = p as Partial<Preprocessing> | undefined;
  return r && typeof r.scale === 'number' && (r.fit === 'pad' || r.fit === 'resize') ? (r as Preprocessing) : undefined;
}
