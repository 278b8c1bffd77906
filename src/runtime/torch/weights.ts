/**
 * Weights crossing to and from PyTorch: a folder with one .npy per state-dict tensor (named as
 * the tensor, in PyTorch layout) and `weights.json` listing them. convlab writes the initial
 * weights there; the PyTorch side writes the trained ones back in the same form.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../core/errors.js';
import { makeFolder } from '../../core/folders.js';
import { writeOutput } from '../../core/output.js';
import type { WeightMap } from '../../weights/map.js';
import type { MappedWeight } from './codegen.js';
import { toKeras, toTorch } from './layout.js';
import { bytesOf, readFloat32Npy, writeNpy } from './npy.js';
import { messages } from '../../core/messages.js';

export const WEIGHTS_JSON = 'weights.json';

/** One entry of weights.json. */
export interface WeightFile {
  /** State-dict name. */
  name: string;
  file: string;
  shape: number[];
}

/** Writes Keras-layout weights as PyTorch tensors, one .npy each, and their list. */
export function writeTorchWeights(dir: string, table: readonly MappedWeight[], weights: WeightMap): void {
  makeFolder(dir);
  const list: WeightFile[] = [];
  for (const w of table) {
    const keras = weights.get(w.key);
    if (!keras) throw new DataError(messages.noTensorToSend(w.key));
    const file = `${w.name}.npy`;
    writeNpy(join(dir, file), 'float32', w.weight.shape, [bytesOf(toTorch(w.weight, w.kerasShape, keras))]);
    list.push({ name: w.name, file, shape: w.weight.shape });
  }
  writeOutput(join(dir, WEIGHTS_JSON), `${JSON.stringify(list, null, 1)}\n`);
}

/** Reads PyTorch tensors written in that form back into Keras layout, keyed `node/weight`. */
export function readTorchWeights(dir: string, table: readonly MappedWeight[]): WeightMap {
  if (!existsSync(join(dir, WEIGHTS_JSON))) throw new DataError(messages.noResult(dir));
  const listed = new Map((JSON.parse(readFileSync(join(dir, WEIGHTS_JSON), 'utf8')) as WeightFile[]).map((f) => [f.name, f]));
  const out: WeightMap = new Map();
  for (const w of table) {
    const f = listed.get(w.name);
    if (!f) throw new DataError(messages.noTensorReturned(join(dir, WEIGHTS_JSON), w.name, w.key));
    out.set(w.key, toKeras(w.weight, w.kerasShape, readFloat32Npy(join(dir, f.file), w.weight.shape)));
  }
  return out;
}
