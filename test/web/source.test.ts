/** Model sources: zoo choices with options, pasted specs and model.json, and errors that keep their node. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel, listModels } from '../../src/zoo/index.js';
import { isKerasJson, phiSiblings, run, slidersFor, zooOptions } from '../../web/src/source.js';
import { resolveGraph } from '../../src/graph/graph.js';

describe('run', () => {
  test('a zoo choice gives the same analysis as the library', () => {
    const out = run({ kind: 'zoo', choice: { id: 'lenet5', classes: 5 } }, { convention: 'flops' });
    assert.ok(out.ok);
    if (!out.ok) return;
    assert.deepEqual(out.analysis.totals, analyze(resolveGraph(getModel('lenet5', { classes: 5 })), { convention: 'flops' }).totals);
  });
  test('pasted spec text', () => {
    const out = run({ kind: 'text', name: 'lenet.json', text: JSON.stringify(getModel('lenet5')) }, {});
    assert.ok(out.ok);
    if (out.ok) assert.equal(out.analysis.totals.params, analyze(resolveGraph(getModel('lenet5'))).totals.params);
  });
  test('an unknown op keeps the node it names', () => {
    const spec = getModel('lenet5');
    spec.nodes[1]!.op = 'Conv3D';
    const out = run({ kind: 'text', name: 'x.json', text: JSON.stringify(spec) }, {});
    assert.equal(out.ok, false);
    if (out.ok) return;
    assert.equal(out.problem.node, spec.nodes[1]!.name);
    assert.equal(out.problem.kind, 'spec');
    assert.match(out.problem.message, /unknown op "Conv3D"/);
  });
  test('invalid JSON is a spec error naming the file', () => {
    const out = run({ kind: 'text', name: 'paste.json', text: '{"name": ' }, {});
    assert.equal(out.ok, false);
    if (!out.ok) assert.match(out.problem.message, /^paste\.json: not valid JSON/);
  });
  test('a bad zoo option is a usage error, not a crash', () => {
    const out = run({ kind: 'zoo', choice: { id: 'lenet5', input: [2, 2, 1] } }, {});
    assert.equal(out.ok, false);
    if (!out.ok) assert.notEqual(out.problem.kind, 'internal');
  });
  test('a Keras model.json (Sequential) is imported', () => {
    const json = {
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'tiny',
          layers: [
            { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 1], name: 'input_1' } },
            { class_name: 'Flatten', config: { name: 'flatten' } },
            { class_name: 'Dense', config: { name: 'dense', units: 3, activation: 'softmax', use_bias: true } },
          ],
        },
      },
    };
    assert.equal(isKerasJson(json), true);
    const out = run({ kind: 'text', name: 'model.json', text: JSON.stringify(json) }, {});
    assert.ok(out.ok, out.ok ? '' : out.problem.message);
    if (out.ok) assert.equal(out.analysis.totals.params, 8 * 8 * 3 + 3);
  });
});

describe('zooOptions', () => {
  test('passes only what is set', () => {
    assert.deepEqual(zooOptions({ id: 'x' }), {});
    assert.deepEqual(zooOptions({ id: 'x', input: [1, 2, 3], classes: 4, includeTop: false, extra: { alpha: 0.5 } }), { alpha: 0.5, input: [1, 2, 3], classes: 4, includeTop: false });
  });
});

describe('slidersFor', () => {
  test('lenet5 reads no family option', () => assert.deepEqual(slidersFor('lenet5'), []));
  test('mobilenet reads alpha', () => {
    assert.ok(slidersFor('mobilenet').some((s) => s.key === 'alpha'));
  });
  test('resnet50 reads no alpha', () => {
    assert.ok(!slidersFor('resnet50').some((s) => s.key === 'alpha'));
  });
});

describe('phiSiblings', () => {
  test('ids ending in _bN with siblings', () => {
    const p = phiSiblings('efficientnet_b3', ['efficientnet_b0', 'efficientnet_b3', 'efficientnet_b7', 'resnet50'])!;
    assert.equal(p.phi, 3);
    assert.deepEqual([...p.byPhi.entries()].sort(), [[0, 'efficientnet_b0'], [3, 'efficientnet_b3'], [7, 'efficientnet_b7']]);
  });
  test('no siblings, no slider', () => {
    assert.equal(phiSiblings('efficientnet_b0', ['efficientnet_b0']), null);
    assert.equal(phiSiblings('resnet50', ['resnet50', 'resnet101']), null);
  });
  test('the registered EfficientNets form one φ family', () => {
    const ids = listModels().map((m) => m.id);
    assert.ok(phiSiblings('efficientnet_b0', ids)!.byPhi.size >= 2);
  });
});
