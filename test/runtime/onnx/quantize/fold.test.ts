/** Float folds before quantization: each leaves the model's outputs unchanged. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldForQuantization } from '../../../../src/runtime/onnx/quantize/fold.js';
import { OnnxGraph } from '../../../../src/runtime/onnx/quantize/onnx_graph.js';
import { specOf } from '../harness.js';
import { floatModel, maxDiff, opCounts, outputOf } from './helpers.js';

/** Folds a model; returns the folded model and what went where. */
function fold(model: ReturnType<typeof floatModel>) {
  const g = new OnnxGraph(model);
  const folded = foldForQuantization(g);
  return { model: g.toModel(), folded };
}

describe('folds before quantization', () => {
  it('BatchNorm after a conv and after a dense layer goes into their weights; Dropout goes', async () => {
    const spec = specOf([12, 12, 3], (b, x) => {
      let y = b.conv2d(x, { filters: 8, kernelSize: 3, useBias: false, name: 'conv' });
      y = b.activation(b.batchNorm(y, { name: 'bn' }), 'relu', 'relu');
      y = b.dropout(b.flatten(y, 'flat'), 0.5, 'drop');
      y = b.dense(y, { units: 6, name: 'fc' });
      return b.batchNorm(y, { name: 'fc_bn' });
    });
    const model = floatModel(spec);
    const { model: f, folded } = fold(model);
    assert.equal(opCounts(f)['BatchNormalization'], undefined);
    assert.equal(opCounts(f)['Identity'], undefined);
    assert.deepEqual(folded.get('bn'), { op: 'BatchNormalization', into: 'conv', how: 'folded into its weights and bias' });
    assert.equal(folded.get('fc_bn')?.into, 'fc');
    assert.equal(folded.get('drop')?.op, 'Identity');
    const shape = [3, 12, 12, 3];
    const d = maxDiff(await outputOf(model, shape, 1, 'disabled'), await outputOf(f, shape, 1, 'disabled'));
    assert.ok(d < 1e-4, `outputs differ by ${d}`);
  });

  it('zero padding goes into the next conv, and into a max pool whose input is a ReLU output', async () => {
    const spec = specOf([9, 9, 4], (b, x) => {
      let y = b.conv2d(b.zeroPad(x, [1, 2, 0, 1], 'conv_pad'), { filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' });
      y = b.maxPool(b.zeroPad(y, 1, 'pool_pad'), { poolSize: 3, strides: 2, name: 'pool' });
      // Not after a ReLU: zeros would win over negative values, so this pad must stay.
      return b.maxPool(b.zeroPad(b.conv2d(y, { filters: 4, kernelSize: 1, name: 'lin' }), 1, 'kept_pad'), { poolSize: 2, name: 'pool2' });
    });
    const model = floatModel(spec);
    const { model: f, folded } = fold(model);
    assert.equal(folded.get('conv_pad')?.into, 'conv');
    assert.equal(folded.get('pool_pad')?.into, 'pool');
    assert.equal(folded.has('kept_pad'), false);
    assert.equal(opCounts(f)['Pad'], 1);
    const shape = [2, 9, 9, 4];
    const d = maxDiff(await outputOf(model, shape, 2, 'disabled'), await outputOf(f, shape, 2, 'disabled'));
    assert.ok(d < 1e-5, `outputs differ by ${d}`);
  });

  it('a conv whose output other layers also read keeps its BatchNorm', () => {
    const spec = specOf([6, 6, 2], (b, x) => {
      const c = b.conv2d(x, { filters: 2, kernelSize: 1, name: 'conv' });
      return b.add([b.batchNorm(c, { name: 'bn' }), c], 'sum');
    });
    const { folded, model } = fold(floatModel(spec));
    assert.equal(folded.has('bn'), false);
    assert.equal(opCounts(model)['BatchNormalization'], 1);
  });
});
