/**
 * Analysis speed on synthetic chains: 2,500 to 20,000 layers. Prints ms per run and per layer,
 * so linear scaling shows as a flat per-layer figure.
 */
import { analyze } from '../src/analysis/analyze.js';
import { resolveGraph } from '../src/graph/graph.js';
import type { GraphSpec, NodeSpec } from '../src/graph/types.js';
import { best } from './timing.js';

/** A chain of `n` layers cycling conv, BN, ReLU on a small map. */
function chain(n: number): GraphSpec {
  const nodes: NodeSpec[] = [];
  let prev = 'input';
  for (let i = 0; i < n; i++) {
    const name = `n${i}`;
    const kind = i % 3;
    if (kind === 0) nodes.push({ name, op: 'Conv2D', inputs: [prev], attrs: { filters: 16, kernelSize: 3, padding: 'same' } });
    else if (kind === 1) nodes.push({ name, op: 'BatchNorm', inputs: [prev] });
    else nodes.push({ name, op: 'Activation', inputs: [prev], attrs: { fn: 'relu' } });
    prev = name;
  }
  return { name: `chain${n}`, inputs: [{ name: 'input', shape: [32, 32, 16] }], nodes, outputs: [prev] };
}


console.log('| layers | validate + infer (ms) | full analysis (ms) | µs per layer |');
console.log('|---:|---:|---:|---:|');
for (const n of [2_500, 5_000, 10_000, 20_000]) {
  const spec = chain(n);
  const tResolve = best(() => resolveGraph(spec), 7);
  const tAll = best(() => analyze(resolveGraph(spec)), 7);
  console.log(`| ${n.toLocaleString('en-US')} | ${tResolve.toFixed(1)} | ${tAll.toFixed(1)} | ${((tAll / n) * 1000).toFixed(2)} |`);
}
