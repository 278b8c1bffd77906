/** Every op, exported and run in ORT, equals the NHWC reference on the same weights (max abs diff ≤ 1e-4). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveGraph } from '../../../src/graph/graph.js';
import { OP_TYPES } from '../../../src/ops/index.js';
import { OP_CASES, type OpCase } from '../../helpers/op_cases.js';
import { compareWithReference, specOf } from './harness.js';

const TOLERANCE = 1e-4;

/** The shared cases, and configurations only ONNX Runtime's graph optimizations put at risk. */
const CASES: OpCase[] = [
  ...OP_CASES,
  // ORT fuses a zero Pad into the MaxPool after it (padding as −∞): on negative maps the border's zeros must survive.
  { name: 'zero padding then max pool over negative values', input: [6, 7, 2], body: (b, x) => b.maxPool(b.zeroPad(b.node('Rescaling', x, { scale: 1, offset: -2 }), [1, 0, 2, 1]), { poolSize: 3, strides: 2 }) },
  { name: 'constant padding of 0 then dilated max pool over negative values', input: [7, 7, 2], body: (b, x) => b.maxPool(b.node('ConstantPad2D', b.node('Rescaling', x, { scale: 1, offset: -2 }), { padding: 2, value: 0 }), { poolSize: 3, strides: 1, dilation: 2 }) },
];

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
