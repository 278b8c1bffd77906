/**
 * Analysis speed on synthetic chains: 2,500 to 20,000 layers. Prints ms per run and per layer,
 * so linear scaling shows as a flat per-layer figure.
 */
import { analyze } from '../src/analysis/analyze.js';
import { resolveGraph } from '../src/graph/graph.js';
import { chainSpec } from '../scripts/synthetic.js';
import { best } from './timing.js';

console.log('| layers | validate + infer (ms) | full analysis (ms) | µs per layer |');
console.log('|---:|---:|---:|---:|');
for (const n of [2_500, 5_000, 10_000, 20_000]) {
  const spec = chainSpec(n, { shape: [32, 32, 16], filters: 16 });
  const tResolve = best(() => resolveGraph(spec), 7);
  const tAll = best(() => analyze(resolveGraph(spec)), 7);
  console.log(`| ${n.toLocaleString('en-US')} | ${tResolve.toFixed(1)} | ${tAll.toFixed(1)} | ${((tAll / n) * 1000).toFixed(2)} |`);
}
