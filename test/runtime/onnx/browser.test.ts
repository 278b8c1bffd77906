/**
 * The runtime core is browser-safe: it runs unchanged on onnxruntime-web (its wasm backend works
 * in Node too), and nothing it imports, transitively, touches Node built-ins or onnxruntime-node.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import * as ortWeb from 'onnxruntime-web';
import { closeSession as closeNode, createSession, run as runNode } from '../../../src/runtime/onnx/node.js';
import { closeSession, openSession, run, type OrtModule } from '../../../src/runtime/onnx/session.js';
import { getModel } from '../../../src/zoo/index.js';
import { randomInput } from './harness.js';
import { repoRoot } from '../../helpers/paths.js';
import { resolveGraph } from '../../../src/graph/graph.js';

const DIST = join(repoRoot(), 'dist', 'src');
const BROWSER_ENTRIES = ['runtime/onnx/session.js', 'runtime/onnx/export.js', 'runtime/onnx/bench.js', 'report/bench.js', 'report/bench_charts.js', 'runtime/onnx/profile.js', 'image/index.js',
  'runtime/onnx/quantize/quantize.js', 'runtime/onnx/quantize/dynamic.js', 'runtime/onnx/quantize/half.js', 'onnx/dequantize.js', 'runtime/onnx/quantize/report.js'];
const FORBIDDEN = /^(node:|fs$|path$|os$|child_process$|onnxruntime-node$|pngjs$|@resvg\/)/;

/** Every module specifier a compiled file imports (static and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const pattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

describe('browser-safe runtime core', () => {
  it('imports no Node built-in, onnxruntime-node or native renderer, transitively', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const queue = BROWSER_ENTRIES.map((e) => join(DIST, e));
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          assert.ok(existsSync(target), `${file} imports ${spec}`);
          queue.push(target);
        } else if (FORBIDDEN.test(spec)) bad.push(`${file.slice(DIST.length + 1)} imports ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
    assert.ok(seen.size > BROWSER_ENTRIES.length, 'the walk followed relative imports');
  });

  it('runs on onnxruntime-web and agrees with onnxruntime-node', async () => {
    ortWeb.env.wasm.numThreads = 1;
    const spec = getModel('lenet5');
    const batch = { data: randomInput([2, 32, 32, 1]), shape: [2, 32, 32, 1] };
    const web = await openSession(ortWeb as unknown as OrtModule, resolveGraph(spec));
    const native = await createSession(resolveGraph(spec), { threads: 1 });
    try {
      const a = (await run(web, batch)).predictions!;
      const b = (await runNode(native, batch)).predictions!;
      assert.deepEqual(a.shape, [2, 10]);
      assert.ok(a.data.every((v, i) => Math.abs(v - b.data[i]!) < 1e-5));
    } finally {
      await closeSession(web);
      await closeNode(native);
    }
  });
});
