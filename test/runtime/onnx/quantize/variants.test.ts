/** Dynamic int8 and 16-bit float variants: the forms ONNX Runtime fuses or refuses, with reasons. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuntimeError, UsageError } from '../../../../src/core/errors.js';
import { DataType, decodeModel } from '../../../../src/onnx/proto.js';
import { quantizeDynamic } from '../../../../src/runtime/onnx/quantize/dynamic.js';
import { toHalf } from '../../../../src/runtime/onnx/quantize/half.js';
import { checkQuantizable, recordOf } from '../../../../src/runtime/onnx/quantize/quantize.js';
import { fromFloat16Bits, toBfloat16Bits, toFloat16Bits } from '../../../../src/onnx/tensors.js';
import { makeVariant, parseVariants } from '../../../../src/runtime/onnx/quantize/variants.js';
import { specOf } from '../harness.js';
import { floatModel, maxDiff, optimized, opCounts, outputOf } from './helpers.js';
import { messages } from '../../../../src/core/messages.js';

const denseHeavy = specOf([8, 8, 2], (b, x) => {
  const y = b.conv2d(x, { filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' });
  const h = b.dense(b.flatten(y, 'flat'), { units: 64, activation: 'relu', name: 'fc1' });
  return b.dense(h, { units: 10, activation: 'softmax', name: 'fc2' });
}, 'dense_heavy');

describe('dynamic int8', () => {
  it('turns every dense layer into one DynamicQuantizeMatMul kernel and leaves convs float, saying why', async () => {
    const float = floatModel(denseHeavy);
    const q = quantizeDynamic(float);
    const dense = q.record.layers.filter((d) => d.op === 'Gemm');
    assert.deepEqual(dense.map((d) => d.precision), ['int8', 'int8']);
    assert.equal(q.record.layers.find((d) => d.node === 'conv')?.reason, messages.dynamicCoversDense());
    assert.equal(opCounts(await optimized(q.model))['com.microsoft.DynamicQuantizeMatMul'], 2);
    const shape = [4, 8, 8, 2];
    const d = maxDiff(await outputOf(float, shape), await outputOf(q.model, shape));
    assert.ok(d < 0.02, `dynamic and float outputs differ by ${d}`);
    assert.equal(recordOf(q.model)?.scheme, 'dynamic');
  });

  it('refuses a model that is already quantized', () => {
    const q = quantizeDynamic(floatModel(denseHeavy));
    assert.throws(() => checkQuantizable(q.model, 'q.onnx'), (e: unknown) => e instanceof UsageError && e.message === messages.alreadyQuantized('q.onnx', 'DynamicQuantizeLinear'));
  });
});

describe('16-bit floats', () => {
  it('float16 bits round to nearest even, with subnormals, overflow and NaN', () => {
    assert.equal(toFloat16Bits(1), 0x3c00);
    assert.equal(toFloat16Bits(-2), 0xc000);
    assert.equal(toFloat16Bits(65504), 0x7bff);
    assert.equal(toFloat16Bits(65520), 0x7c00);
    assert.equal(toFloat16Bits(2 ** -24), 0x0001);
    assert.equal(toFloat16Bits(2 ** -26), 0x0000);
    assert.equal(toFloat16Bits(1 / 3), 0x3555);
    assert.equal(toFloat16Bits(1 + 2 ** -11), 0x3c00, 'a tie rounds to the even mantissa');
    assert.equal(toFloat16Bits(1 + 3 * 2 ** -11), 0x3c02);
    assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN))));
    for (const v of [0.5, -3.25, 1000, 2 ** -20]) assert.equal(fromFloat16Bits(toFloat16Bits(v)), v);
  });

  it('bfloat16 bits keep the float32 exponent and round the mantissa to 7 bits', () => {
    assert.equal(toBfloat16Bits(1), 0x3f80);
    assert.equal(toBfloat16Bits(-2), 0xc000);
    assert.equal(toBfloat16Bits(3e38), 0x7f62);
    assert.equal(toBfloat16Bits(1 + 2 ** -8), 0x3f80, 'a tie rounds to the even mantissa');
    assert.equal(toBfloat16Bits(1 + 3 * 2 ** -8), 0x3f82);
  });

  it('a float16 model keeps float32 inputs and outputs and gives the float results to 16-bit precision', async () => {
    const float = floatModel(denseHeavy);
    const half = toHalf(float, 'fp16');
    assert.equal(half.graph.input[0]!.type?.tensorType?.elemType, DataType.FLOAT);
    assert.equal(half.graph.output[0]!.type?.tensorType?.elemType, DataType.FLOAT);
    assert.ok(half.graph.initializer.filter((t) => t.dataType === DataType.FLOAT).length === 0);
    const shape = [2, 8, 8, 2];
    const d = maxDiff(await outputOf(float, shape), await outputOf(half, shape));
    assert.ok(d < 5e-3, `float16 and float outputs differ by ${d}`);
  });

  it('fp16: ONNX Runtime says which layers it runs in float32 between casts', async () => {
    const v = await makeVariant(floatModel(denseHeavy), 'fp16', {});
    const layers = v.record!.layers;
    assert.ok(layers.length > 0);
    for (const l of layers) assert.ok(l.precision === 'fp16' || (l.precision === 'fp32' && l.reason === messages.noHalfKernel('fp16')), `${l.node}: ${l.precision}`);
    assert.equal(recordOf(decodeModel(v.bytes))?.scheme, 'fp16');
  });

  it('bf16: refused with ONNX Runtime\'s reason when its CPU provider cannot run the model', async () => {
    await assert.rejects(makeVariant(floatModel(denseHeavy), 'bf16', {}), (e: unknown) =>
      e instanceof RuntimeError && e.message.startsWith("bf16: ONNX Runtime's CPU provider cannot run this model in bf16: "));
  });

  it('--compare lists are checked', () => {
    assert.deepEqual(parseVariants('fp32, int8,int8'), ['fp32', 'int8']);
    assert.throws(() => parseVariants('fp32,int4'), (e: unknown) => e instanceof UsageError && e.message.includes('int4'));
  });
});
