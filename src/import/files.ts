/** Node-side reading of model files within bounded memory: JSON files, convlab specs, and Keras / tfjs model.json with its weights. */
import { readFileSync, statSync } from 'node:fs';
import { DataError, SpecError, UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { checkSpecStructure } from '../graph/graph.js';
import type { GraphSpec, Shape } from '../graph/types.js';
import { readManifestBytes, readWeights } from '../weights/files.js';
import { checkManifest, decodeWeights } from '../weights/manifest.js';
import { graphModelToGraph, isGraphModel } from './graph_model.js';
import { kerasToGraph } from './keras.js';
import type { ImportedModel } from './types.js';

/** Largest JSON file read as text (model.json, spec.json); real ones are a few MiB at most. */
const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** Largest ONNX file read: protobuf messages cannot exceed 2 GiB. */
export const MAX_ONNX_BYTES = 2 ** 31 - 1;

/** Reads a whole file of at most `limit` bytes; a missing file is a UsageError (worded by `unreadable`), a larger one a DataError. */
export function readBounded(path: string, limit: number, unreadable: (file: string, code: string) => string = messages.fileUnreadable): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UsageError(unreadable(path, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  if (size > limit) throw new DataError(messages.fileTooLarge(path, size, limit));
  return readFileSync(path);
}

/** Reads and parses a JSON file; bad JSON is a SpecError naming the file. */
export function readJsonFile(path: string): unknown {
  const text = new TextDecoder().decode(readBounded(path, MAX_JSON_BYTES));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SpecError(messages.notJson(path, (e as Error).message));
  }
}

/** Reads a convlab spec file and checks its structure (resolveGraph does the rest). */
export const readSpecFile = (path: string): GraphSpec => checkSpecStructure(readJsonFile(path));

/** Reads a Keras / TensorFlow.js model.json (and, when asked, its weights from the files beside it). */
export function importKerasFile(path: string, o: { weights?: boolean; input?: Shape } = {}): ImportedModel {
  const json = readJsonFile(path);
  if (isGraphModel(json)) return importGraphModel(json, path);
  const graph = kerasToGraph(json, path, o.input ? { input: o.input } : {});
  const source = { format: 'keras' as const, file: path };
  if (!o.weights) return { graph, spec: graph.spec, source };
  const manifest = (json as Record<string, unknown>).weightsManifest;
  if (manifest === undefined) throw new SpecError(messages.noManifest(path));
  return { graph, spec: graph.spec, source, weights: readWeights(manifest, graph, path) };
}

/**
 * A TensorFlow.js graph model: its constants are the model (weights, shapes, axes), so the
 * manifest is always read, and the weights always come with the graph.
 */
function importGraphModel(json: unknown, path: string): ImportedModel {
  const manifest = (json as Record<string, unknown>).weightsManifest ?? [];
  const groups = checkManifest(manifest, path);
  const { graph, weights } = graphModelToGraph(json, decodeWeights(groups, readManifestBytes(groups, path), path), path);
  return { graph, spec: graph.spec, source: { format: 'tfjs-graph', file: path }, weights };
}
