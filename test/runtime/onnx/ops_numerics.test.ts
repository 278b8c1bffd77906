/** Every op, exported and run in ORT, equals the NHWC reference on the same weights (max abs diff ≤ 1e-4). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveGraph } from '../../../src/graph/graph.js';
import { OP_TYPES } from '../../../src/ops/index.js';
import { OP_CASES as CASES } from '../../helpers/op_cases.js';
import { compareWithReference, specOf } from './harness.js';

const TOLERANCE = 1e-4;

describe('ONNX export numerics, op by op', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const r = await compareWithReference(specOf(c.input, c.body));
      assert.ok(r.maxAbsDiff <= TOLERANCE, `max abs diff ${r.maxAbsDiff} (outputs up to ${r.maxAbs})`);
      assert.ok(r.maxAbs > 0, 'the case computes something other than zeros');
    });
  }

  it('covers every op type', () => {
    const seen = new Set<string>();
    for (const c of CASES) for (const n of resolveGraph(specOf(c.input, c.body)).nodes) seen.add(n.op);
    assert.deepEqual(OP_TYPES.filter((op) => !seen.has(op)), []);
  });
});
