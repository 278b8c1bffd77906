/** The details panel as data: a layer's facts and formulas, a block's roll-up, and the reveal link. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DTYPE_BYTES } from '../../src/core/sets.js';
import { rollUp } from '../../src/report/group.js';
import { int } from '../../src/report/units.js';
import type { Ready } from '../../web/src/app.js';
import { buildBlockTree } from '../../web/src/blocks.js';
import { blockDetails, details, formulaRow, layerDetails, MEMBERS_SHOWN, pairText, revealLabel } from '../../web/src/details_model.js';
import { MODEL_SELECTION, revealing } from '../../web/src/graph_model.js';
import { withRanges } from '../../web/src/outline.js';
import { run, type Source } from '../../web/src/source.js';
import { chainSpec } from '../../scripts/synthetic.js';

function ready(id: string, settings = {}): Ready {
  return readyFrom({ kind: 'zoo', choice: { id } }, settings);
}
function readyFrom(source: Source, settings = {}): Ready {
  const out = run(source, settings);
  if (!out.ok) throw new Error(out.problem.message);
  return { ...out, ...withRanges(buildBlockTree(out.analysis.layers)), whatif: null };
}
const zoo = (id: string) => ({ kind: 'zoo', choice: { id } }) as const;

const resnet = ready('resnet50');
const row = (r: Ready, name: string) => r.analysis.layers.find((l) => l.name === name)!;

describe('layerDetails', () => {
  test("a convolution: its inputs with shapes, users, block, attributes and Keras weight shapes", () => {
    const d = layerDetails(resnet, row(resnet, 'conv1_conv'));
    assert.equal(d.op, 'Conv2D');
    assert.deepEqual(d.inputs, [{ name: 'conv1_pad', shape: '(230,230,3)' }]);
    assert.equal(d.output, '(112,112,64)');
    assert.deepEqual(d.users, ['conv1_bn']);
    assert.equal(d.block, 'conv1');
    assert.ok(!d.attrs.some((a) => a.key === 'trainable'), 'trainable: true is the default and says nothing');
    const kernel = d.attrs.find((a) => a.key === 'kernelSize')!;
    assert.equal(kernel.text, '[7,7]');
    assert.ok(kernel.doc.length > 0, 'the attribute is documented');
    assert.equal(d.attrs.find((a) => a.key === 'padding')!.text, 'valid', 'strings stay unquoted');
    assert.deepEqual(d.weights.map((w) => [w.name, w.dims, w.symbols, w.trainable]), [['kernel', '7×7×3×64', 'fh·fw·cin·K', true], ['bias', '64', 'K', true]]);
  });

  test('costs carry the analysis formulas; memory shows its product', () => {
    const r = row(resnet, 'conv1_conv');
    const d = layerDetails(resnet, r);
    assert.deepEqual(d.cost.map((c) => c.label), ['Params', 'MACs', 'FLOPs (lecture)']);
    assert.deepEqual(d.cost[0], { label: 'Params', value: '9,472', formula: 'fh·fw·cin·K + K', substituted: '7·7·3·64 + 64 = 9,472' });
    assert.equal(d.memory.formula, `112·112·64·${DTYPE_BYTES.fp32} B (fp32)`);
    assert.equal(d.trainableNote, null);
    assert.equal(d.rf.size, pairText(r.receptiveField.size));
  });

  test('batch norm: the non-trainable share under the params convention', () => {
    const d = layerDetails(resnet, row(resnet, 'conv2_block1_1_bn'));
    assert.equal(d.trainableNote, '128 trainable, 128 non-trainable (keras convention)');
  });

  test('the graph input and the last layer', () => {
    const input = layerDetails(resnet, resnet.analysis.layers[0]!);
    assert.equal(input.doc, 'Graph input');
    assert.deepEqual(input.weights, []);
    const last = layerDetails(resnet, resnet.analysis.layers.at(-1)!);
    assert.deepEqual(last.users, []);
    assert.equal(last.unused, 'graph output');
  });

  test('a formula row leaves out what says nothing', () => {
    assert.deepEqual(formulaRow('MACs', { value: 0, formula: '0', text: '0' }), { label: 'MACs', value: '0', formula: null, substituted: null });
    assert.deepEqual(formulaRow('Params', { value: 6, formula: 'K', text: 'K' }), { label: 'Params', value: '6', formula: 'K', substituted: null });
    assert.equal(pairText([3, 3]), '3');
    assert.equal(pairText([3, 5]), '3×5');
    assert.equal(pairText([2 / 3, 7.333333333333334]), '0.6667×7.333');
  });
});

describe('blockDetails', () => {
  test("a residual block: the report's roll-up of its layers", () => {
    const b = resnet.tree.blocks.get('conv2_block1')!;
    const g = rollUp('conv2_block1', resnet.analysis.layers.filter((l) => b.layers.includes(l.name)));
    const d = blockDetails(resnet, 'conv2_block1', new Set());
    assert.equal(d.open, false);
    assert.match(d.summary, new RegExp(`^${b.layers.length} layers: Conv2D×4 `));
    assert.deepEqual(d.facts[0], ['Params', int(g.params)]);
    assert.deepEqual(d.facts.find(([k]) => k === 'Output'), ['Output', '(56,56,256)']);
    assert.deepEqual(d.members.map((m) => m.name), b.layers);
    assert.equal(blockDetails(resnet, 'conv2_block1', new Set(['conv2_block1'])).open, true);
  });
});

describe('details', () => {
  test('a layer name, a block id, the model, or nothing', () => {
    assert.equal(details(resnet, 'conv1_conv', new Set(), zoo('resnet50'))?.kind, 'layer');
    assert.equal(details(resnet, 'B:conv2_block1', new Set(), zoo('resnet50'))?.kind, 'block');
    assert.equal(details(resnet, MODEL_SELECTION, new Set(), zoo('resnet50'))?.kind, 'model');
    assert.equal(details(resnet, 'B:no_such_block', new Set(), zoo('resnet50')), null);
    assert.equal(details(resnet, 'no_such_layer', new Set(), zoo('resnet50')), null);
  });

  test(`a range of a large graph lists its first ${MEMBERS_SHOWN} layers and counts the rest`, () => {
    const chain = readyFrom({ kind: 'text', name: 'chain.json', text: JSON.stringify(chainSpec(30_000)) });
    const range = chain.tree.top.find((it) => it.kind === 'block')! as { id: string };
    const members = chain.tree.blocks.get(range.id)!.layers;
    assert.ok(members.length > MEMBERS_SHOWN, `${members.length} layers in the first range`);
    const d = blockDetails(chain, range.id, new Set());
    assert.equal(d.members.length, MEMBERS_SHOWN);
    assert.equal(d.moreMembers, members.length - MEMBERS_SHOWN);
    const inRange = new Set(members);
    assert.equal(d.facts[0]![1], int(chain.analysis.layers.filter((l) => inRange.has(l.name)).reduce((s, l) => s + l.params, 0)));
  });

  test('the reveal link: none where the layer is drawn, "open it" behind a closed block, else "show in the graph"', () => {
    const layer = 'conv2_block1_1_conv';
    assert.equal(revealLabel(resnet, layer, new Set(), 'graph'), 'open it');
    assert.equal(revealLabel(resnet, layer, revealing(resnet.tree, new Set(), layer), 'graph'), null);
    assert.equal(revealLabel(resnet, layer, new Set(), 'table'), 'show in the graph');
  });

  test('FLOPs are labelled by convention', () => {
    const macs = ready('lenet5', { convention: 'macs' });
    assert.equal(layerDetails(macs, row(macs, 'conv1')).cost[2]!.label, 'FLOPs (= MACs)');
  });
});
