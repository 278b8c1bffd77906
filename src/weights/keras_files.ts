/**
 * Keras weight files on disk, on Node: HDF5 files (.h5, .weights.h5) and .keras archives (a zip
 * holding config.json and model.weights.h5, unpacked with fflate), read into stored layers and
 * bound to a graph.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { DataError, UsageError } from '../core/errors.js';
import type { Graph } from '../graph/graph.js';
import { bindKerasWeights, type BindOptions, type BindResult } from './keras_bind.js';
import type { KerasWeightsFile } from './keras_h5.js';
import { readKerasH5 } from './keras_h5_watchdog.js';
import { messages } from '../core/messages.js';

/** A Keras file read from disk: its stored layers, and for .keras archives the config. */
export interface KerasFile extends KerasWeightsFile {
  /** The archive's config.json (a .keras file), or the model_config of a full-model .h5. */
  config?: unknown;
  /** The config's layers in model.layers order, which Keras 3 weights follow. */
  configLayers?: Array<{ name: string; className: string }>;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** The layers a Keras model config lists, with their class names. */
function layersOf(config: unknown): Array<{ name: string; className: string }> | undefined {
  const inner = isObj(config) && isObj(config.config) ? config.config : undefined;
  if (!inner || !Array.isArray(inner.layers)) return undefined;
  return inner.layers.filter(isObj).map((l) => ({
    name: String(l.name ?? (isObj(l.config) ? l.config.name : '')),
    className: String(l.class_name),
  }));
}

/** Reads a .keras archive: config.json, and model.weights.h5 through a temporary file (h5wasm opens files by path). */
async function readArchive(path: string, bytes: Uint8Array): Promise<KerasFile> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === 'config.json' || f.name === 'model.weights.h5' });
  } catch (e) {
    throw new DataError(messages.notKerasArchive(path, (e as Error).message));
  }
  const configBytes = files['config.json'];
  const weights = files['model.weights.h5'];
  if (!configBytes) throw new DataError(messages.archiveMember(path, 'config.json'));
  if (!weights) throw new DataError(messages.archiveMember(path, 'model.weights.h5'));
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (e) {
    throw new DataError(messages.notKerasArchive(path, `config.json: ${(e as Error).message}`));
  }
  const dir = mkdtempSync(join(tmpdir(), 'convlab-keras-'));
  try {
    const h5 = join(dir, 'model.weights.h5');
    writeFileSync(h5, weights);
    const stored = await readKerasH5(h5, `${path}:model.weights.h5`);
    const configLayers = layersOf(config);
    return { ...stored, file: path, config, ...(configLayers ? { configLayers } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads any Keras weights file: a .keras archive, a full-model .h5, a save_weights .h5 or a Keras 3 .weights.h5. */
export async function readKerasFile(path: string): Promise<KerasFile> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) return readArchive(path, bytes);
  const stored = await readKerasH5(path);
  if (stored.modelConfig === undefined) return stored;
  const configLayers = layersOf(stored.modelConfig);
  return { ...stored, config: stored.modelConfig, ...(configLayers ? { configLayers } : {}) };
}

/** Reads a Keras weights file and binds it to the graph (see bindKerasWeights for the matching rules). */
export async function loadKerasWeights(graph: Graph, path: string, o: BindOptions = {}): Promise<BindResult> {
  const file = await readKerasFile(path);
  return bindKerasWeights(graph, file, { ...o, ...(file.configLayers && file.layout === 'keras3-weights' ? { configLayers: file.configLayers } : {}) });
}
