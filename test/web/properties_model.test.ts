/** The model's properties: format, file, producer, opset, weights, inputs and outputs, by source. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { importOnnx } from '../../src/import/onnx/import.js';
import { exportOnnx } from '../../src/runtime/onnx/export.js';
import { getModel } from '../../src/zoo/index.js';
import { withWeightCount } from '../../web/src/files.js';
import { modelProperties } from '../../web/src/properties_model.js';
import { graphFromText } from '../../web/src/source.js';
import { resolveGraph } from '../../src/graph/graph.js';

const facts = (p: ReturnType<typeof modelProperties>) => Object.fromEntries(p.facts);

describe('modelProperties', () => {
  test('a zoo model: its id, convlab, no weights, its inputs and outputs with shapes', () => {
    const spec = getModel('lenet5');
    const p = modelProperties({ kind: 'zoo', choice: { id: 'lenet5' } }, spec, analyze(resolveGraph(spec)));
    assert.equal(facts(p).Format, 'convlab zoo: lenet5');
    assert.equal(facts(p).Producer, 'convlab');
    assert.match(facts(p).Weights!, /^none/);
    assert.deepEqual(p.inputs, [{ name: spec.inputs[0]!.name, shape: `(${spec.inputs[0]!.shape.join(',')})` }]);
    assert.equal(p.outputs.length, 1);
  });
  test('an ONNX file: format, file, producer, opset, and the weights it carries', () => {
    const bytes = exportOnnx(resolveGraph(getModel('lenet5')), { seed: 1 });
    const imported = importOnnx(bytes, { source: 'lenet5.onnx', weights: true });
    const spec = withWeightCount(imported.spec, imported.weights);
    const p = modelProperties({ kind: 'text', name: 'lenet5.onnx', text: '' }, spec, analyze(resolveGraph(spec)));
    assert.equal(facts(p).Format, 'ONNX');
    assert.equal(facts(p).File, 'lenet5.onnx');
    assert.match(facts(p).Producer!, /convlab/);
    assert.match(facts(p).Opset!, /^ai\.onnx \d+$/);
    const values = [...imported.weights!.values()].reduce((s, w) => s + w.length, 0);
    assert.equal(facts(p).Weights, `in the file: ${imported.weights!.size} tensors, ${values.toLocaleString('en-US')} values (not loaded by the page)`);
  });
  test('a TensorFlow.js model.json: who wrote it and the weight files it lists', () => {
    const json = {
      format: 'layers-model', generatedBy: 'keras v2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: { keras_version: '2.15.0', backend: 'tensorflow', class_name: 'Sequential', config: { name: 'tiny', layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 1], name: 'input_1' } },
        { class_name: 'Flatten', config: { name: 'flatten' } },
      ] } },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }],
    };
    const spec = graphFromText(JSON.stringify(json), 'model.json').spec;
    const p = modelProperties({ kind: 'text', name: 'model.json', text: '' }, spec, analyze(resolveGraph(spec)));
    assert.equal(facts(p).Format, 'Keras / TensorFlow.js model.json');
    assert.equal(facts(p).Producer, 'Keras 2.15.0 (tensorflow); keras v2.15.0; TensorFlow.js Converter v4.22.0');
    assert.equal(facts(p).Opset, '—');
    assert.equal(facts(p).Weights, 'listed in the manifest: 1 file (not loaded by the page)');
  });
  test('a pasted spec: a convlab spec with no producer and no weights', () => {
    const spec = getModel('lenet5');
    const p = modelProperties({ kind: 'text', name: 'edited spec', text: '' }, { ...spec, meta: {} }, analyze(resolveGraph(spec)));
    assert.equal(facts(p).Format, 'convlab spec (JSON)');
    assert.equal(facts(p).Producer, '—');
    assert.equal(facts(p).Weights, 'none');
  });
});
