/** Node-side loading of model files: reads model.json and its weight shards within bounded memory. */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { SpecError, UsageError } from '../core/errors.js';
import type { GraphSpec } from '../graph/types.js';
import { kerasToSpec } from './keras.js';
import { bindWeights, checkManifest, declaredBytes, decodeWeights, type WeightMap } from '../weights/manifest.js';

/** Largest model.json read as text; real ones are a few MiB at most. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

export interface ImportedModel {
  spec: GraphSpec;
  weights?: WeightMap;
}

function readBounded(path: string, limit: number): Buffer {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (size > limit) throw new SpecError(`${path}: ${size} bytes is larger than the ${limit}-byte limit for this kind of file`);
  return readFileSync(path);
}

/** Reads a Keras / TensorFlow.js model.json (and, when asked, its weights). */
export function importKerasFile(path: string, o: { weights?: boolean } = {}): ImportedModel {
  const text = readBounded(path, MAX_JSON_BYTES).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SpecError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const spec = kerasToSpec(json, path);
  if (!o.weights) return { spec };
  const manifest = (json as Record<string, unknown>).weightsManifest;
  if (manifest === undefined) throw new SpecError(`${path}: has no "weightsManifest", so it carries no weights`);
  const groups = checkManifest(manifest, path);
  const folder = resolve(dirname(path));
  const bytes = groups.map((g) => {
    const want = declaredBytes(g);
    const files = g.paths.map((p) => {
      const full = resolve(join(folder, decodeURIComponent(p)));
      if (!full.startsWith(folder + sep)) throw new SpecError(`${path}: weights path ${JSON.stringify(p)} points outside ${folder}`);
      return full;
    });
    const sizes = files.map((f) => {
      try {
        return statSync(f).size;
      } catch {
        throw new SpecError(`${path}: weights file ${f} is missing`);
      }
    });
    const have = sizes.reduce((a, b) => a + b, 0);
    // Compare before reading, so a manifest declaring gigabytes never allocates them.
    if (have !== want) throw new SpecError(`${path}: weights files ${g.paths.join(', ')} hold ${have} bytes but the manifest declares ${want}`);
    return Buffer.concat(files.map((f) => readFileSync(f)));
  });
  const tensors = decodeWeights(groups, bytes.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)), path);
  return { spec, weights: bindWeights(spec, tensors, path) };
}
