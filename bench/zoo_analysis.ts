/** Time to build and analyse the whole zoo in-process, cold and warm. */
import { analyze } from '../src/analysis/analyze.js';
import { getModel, listModels } from '../src/zoo/index.js';
import { resolveGraph } from '../src/graph/graph.js';

const ids = listModels().map((m) => m.id);
function once(): { ms: number; layers: number } {
  const t = performance.now();
  let layers = 0;
  for (const id of ids) layers += analyze(resolveGraph(getModel(id))).layers.length;
  return { ms: performance.now() - t, layers };
}
const cold = once();
let warm = Infinity;
for (let i = 0; i < 5; i++) warm = Math.min(warm, once().ms);
console.log(`zoo: ${ids.length} models, ${cold.layers.toLocaleString('en-US')} layers`);
console.log(`build + analyse all: cold ${cold.ms.toFixed(0)} ms, warm ${warm.toFixed(0)} ms`);
