/**
 * `--weights imagenet | PATH | URL` on the commands that run or write a model: loads the weights
 * onto the resolved graph (downloading into the Keras cache with a progress bar on stderr), and
 * records where they came from, with ImageNet's class names when the top is ImageNet's, in the
 * model's metadata (so an exported ONNX file carries them). Commands that only run the model in
 * ONNX Runtime take withWeightsExported, which keeps the exported file in convlab's cache.
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Graph } from '../graph/graph.js';
import type { LocatedWeights } from '../weights/load.js';
import type { ModelOptions } from '../zoo/index.js';
import { progressReporter } from './progress.js';
import type { ResolvedModel } from './resolve.js';

/** Declares `--weights` on a command. */
export function addWeightsOption(cmd: Command): Command {
  return cmd.option('--weights <source>', "imagenet (Keras' published weights of a zoo id, cached in $KERAS_HOME/models), a Keras weights file (.h5, .weights.h5, .keras) or an http(s) URL");
}

type Err = (text: string) => void;
const stderr: Err = (t) => process.stderr.write(t);

/** Finds the weights file (fetching it with a progress bar), before anything is read from it. */
async function locate(m: ResolvedModel<Graph | null>, source: string, options: ModelOptions, err: Err): Promise<{ graph: Graph; located: LocatedWeights }> {
  if (m.source.kind === 'onnx' || m.graph === null) throw new UsageError(messages.weightsOnOnnx(m.label));
  const { locateWeights } = await import('../weights/load.js');
  const progress = progressReporter(err);
  const zoo = m.source.kind === 'zoo' ? { id: m.source.id, options, defaultInput: m.source.entry.input } : undefined;
  try {
    const located = await locateWeights(source, { graph: m.graph, ...(zoo ? { zoo } : {}) }, {
      onProgress: (p) => {
        if (p.status !== 'present') progress.update(p.file, p, '');
      },
      onWarning: (w) => err(`warning: ${w}\n`),
    });
    return { graph: m.graph, located };
  } finally {
    progress.stop();
  }
}

/** Reads and binds located weights; the lines to tell the user, and the metadata naming the weights. */
async function bind(m: ResolvedModel<Graph | null>, graph: Graph, located: LocatedWeights) {
  const { bindLocated } = await import('../weights/load.js');
  const { rawDigests } = await import('../data/download.js');
  const loaded = await bindLocated(located, graph);
  const lines = [messages.weightsLoaded(loaded.file, loaded.layers, loaded.rule, loaded.skipped)];
  const digests = loaded.fetched ?? (await rawDigests(loaded.file));
  if (!loaded.published?.md5) lines.push(messages.weightsDigest(loaded.file, digests.sha256));
  const meta = {
    ...m.meta,
    weights: { source: loaded.source, file: loaded.file, md5: digests.md5, sha256: digests.sha256 },
    ...(loaded.classNames ? { classNames: loaded.classNames } : {}),
  };
  return { lines, meta, weights: loaded.weights };
}

const withMeta = <G extends Graph | null>(graph: Graph, meta: Record<string, unknown>): G => ({ ...graph, spec: { ...graph.spec, meta } }) as G;

/** The resolved model with `--weights` loaded onto its graph; unchanged when the flag is absent. */
export async function withWeights<G extends Graph | null>(m: ResolvedModel<G>, source: string | undefined, options: ModelOptions, err: Err = stderr): Promise<ResolvedModel<G>> {
  if (source === undefined) return m;
  const { graph, located } = await locate(m, source, options, err);
  const { lines, meta, weights } = await bind(m, graph, located);
  for (const line of lines) err(`${line}\n`);
  return { ...m, graph: withMeta<G>(graph, meta), meta, weights };
}

/** What the export cache keeps beside a file: the lines the load printed and the metadata. */
interface ExportNote {
  lines: string[];
  meta: Record<string, unknown>;
}

/**
 * As withWeights, for commands that only run the model in ONNX Runtime (predict, bench, eval):
 * the model exported with its weights is cached (runtime/onnx/export_cache.ts), and a later run
 * with the same graph and weights file opens that file without reading the weights again. The
 * result carries the ONNX bytes in `prepared`; `weights` is null when they came from the cache.
 */
export async function withWeightsExported<G extends Graph | null>(m: ResolvedModel<G>, source: string | undefined, options: ModelOptions, err: Err = stderr): Promise<ResolvedModel<G>> {
  if (source === undefined) return m;
  const { graph, located } = await locate(m, source, options, err);
  const { exportKey, optimizedCacheFile, readExport, writeExport } = await import('../runtime/onnx/export_cache.js');
  const { engineInfo } = await import('../runtime/onnx/node.js');
  const key = exportKey(graph.spec, JSON.stringify({ identity: located.identity, bind: located.bind, source: located.source }));
  const optimizedCache = optimizedCacheFile(key, engineInfo().version);
  const hit = readExport<ExportNote>(key);
  if (hit) {
    for (const line of hit.note.lines) err(`${line}\n`);
    err(`${messages.exportCached(located.file)}\n`);
    return { ...m, graph: withMeta<G>(graph, hit.note.meta), meta: hit.note.meta, weights: null, prepared: hit.bytes, optimizedCache };
  }
  const { lines, meta, weights } = await bind(m, graph, located);
  for (const line of lines) err(`${line}\n`);
  const withWeightsGraph = withMeta<G>(graph, meta);
  const { exportModel } = await import('../runtime/onnx/export.js');
  const { encodeModel } = await import('../onnx/proto.js');
  const bytes = encodeModel(exportModel(withWeightsGraph as Graph, { weights }).model);
  // The optimized form is saved only beside a cached export, so pruning removes the two together.
  const cached = writeExport<ExportNote>(key, bytes, { lines, meta });
  return { ...m, graph: withWeightsGraph, meta, weights, prepared: bytes, ...(cached ? { optimizedCache } : {}) };
}
