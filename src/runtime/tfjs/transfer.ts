/**
 * Transfer learning on graphs: the head is the classifier (the last node with weights before the
 * output) and everything after it; the base is every other node. Freezing the base marks its
 * nodes trainable: false, so analysis counts them as non-trainable and tfjs leaves them alone.
 */
import { contextOf } from '../../analysis/analyze.js';
import { resolveGraph, type Graph } from '../../graph/graph.js';

/** The head's node names: the classifier nearest the output, and the nodes downstream of it. */
export function headNodes(graph: Graph): string[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const hasWeights = (name: string) => {
    const n = byName.get(name);
    return n !== undefined && n.def.weights(contextOf(n)).length > 0;
  };
  // Walk up from the output through single-input nodes to the first node with weights.
  let classifier: string | undefined = graph.outputs[0];
  while (classifier !== undefined && !hasWeights(classifier)) classifier = byName.get(classifier)?.inputs[0];
  if (classifier === undefined) return [];
  const head = new Set([classifier]);
  for (const n of graph.nodes) if (n.inputs.some((i) => head.has(i))) head.add(n.name);
  return graph.nodes.filter((n) => head.has(n.name)).map((n) => n.name);
}

/** The graph with every node outside the head frozen (a new graph: its spec marks them trainable: false). */
export function freezeBase(graph: Graph): Graph {
  const head = new Set(headNodes(graph));
  const { spec } = graph;
  return resolveGraph({
    ...spec,
    nodes: spec.nodes.map((n) => (head.has(n.name) ? n : { ...n, attrs: { ...(n.attrs ?? {}), trainable: false } })),
  });
}
