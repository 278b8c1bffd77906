/** Small graph builders shared by tests. */
import { GraphBuilder, type Tensor } from '../../src/graph/builder.js';
import { analyze } from '../../src/analysis/analyze.js';
import { type Analysis, type AnalyzeOptions } from '../../src/analysis/types.js';
import type { GraphSpec, Shape } from '../../src/graph/types.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Builds a one-input graph with `body` and analyses it. */
export function analyzeWith(input: Shape, body: (b: GraphBuilder, x: Tensor) => Tensor, opts: AnalyzeOptions = {}): Analysis {
  const b = new GraphBuilder('test');
  const x = b.input(input, 'input');
  return analyze(resolveGraph(b.build(body(b, x))), opts);
}

/** The row of a named layer; fails loudly when it is missing. */
export function row(a: Analysis, name: string) {
  const r = a.layers.find((l) => l.name === name);
  if (!r) throw new Error(`no layer ${name} in ${a.layers.map((l) => l.name).join(', ')}`);
  return r;
}

/** A spec's nodes in name order, so two specs compare whatever order their nodes were written in. */
export const nodesByName = (s: GraphSpec) => [...s.nodes].sort((a, b) => a.name.localeCompare(b.name));

/** How many distinct blocks a spec holds: the distinct first groups of `re` over its node names. */
export const blockCount = (s: GraphSpec, re: RegExp): number => new Set(s.nodes.map((n) => re.exec(n.name)?.[1]).filter(Boolean)).size;
