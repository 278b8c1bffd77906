/** Resolves a model argument (zoo id, spec.json, model.onnx, model.json) to a graph spec. */
import { readFileSync, existsSync } from 'node:fs';
import { SpecError, UsageError } from '../graph/errors.js';
import { checkSpecStructure } from '../graph/graph.js';
import { messages } from '../graph/messages.js';
import type { GraphSpec } from '../graph/types.js';
import { getModel, type ModelOptions } from '../zoo/index.js';

/** Reads a model from a zoo id or a file. Options pass through to zoo builders. */
export async function loadModel(arg: string, options: ModelOptions = {}): Promise<GraphSpec> {
  if (arg.endsWith('.json') && !arg.endsWith('model.json')) return readSpecFile(arg);
  if (/\.onnx$/i.test(arg) || arg.endsWith('model.json')) {
    throw new UsageError(`${arg}: importing ONNX and Keras model.json files is not available in this build`);
  }
  if (existsSync(arg) && !/^[a-z0-9_]+$/.test(arg)) throw new UsageError(`${arg}: unrecognized model file; expected a spec .json, .onnx or model.json`);
  return getModel(arg, options);
}

/** Reads and structurally checks a spec JSON file. */
export function readSpecFile(path: string): GraphSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SpecError(messages.notJson(path, (e as Error).message));
  }
  return checkSpecStructure(raw);
}
