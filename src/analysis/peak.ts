/** Inference memory: the peak of live tensors over the topological schedule. */
import { complete, type Steps } from '../core/steps.js';
import type { Graph } from '../graph/graph.js';
import type { LayerRow } from './types.js';

/**
 * Peak bytes of live tensors for one sample. A tensor lives from the step that produces it to
 * the last step that reads it; graph outputs live to the end. Views (Flatten, Reshape, Dropout)
 * share their input's buffer, extending its life instead of allocating.
 */
export function inferencePeak(graph: Graph, rows: LayerRow[]): number {
  return complete(inferencePeakSteps(graph, rows));
}

/** inferencePeak cut into steps: it yields after each row, node or tensor of each pass. */
export function* inferencePeakSteps(graph: Graph, rows: LayerRow[]): Steps<number> {
  const step = new Map<string, number>();
  const buffer = new Map<string, string>();
  const size = new Map<string, number>();
  const rowByName = new Map<string, LayerRow>();
  for (const r of rows) {
    rowByName.set(r.name, r);
    yield;
  }
  graph.inputs.forEach((inp) => {
    step.set(inp.name, 0);
    buffer.set(inp.name, inp.name);
    size.set(inp.name, rowByName.get(inp.name)!.activationBytes);
  });
  for (const [i, node] of graph.nodes.entries()) {
    step.set(node.name, i + 1);
    const row = rowByName.get(node.name)!;
    if (row.aliasesInput) buffer.set(node.name, buffer.get(node.inputs[0]!)!);
    else {
      buffer.set(node.name, node.name);
      size.set(node.name, row.activationBytes);
    }
    yield;
  }
  const last = graph.nodes.length;
  const end = new Map<string, number>();
  const touch = (b: string, s: number) => end.set(b, Math.max(end.get(b) ?? 0, s));
  for (const [name, b] of buffer) {
    touch(b, step.get(name)!);
    yield;
  }
  for (const [i, node] of graph.nodes.entries()) {
    for (const inp of node.inputs) touch(buffer.get(inp)!, i + 1);
    yield;
  }
  graph.outputs.forEach((o) => touch(buffer.get(o)!, last));
  const delta = new Float64Array(last + 2);
  for (const [b, bytes] of size) {
    delta[step.get(b)!]! += bytes;
    delta[end.get(b)! + 1]! -= bytes;
    yield;
  }
  let live = 0;
  let peak = 0;
  for (let s = 0; s <= last; s++) {
    live += delta[s]!;
    if (live > peak) peak = live;
  }
  return peak;
}
