/** The shared window geometry: valid, same, explicit padding, stride, dilation, ceil mode. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { windowGeometry } from '../../src/ops/geometry.js';

const cases: Array<{ name: string; input: number[]; k: number; s: number; d?: number; pad: 'valid' | 'same' | [number, number, number, number]; ceil?: boolean; out: number; padTop?: number; padBottom?: number }> = [
  { name: 'valid 5×5 on 32', input: [32, 32, 1], k: 5, s: 1, pad: 'valid', out: 28 },
  { name: 'AlexNet conv1 11×11 s4 on 227', input: [227, 227, 3], k: 11, s: 4, pad: 'valid', out: 55 },
  { name: 'same 3×3 s1 keeps size', input: [13, 13, 3], k: 3, s: 1, pad: 'same', out: 13, padTop: 1, padBottom: 1 },
  { name: 'same s2 on even input pads bottom only (TF rule)', input: [224, 224, 3], k: 3, s: 2, pad: 'same', out: 112, padTop: 0, padBottom: 1 },
  { name: 'same 7×7 s2 on 224', input: [224, 224, 3], k: 7, s: 2, pad: 'same', out: 112, padTop: 2, padBottom: 3 },
  { name: 'explicit pad 1, 7×7 s2 on 224 (ZFNet conv1)', input: [224, 224, 3], k: 7, s: 2, pad: [1, 1, 1, 1], out: 110 },
  { name: 'floor pool 3×3 s2 on 110 gives 54', input: [110, 110, 96], k: 3, s: 2, pad: 'valid', out: 54 },
  { name: 'ceil pool 3×3 s2 on 110 gives 55 (ZFNet)', input: [110, 110, 96], k: 3, s: 2, pad: 'valid', ceil: true, out: 55 },
  { name: 'ceil pool 3×3 s2 on 26 gives 13 (ZFNet)', input: [26, 26, 256], k: 3, s: 2, pad: 'valid', ceil: true, out: 13 },
  { name: 'ceil mode drops a window starting in padding', input: [4, 4, 1], k: 2, s: 2, pad: [1, 1, 1, 1], ceil: true, out: 3 },
  { name: 'dilation 2 makes 3×3 act as 5×5', input: [9, 9, 1], k: 3, s: 1, d: 2, pad: 'valid', out: 5 },
];

describe('windowGeometry', () => {
  for (const c of cases) {
    test(c.name, () => {
      const g = windowGeometry(c.input, { kernel: [c.k, c.k], strides: [c.s, c.s], dilation: [c.d ?? 1, c.d ?? 1], padding: c.pad, ceilMode: c.ceil ?? false });
      assert.equal(g.outH, c.out);
      assert.equal(g.outW, c.out);
      if (c.padTop !== undefined) assert.equal(g.padTop, c.padTop);
      if (c.padBottom !== undefined) assert.equal(g.padBottom, c.padBottom);
    });
  }
  test('rank other than 3 is refused', () => {
    assert.throws(() => windowGeometry([10], { kernel: [3, 3], strides: [1, 1], padding: 'valid' }), /rank 3/);
  });
});
