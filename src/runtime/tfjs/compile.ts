/**
 * Compiles a convlab graph to a tf.LayersModel with the functional API: one layer per node,
 * named as the node, Keras initializers seeded per weight, Keras layer semantics. A node tfjs
 * cannot train fails here with its name, never later in training.
 */
import * as tf from '@tensorflow/tfjs';
import { contextOf } from '../../analysis/analyze.js';
import { ConvlabError, RuntimeError } from '../../core/errors.js';
import type { Graph } from '../../graph/graph.js';
import { atNode } from '../../core/messages.js';
import { nodeInitializers, weightSeed } from './init.js';
import { registerCustomLayers } from './layers/index.js';
import { CannotTrain, lowerNode } from './lowering.js';

export interface CompileOptions {
  /** Seed of the weight initializers (and dropout masks); 0 by default. */
  seed?: number;
  /**
   * False fills every weight with zeros instead of sampling its initializer: for building a
   * model only to inspect it (parameter counts, shapes) or to load weights into it.
   */
  initialize?: boolean;
}

/** A compiled model and the graph it came from. */
export interface Compiled {
  model: tf.LayersModel;
  graph: Graph;
}

/** Builds the tfjs model of a resolved graph. */
export function compileGraph(graph: Graph, o: CompileOptions = {}): Compiled {
  registerCustomLayers();
  const seed = o.seed ?? 0;
  const tensors = new Map<string, tf.SymbolicTensor>();
  const inputs = graph.inputs.map((i) => {
    const t = tf.input({ shape: i.shape, name: i.name });
    tensors.set(i.name, t);
    return t;
  });
  // Helper layers (an activation a conv could not fuse) take names no node has.
  const taken = new Set([...graph.inputs.map((i) => i.name), ...graph.nodes.map((n) => n.name)]);
  const freshName = (base: string): string => {
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  };
  // Tensors some trainable weight feeds: only their consumers need input gradients.
  const trained = new Set<string>();
  for (const node of graph.nodes) {
    const weights = node.def.weights(contextOf(node));
    const inputGrad = node.inputs.some((i) => trained.has(i));
    if (inputGrad || (node.attrs.trainable && weights.some((w) => w.trainable))) trained.add(node.name);
    try {
      const init = nodeInitializers(node.name, weights, seed);
      const out = lowerNode({ node, inputs: node.inputs.map((n) => tensors.get(n)!), init, seed: weightSeed(seed, node.name), initialize: o.initialize ?? true, inputGrad, freshName });
      tensors.set(node.name, out);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const known = e instanceof CannotTrain || e instanceof ConvlabError;
      throw new RuntimeError(atNode(node.name, node.op, known ? message : `tfjs refused the layer: ${message}`));
    }
  }
  const model = tf.model({ inputs, outputs: graph.outputs.map((o) => tensors.get(o)!), name: graph.name });
  return { model, graph };
}
