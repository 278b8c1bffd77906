/** The shared window geometry: valid, same, explicit padding, stride, dilation, ceil mode. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { transposeGeometry, windowGeometry } from '../../src/ops/geometry.js';

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

describe('transposeGeometry: Keras deconv_output_length and ONNX ConvTranspose', () => {
  const T: Array<{ name: string; n: number; k: number; s: number; d?: number; pad: 'valid' | 'same' | [number, number, number, number]; op?: number; out: number; crop: number }> = [
    { name: 'Keras valid 3×3 s2 on 4: 4·2 + (3 - 2) = 9', n: 4, k: 3, s: 2, pad: 'valid', out: 9, crop: 0 },
    { name: 'Keras valid 1×1 s2 on 4: a kernel below the stride gives 4·2 = 8', n: 4, k: 1, s: 2, pad: 'valid', out: 8, crop: 0 },
    { name: 'Keras same s2 on 4 doubles', n: 4, k: 3, s: 2, pad: 'same', out: 8, crop: 0 },
    { name: 'Keras same 4×4 s2 crops one before', n: 4, k: 4, s: 2, pad: 'same', out: 8, crop: 1 },
    { name: 'Keras same s3 on 5 triples', n: 5, k: 3, s: 3, pad: 'same', out: 15, crop: 0 },
    { name: 'Keras valid output_padding 1: 3·2 + 3 + 1 = 10', n: 4, k: 3, s: 2, pad: 'valid', op: 1, out: 10, crop: 0 },
    { name: 'Keras same output_padding 0: 3·2 + 3 - 2 = 7', n: 4, k: 3, s: 2, pad: 'same', op: 0, out: 7, crop: 1 },
    { name: 'PyTorch k3 s2 p1 output_padding 1: 3·2 + 3 - 2 + 1 = 8', n: 4, k: 3, s: 2, pad: [1, 1, 1, 1], op: 1, out: 8, crop: 1 },
    { name: 'DCGAN k4 s2 p1 doubles', n: 8, k: 4, s: 2, pad: [1, 1, 1, 1], out: 16, crop: 1 },
    { name: 'dilation 2: 3 taps reach 5', n: 5, k: 3, s: 1, d: 2, pad: 'valid', out: 9, crop: 0 },
  ];
  for (const c of T) {
    test(c.name, () => {
      const g = transposeGeometry([c.n, c.n, 1], { kernel: [c.k, c.k], strides: [c.s, c.s], dilation: [c.d ?? 1, c.d ?? 1], padding: c.pad, outputPadding: c.op === undefined ? null : [c.op, c.op] });
      assert.equal(g.outH, c.out);
      assert.equal(g.cropTop, c.crop);
    });
  }
  test('output padding must stay below the stride', () => {
    assert.throws(() => transposeGeometry([4, 4, 1], { kernel: [3, 3], strides: [2, 2], dilation: [1, 1], padding: 'same', outputPadding: [2, 0] }), /outputPadding along height must be smaller than the stride \(2\)/);
  });
});
