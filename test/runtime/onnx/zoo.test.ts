/**
 * Every registered zoo model exports to ONNX, and ORT loads it and runs a batch of one: the
 * output shape is right and every output is finite. The loop follows listModels(), so a model
 * is covered the moment it is registered.
 *
 * Bounded time: all 46 models at their default inputs take about 95 s here (weights of 2.2 G
 * parameters are drawn, serialized and loaded). Models over 30 M parameters or 5 G MACs are
 * therefore tested at a reduced input (the smallest of REDUCED_SIZES their architecture
 * accepts), which shrinks their classifier and their compute; everything else, and big models
 * that accept no smaller input (torchvision's adaptive pooling to 7×7 needs 224), runs at its
 * default input. bench/onnx_zoo.ts runs every model at full size.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/analysis/analyze.js';
import { ConvlabError } from '../../../src/core/errors.js';
import { resolveGraph, type Graph } from '../../../src/graph/graph.js';
import { exportOnnx } from '../../../src/runtime/onnx/export.js';
import { closeSession, createSession, run } from '../../../src/runtime/onnx/node.js';
import { getModel, listModels } from '../../../src/zoo/index.js';

const MAX_PARAMS = 30e6;
const MAX_MACS = 5e9;
const REDUCED_SIZES = [64, 96, 112, 128, 160, 192];

/** The model at its default input, or, when it is big, at the smallest reduced input it builds with. */
function testGraph(id: string, channels: number): { graph: Graph; reduced: number | null } {
  const full = resolveGraph(getModel(id));
  const t = analyze(full).totals;
  if (t.params <= MAX_PARAMS && t.macs <= MAX_MACS) return { graph: full, reduced: null };
  for (const s of REDUCED_SIZES) {
    try {
      return { graph: resolveGraph(getModel(id, { input: [s, s, channels] })), reduced: s };
    } catch (e) {
      if (!(e instanceof ConvlabError)) throw e;
    }
  }
  return { graph: full, reduced: null };
}

describe('every zoo model exports and runs in ONNX Runtime', () => {
  for (const meta of listModels()) {
    it(meta.id, async () => {
      const { graph, reduced } = testGraph(meta.id, meta.input[2]!);
      const bytes = exportOnnx(graph);
      const session = await createSession(bytes, { graph, label: meta.id });
      try {
        const shape = [1, ...graph.inputs[0]!.shape];
        const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 7919) % 255) / 255);
        const out = await run(session, { data, shape });
        for (const name of graph.outputs) {
          const y = out[name]!;
          assert.deepEqual(y.shape, [1, ...graph.shapes.get(name)!], `${meta.id}${reduced ? ` at ${reduced}×${reduced}` : ''}: output ${name}`);
          assert.ok(y.data.every(Number.isFinite), `${meta.id}: output ${name} has non-finite values`);
        }
      } finally {
        await closeSession(session);
      }
    });
  }
});
