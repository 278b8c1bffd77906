/**
 * Reading the weight files a manifest names, on Node: each path is resolved inside the folder of
 * the file that holds the manifest (a model.json or a spec), symbolic links included, and sizes are compared with the
 * manifest before anything is read, so a manifest declaring gigabytes never allocates them.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { confinedPath } from '../core/confined.js';
import { DataError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Graph } from '../graph/graph.js';
import { bindWeights, checkManifest, declaredBytes, decodeWeights, type ManifestGroup } from './manifest.js';
import type { WeightMap } from './map.js';

/** The bytes of every group of a checked manifest, one array per group; `file` holds the manifest. */
export function readManifestBytes(groups: ManifestGroup[], file: string): Uint8Array[] {
  const folder = resolve(dirname(file));
  return groups.map((g) => {
    // checkManifest refuses `..` and absolute paths as written; this also refuses links out of the folder.
    const paths = g.paths.map((p) => confinedPath(folder, decodeURIComponent(p), file));
    const held = paths.reduce((s, f) => {
      let st;
      try {
        st = statSync(f);
      } catch {
        throw new DataError(messages.weightsFileMissing(file, f));
      }
      // A pipe or device would block or never end when read.
      if (!st.isFile()) throw new DataError(messages.notRegularFile(file, f));
      return s + st.size;
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
