/**
 * `--weights imagenet | PATH | URL` on the commands that run or write a model: loads the weights
 * onto the resolved graph (downloading into the Keras cache with a progress bar on stderr), and
 * records where they came from, with ImageNet's class names when the top is ImageNet's, in the
 * model's metadata (so an exported ONNX file carries them).
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Graph } from '../graph/graph.js';
import type { ModelOptions } from '../zoo/index.js';
import { progressReporter } from './progress.js';
import type { ResolvedModel } from './resolve.js';

/** Declares `--weights` on a command. */
export function addWeightsOption(cmd: Command): Command {
  return cmd.option('--weights <source>', "imagenet (Keras' published weights of a zoo id, cached in $KERAS_HOME/models), a Keras weights file (.h5, .weights.h5, .keras) or an http(s) URL");
}

/** The resolved model with `--weights` loaded onto its graph; unchanged when the flag is absent. */
export async function withWeights<G extends Graph | null>(
  m: ResolvedModel<G>, source: string | undefined, options: ModelOptions, err: (text: string) => void = (t) => process.stderr.write(t),
): Promise<ResolvedModel<G>> {
  if (source === undefined) return m;
  if (m.source.kind === 'onnx' || m.graph === null) throw new UsageError(messages.weightsOnOnnx(m.label));
  const { loadWeights } = await import('../weights/load.js');
  const { rawDigests } = await import('../data/download.js');
  const progress = progressReporter(err);
  const zoo = m.source.kind === 'zoo' ? { id: m.source.id, options, defaultInput: m.source.entry.input } : undefined;
  let loaded;
  try {
    loaded = await loadWeights(source, { graph: m.graph, ...(zoo ? { zoo } : {}) }, {
      onProgress: (p) => {
        if (p.status !== 'present') progress.update(p.file, p, '');
      },
      onWarning: (w) => err(`warning: ${w}\n`),
    });
  } finally {
    progress.stop();
  }
  err(`${messages.weightsLoaded(loaded.file, loaded.layers, loaded.rule, loaded.skipped)}\n`);
  const digests = loaded.fetched ?? (await rawDigests(loaded.file));
  if (!loaded.published?.md5) err(`${messages.weightsDigest(loaded.file, digests.sha256)}\n`);
  const meta = {
    ...m.meta,
    weights: { source: loaded.source, file: loaded.file, md5: digests.md5, sha256: digests.sha256 },
    ...(loaded.classNames ? { classNames: loaded.classNames } : {}),
  };
  const graph = { ...m.graph, spec: { ...m.graph.spec, meta } } as G;
  return { ...m, graph, meta, weights: loaded.weights };
}
