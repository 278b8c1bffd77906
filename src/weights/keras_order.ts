/**
 * The order in which Keras lists the layers of a functional model (model.layers), computed on a
 * convlab graph whose nodes are the Keras layers. Keras' weight files follow it: a legacy .h5
 * matches layers with weights by position in this order, and a Keras 3 .weights.h5 numbers the
 * layers of each class in it. Keras (functional.py / ops/function.py, map_graph) walks the graph
 * from the outputs depth-first, inputs in call order, noting the first visit of each layer; a
 * layer's depth is its longest path to an output; layers are listed by decreasing depth, ties in
 * the order of first visit.
 */
import type { Graph } from '../graph/graph.js';

/** Names of the graph's inputs and nodes in Keras' model.layers order. */
export function kerasLayerOrder(graph: Graph): string[] {
  const inputsOf = new Map<string, readonly string[]>(graph.inputs.map((i) => [i.name, []]));
  for (const n of graph.nodes) inputsOf.set(n.name, n.inputs);

  const visitOrder = new Map<string, number>();
  const finished = new Set<string>();
  const postOrder: string[] = [];
  // Iterative DFS: a frame is a node and the index of its next input to visit.
  for (const out of graph.outputs) {
    const stack: Array<[string, number]> = [[out, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [name, next] = top;
      if (next === 0) {
        if (finished.has(name)) {
          stack.pop();
          continue;
        }
        if (!visitOrder.has(name)) visitOrder.set(name, visitOrder.size);
      }
      const ins = inputsOf.get(name) ?? [];
      if (next < ins.length) {
        top[1] = next + 1;
        if (!finished.has(ins[next]!)) stack.push([ins[next]!, 0]);
        continue;
      }
      finished.add(name);
      postOrder.push(name);
      stack.pop();
    }
  }

  const depth = new Map<string, number>();
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const name = postOrder[i]!;
    const d = depth.get(name) ?? 0;
    for (const parent of inputsOf.get(name) ?? []) depth.set(parent, Math.max(d + 1, depth.get(parent) ?? 0));
  }
  return [...postOrder].sort((a, b) => (depth.get(b) ?? 0) - (depth.get(a) ?? 0) || visitOrder.get(a)! - visitOrder.get(b)!);
}
