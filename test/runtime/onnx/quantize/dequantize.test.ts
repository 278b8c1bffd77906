/** A quantized file imports as the float graph it computes: same layers, shapes and MACs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../../src/analysis/analyze.js';
import { resolveGraph } from '../../../../src/graph/graph.js';
import { importOnnx } from '../../../../src/import/index.js';
import { encodeModel } from '../../../../src/onnx/proto.js';
import { floatOfQdq, hasQdq } from '../../../../src/onnx/dequantize.js';
import { quantizeStatic } from '../../../../src/runtime/onnx/quantize/quantize.js';
import { randomSamples } from '../../../../src/runtime/onnx/quantize/samples.js';
import { getModel } from '../../../../src/zoo/index.js';
import { floatModel, maxDiff, ORT, outputOf } from './helpers.js';

describe('importing a QDQ file', () => {
  it('LeNet-5 in int8 imports with the float model\'s layers, shapes and MACs', async () => {
    const spec = getModel('lenet5');
    const float = floatModel(spec);
    const { model } = await quantizeStatic(ORT, float, randomSamples([32, 32, 1], 4), { method: 'minmax' });
    assert.ok(hasQdq(model));
    const back = floatOfQdq(model);
    assert.equal(hasQdq(back), false);
    const imported = importOnnx(encodeModel(model), { source: 'lenet5.int8.onnx' }).graph;
    const a = analyze(imported).totals;
    const b = analyze(resolveGraph(spec)).totals;
    assert.equal(a.macs, b.macs);
    assert.equal(a.params, b.params);
    for (const name of ['conv1', 'conv2', 'fc1', 'predictions']) assert.ok(imported.shapes.has(name), `layer ${name} is kept`);
    // The dequantized weights are the int8 weights: the float graph computes what the file computes, before activation rounding.
    const shape = [2, 32, 32, 1];
    const d = maxDiff(await outputOf(back, shape), await outputOf(float, shape));
    assert.ok(d > 0 && d < 0.05, `dequantized and float outputs differ by ${d}`);
  });
});
