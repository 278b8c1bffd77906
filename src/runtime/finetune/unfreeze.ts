/**
 * `--unfreeze-top N`: after the head has trained on cached features, the top N blocks of the base
 * train with it, end to end. Blocks come from the names the zoo builder gives them
 * (ModelMeta.blocks); a model without that metadata unfreezes its top N weighted layers instead,
 * and says so. As Keras' fine-tuning guide does, everything from the first unfrozen layer to the
 * output trains (layers between blocks included).
 */
import { UsageError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import { contextOf } from '../../analysis/analyze.js';
import { resolveGraph, type Graph } from '../../graph/graph.js';
import { BlockNames, blockNamingOf } from '../../rewrite/depth.js';

/** What unfreezing did. */
export interface Unfrozen {
  graph: Graph;
  /** Base nodes made trainable, in graph order. */
  nodes: string[];
  /** What N counted: the builder's blocks, or weighted layers when the model names no blocks. */
  unit: 'blocks' | 'weighted layers';
}

/**
 * Makes the top `n` blocks (or weighted layers) of a frozen base trainable again; `frozen` names
 * the base nodes, in graph order.
 */
export function unfreezeTop(graph: Graph, frozen: readonly string[], n: number): Unfrozen {
  const naming = blockNamingOf(graph.spec);
  const byName = new Map(graph.nodes.map((x) => [x.name, x]));
  // Where each unit starts, in graph order.
  let starts: string[];
  let unit: Unfrozen['unit'];
  if (naming) {
    const names = new BlockNames(naming);
    const first = new Map<string, string>();
    for (const name of frozen) {
      const p = names.parse(name);
      if (p && !first.has(`${p.stage}/${p.index}`)) first.set(`${p.stage}/${p.index}`, name);
    }
    starts = [...first.values()];
    unit = 'blocks';
  } else {
    starts = frozen.filter((name) => byName.get(name)!.def.weights(contextOf(byName.get(name)!)).length > 0);
    unit = 'weighted layers';
  }
  if (n > starts.length || starts.length === 0) throw new UsageError(messages.unfreezeTooMany(n, starts.length, unit));
  const from = frozen.indexOf(starts[starts.length - n]!);
  const thaw = new Set(frozen.slice(from));
  const spec = graph.spec;
  const nodes = spec.nodes.map((x) => {
    if (!thaw.has(x.name)) return x;
    const { trainable: _, ...attrs } = x.attrs ?? {};
    return { ...x, attrs };
  });
  return { graph: resolveGraph({ ...spec, nodes }), nodes: [...thaw], unit };
}
