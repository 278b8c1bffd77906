/** The sidebar as data: the model menu, a zoo model's options, and the totals as the page writes them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../src/analysis/analyze.js';
import { bytes, int } from '../../src/report/units.js';
import { getEntry, getModel, listModels } from '../../src/zoo/index.js';
import { inputAtRho, modelMenu, optionsModel, problemTitle, sliderText, totalsHeading, totalsList } from '../../web/src/sidebar_model.js';
import { byFamily } from '../../web/src/source.js';
import { resolveGraph } from '../../src/graph/graph.js';

const models = listModels();
const ids = models.map((m) => m.id);

describe('model menu', () => {
  test('every zoo model once, under its family, the chosen one selected', () => {
    const menu = modelMenu(models, { kind: 'zoo', choice: { id: 'resnet50' } });
    assert.equal(menu.text, null);
    const options = menu.groups.flatMap((g) => g.options);
    assert.deepEqual(options.map((o) => o.value), [...byFamily(models).values()].flat().map((m) => m.id));
    assert.deepEqual(options.filter((o) => o.selected).map((o) => o.value), ['resnet50']);
    assert.equal(options.find((o) => o.value === 'resnet50')!.label, `resnet50 (${getEntry('resnet50').meta.year})`);
    assert.equal(new Set(menu.groups.map((g) => g.family)).size, menu.groups.length);
  });

  test('pasted text is named on top and no zoo model is selected', () => {
    const menu = modelMenu(models, { kind: 'text', name: 'mine.json', text: '{}' });
    assert.equal(menu.text, 'mine.json');
    assert.ok(menu.groups.every((g) => g.options.every((o) => !o.selected)));
  });
});

describe('options', () => {
  test('defaults from the registry; ρ is the share of the default height', () => {
    const o = optionsModel({ id: 'resnet50', input: [112, 112, 3] }, getEntry('resnet50').meta, ids);
    assert.deepEqual(o.input, [112, 112, 3]);
    assert.equal(o.rho, 0.5);
    assert.equal(o.rhoText(0.5), '0.50 → 112');
    assert.deepEqual(o.inputAt(1.25), [280, 280]);
    assert.equal(o.classes, 1000);
    assert.equal(o.includeTop, true);
    assert.equal(o.phi, null);
    assert.deepEqual(o.sliders, []);
  });

  test('MobileNet offers α at its current value; EfficientNet a φ slider along its siblings', () => {
    const mobile = optionsModel({ id: 'mobilenet', extra: { alpha: 0.5 } }, getEntry('mobilenet').meta, ids);
    assert.deepEqual(mobile.sliders.find((s) => s.key === 'alpha')?.value, 0.5);
    const eff = optionsModel({ id: 'efficientnet_b3', includeTop: false }, getEntry('efficientnet_b3').meta, ids);
    assert.equal(eff.phi!.value, 3);
    assert.equal(eff.phi!.min, 0);
    assert.equal(eff.phi!.max, 7);
    assert.equal(eff.phi!.idAt(5), 'efficientnet_b5');
    assert.equal(eff.phi!.text(5), '5 → efficientnet_b5');
    assert.equal(eff.includeTop, false);
  });

  test('ρ never gives less than a pixel; slider values read plainly', () => {
    assert.deepEqual(inputAtRho(0.001, [224, 200, 3]), [1, 1]);
    assert.deepEqual(inputAtRho(0.5, [224, 200, 3]), [112, 100]);
    assert.equal(sliderText(2), '2');
    assert.equal(sliderText(0.0625), '0.06');
  });
});

describe('totals', () => {
  test('the library totals, exact and short', () => {
    const a = analyze(resolveGraph(getModel('lenet5')));
    const list = totalsList(a);
    assert.deepEqual(list.map((t) => t.key), ['params', 'trainableParams', 'nonTrainableParams', 'macs', 'flops', 'paramBytes', 'activationBytes', 'inferencePeakBytes', 'layers']);
    assert.deepEqual(list[0], { key: 'params', label: 'Params', exact: int(a.totals.params), note: '61.71k' });
    assert.equal(list.find((t) => t.key === 'inferencePeakBytes')!.exact, bytes(a.totals.inferencePeakBytes));
    assert.equal(list.find((t) => t.key === 'flops')!.label, 'FLOPs (lecture)');
    assert.deepEqual(totalsHeading(a), { model: 'lenet5', shapes: ' (32,32,1) → (10,)' });
  });

  test('a problem names its node when it has one', () => {
    assert.equal(problemTitle({ message: 'x', kind: 'spec', node: 'conv2' }), 'Error at node conv2');
    assert.equal(problemTitle({ message: 'x', kind: 'spec' }), 'Error');
  });
});
