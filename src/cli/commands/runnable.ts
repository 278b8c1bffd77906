/**
 * What `bench` and `predict` run: a model argument resolved to a graph (zoo id, spec, imported
 * file, trained model directory), ONNX bytes, or both. Sources are tried in order.
 */
import { existsSync, statSync } from 'node:fs';
import { ConvlabError, UsageError } from '../../core/errors.js';
import { resolveGraph, type Graph } from '../../graph/graph.js';
import type { ModelOptions } from '../../zoo/registry.js';
import type { WeightMap } from '../../weights/init.js';
import { isTrainedDirectory, resolveModel } from '../load.js';
import { flagOf } from '../options.js';
import { messages } from '../../core/messages.js';

/** A model ready to open a session on. */
export interface Runnable {
  label: string;
  source: 'zoo' | 'spec' | 'onnx' | 'trained';
  /** The convlab graph when known: MACs, memory checks and per-layer names come from it. */
  graph: Graph | null;
  /** ONNX bytes of a model file; null when the graph is exported on the fly. */
  bytes: Uint8Array | null;
  /** Trained weights (Keras layout); null means seeded Keras-style initial weights. */
  weights: WeightMap | null;
  /** Model metadata (preprocessing, class names) when the source carries it. */
  meta: Record<string, unknown>;
  /** Why the graph is unknown, for "FLOPs unknown" notes. */
  graphNote: string | null;
}

/** One kind of model argument. */
export interface RunnableSource {
  matches(arg: string): boolean;
  load(arg: string, options: ModelOptions): Promise<Runnable>;
}

const isDirectory = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** `.onnx` files run as they are; their graph is known when convlab can import them. */
const onnxFile: RunnableSource = {
  matches: (arg) => /\.onnx$/i.test(arg),
  async load(arg, options) {
    const given = Object.entries(options).filter(([, v]) => v !== undefined).map(([k]) => flagOf(k));
    if (given.length > 0) throw new UsageError(messages.optionsOnFile(arg, given));
    const { readModelFile } = await import('../../runtime/onnx/node.js');
    const bytes = readModelFile(arg);
    let graph: Graph | null = null;
    let graphNote: string | null = null;
    try {
      graph = resolveGraph((await resolveModel(arg)).spec);
    } catch (e) {
      if (!(e instanceof ConvlabError)) throw e;
      graphNote = e.message;
    }
    return { label: arg, source: 'onnx', graph, bytes, weights: null, meta: graph?.spec.meta ?? {}, graphNote };
  },
};

/** A directory written by `convlab train`: its spec runs with its trained weights. */
const trainedDirectory: RunnableSource = {
  matches: isDirectory,
  async load(arg, options) {
    if (!isTrainedDirectory(arg)) throw new UsageError(messages.trainedDirectory(arg));
    const loaded = await resolveModel(arg, options);
    return {
      label: arg, source: 'trained', graph: resolveGraph(loaded.spec), bytes: null, weights: loaded.weights ?? null,
      meta: loaded.spec.meta ?? {}, graphNote: null,
    };
  },
};

/** Zoo ids and spec files: the graph is exported on the fly with seeded weights. */
const zooOrSpec: RunnableSource = {
  matches: () => true,
  async load(arg, options) {
    const loaded = await resolveModel(arg, options);
    const graph = resolveGraph(loaded.spec);
    return {
      label: loaded.label, source: loaded.meta ? 'zoo' : 'spec', graph, bytes: null, weights: null,
      meta: loaded.spec.meta ?? {}, graphNote: null,
    };
  },
};

/** Sources in the order they are tried. */
export const RUNNABLE_SOURCES: RunnableSource[] = [onnxFile, trainedDirectory, zooOrSpec];

/** Resolves a model argument of `bench` or `predict`. */
export async function resolveRunnable(arg: string, options: ModelOptions = {}): Promise<Runnable> {
  const source = RUNNABLE_SOURCES.find((s) => s.matches(arg))!;
  return source.load(arg, options);
}

/** Reads a whole number that may be zero (`--warmup 0`, `--seed 0`). */
export function wholeNumber(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(messages.badCount(option, text));
  return Number(text);
}
