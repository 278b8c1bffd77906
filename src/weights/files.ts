/**
 * Reading the weight files a manifest names, on Node: each path is resolved inside the folder of
 * the file that holds the manifest (a model.json or a spec), and sizes are compared with the
 * manifest before anything is read, so a manifest declaring gigabytes never allocates them.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { DataError, SpecError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Graph } from '../graph/graph.js';
import { bindWeights, checkManifest, declaredBytes, decodeWeights, type ManifestGroup } from './manifest.js';
import type { WeightMap } from './map.js';

/** The bytes of every group of a checked manifest, one array per group; `file` holds the manifest. */
export function readManifestBytes(groups: ManifestGroup[], file: string): Uint8Array[] {
  const folder = resolve(dirname(file));
  return groups.map((g, gi) => {
    const paths = g.paths.map((p) => {
      const full = resolve(join(folder, decodeURIComponent(p)));
      // checkManifest refuses `..` and absolute paths; this catches what decoding or links could still bend.
      if (!full.startsWith(folder + sep)) throw new SpecError(messages.manifestPath(file, gi, p));
      return full;
    });
    const held = paths.reduce((s, f) => {
      try {
        return s + statSync(f).size;
      } catch {
        throw new DataError(messages.weightsFileMissing(file, f));
      }
    }, 0);
    const want = declaredBytes(g);
    if (held !== want) throw new DataError(messages.weightsBytes(file, g.paths, held, want));
    const all = new Uint8Array(want);
    let at = 0;
    for (const f of paths) {
      const part = readFileSync(f);
      all.set(part, at);
      at += part.length;
    }
    return all;
  });
}

/** Reads the weights a manifest (from `file`) names and binds them to the graph's nodes. */
export function readWeights(manifest: unknown, graph: Graph, file: string): WeightMap {
  const groups = checkManifest(manifest, file);
  return bindWeights(graph, decodeWeights(groups, readManifestBytes(groups, file), file), file);
}
