/**
 * The explorer in a real browser: `convlab serve`'s server, Debian's chromium, a laptop and a
 * phone-sized window. Numbers on screen are checked against the library's own analysis;
 * screenshots of every step land in test-artifacts/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { analyze } from '../../src/analysis/analyze.js';
import { type Analysis } from '../../src/analysis/types.js';
import { trainingMemory } from '../../src/analysis/memory.js';
import { bytes, human, int } from '../../src/report/units.js';
import { whatIf } from '../../src/rewrite/index.js';
import { exportOnnx } from '../../src/runtime/onnx/export.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { getModel, listModels } from '../../src/zoo/index.js';
import { fileMessages, MAX_UPLOAD_BYTES } from '../../web/src/files.js';
import { formatSpec } from '../../web/src/spec_text.js';
import { run } from '../../web/src/source.js';
import { download } from '../../web/src/table_model.js';
import { launch } from '../../scripts/chromium.js';
import { resolveGraph } from '../../src/graph/graph.js';
import { browserIsThere, setRange, shot, skipBrowser, watch } from './browser_kit.js';


/** The large model the page must stay quick on. */
const SUBJECT = 'resnet50';

/** What the sidebar shows for each total, as the page formats it. */
function expectedTotals(a: Analysis): Record<string, string> {
  const t = a.totals;
  return {
    params: int(t.params), trainableParams: int(t.trainableParams), nonTrainableParams: int(t.nonTrainableParams),
    macs: int(t.macs), flops: int(t.flops), paramBytes: bytes(t.paramBytes), activationBytes: bytes(t.activationBytes),
    inferencePeakBytes: bytes(t.inferencePeakBytes), layers: int(a.layers.length),
  };
}

async function shownTotals(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#totals dd[data-total]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-total')!, e.textContent!.trim()])));
}

describe('explorer in chromium', { skip: skipBrowser }, () => {
  browserIsThere();

  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0 });
  });
  after(() => server?.close());

  describe('laptop 1366×768', () => {
    let browser: Awaited<ReturnType<typeof launch>>;
    let page: Page;
    let errors: string[];
    const id = SUBJECT;
    const a = analyze(resolveGraph(getModel(id)));

    before(async () => {
      browser = await launch({ width: 1366, height: 768 });
      page = await browser.context.newPage();
      errors = watch(page);
      await page.goto(`${server.url}#model=lenet5`);
      await page.waitForSelector('html[data-ready]');
    });
    after(() => browser?.close());

    test(`pick ${id}: the totals shown are the library's`, async () => {
      await page.selectOption('#model', id);
      await page.waitForFunction((name) => document.querySelector('#totals h2')?.textContent?.startsWith(name), a.model);
      assert.deepEqual(await shownTotals(page), expectedTotals(a));
      await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
      await shot(page, 'laptop-graph');
    });

    test('click a node: its attributes, shapes, formulas and receptive field', async () => {
      const layer = a.layers.find((l) => l.macs > 0)!;
      await page.click(`g.node[data-id="L:${layer.name}"]`);
      await page.waitForSelector('#details:not([hidden])');
      assert.equal(await page.textContent('#details h2 .name'), layer.name);
      assert.equal(await page.textContent('#details dd[data-field=output]'), `(${layer.outputShape.join(',')})`);
      assert.equal(await page.textContent('#details [data-metric=MACs] code.subst'), layer.explain.macs.text);
      assert.equal(await page.textContent('#details [data-metric=Params] code.subst'), layer.explain.params.text);
      const rf = layer.receptiveField.size;
      assert.equal(await page.textContent('#details dd[data-field=rf]'), rf[0] === rf[1] ? `${rf[0]}` : `${rf[0]}×${rf[1]}`);
      assert.ok(await page.isVisible('#details table.attrs'), 'attributes table');
      await shot(page, 'laptop-details');
    });

    test('a closed block opens on double-click and closes from its frame', async () => {
      const before = await page.locator('g.node').count();
      // The first closed block sits below the fold: scroll the canvas down as a reader would.
      await page.mouse.move(800, 400);
      await page.mouse.wheel(0, 300);
      const block = page.locator('g.node.block').first();
      const blockId = (await block.getAttribute('data-id'))!;
      await block.dblclick();
      await page.waitForSelector(`g.frame[data-id="${blockId}"]`);
      assert.ok((await page.locator('g.node').count()) > before);
      await page.click(`g.frame[data-id="${blockId}"] .frame-label`);
      await page.waitForSelector(`g.node.block[data-id="${blockId}"]`);
      assert.equal(await page.locator('g.node').count(), before);
    });

    test('table: sorted by MACs, totals in the footer, CSV download equals the summary CSV', async () => {
      await page.click('#tab-table');
      await page.uncheck('#group-rows');
      await page.click('#layer-table button[data-sort=macs]');
      const heaviest = [...a.layers].sort((x, y) => y.macs - x.macs)[0]!;
      assert.equal(await page.getAttribute('#layer-table tbody tr:first-child', 'data-layer'), heaviest.name);
      assert.equal(await page.textContent('#layer-table tfoot [data-total=params]'), int(a.totals.params));
      await page.check('#group-rows');
      const [file] = await Promise.all([page.waitForEvent('download'), page.click('button[data-download=csv]')]);
      const text = readFileSync((await file.path())!, 'utf8');
      assert.equal(text, download(a, 'csv', { batch: 32, optimizer: 'adam' }));
      await shot(page, 'laptop-table');
    });

    test('charts: per-layer and memory charts drawn; the batch slider redraws training memory', async () => {
      await page.click('#tab-charts');
      await page.waitForSelector('#chart-layers svg');
      await page.waitForSelector('#chart-memory svg');
      await setRange(page, '#batch', '3');
      const m = trainingMemory(a, { batch: 8, optimizer: 'adam' });
      await page.waitForFunction((t) => document.querySelector('[data-total=training]')?.textContent?.startsWith(t), bytes(m.total));
      await shot(page, 'laptop-charts');
    });

    test('spec: a broken spec shows the library\'s error inline, at the node it names', async () => {
      const lines = formatSpec(getModel('lenet5')).split('\n');
      const at = lines.findIndex((l) => l.includes('"name": "conv2"'));
      lines[at] = lines[at]!.replace('"kernelSize": 5', '"kernelSize": 40');
      const text = lines.join('\n');
      const expected = run({ kind: 'text', name: 'lenet5.json', text }, {});
      assert.equal(expected.ok, false);
      await page.click('#tab-spec');
      await page.fill('#spec-text', text);
      await page.waitForSelector('#spec-message:not([hidden])');
      assert.equal(await page.textContent('#spec-message .where'), `node conv2 · line ${at + 1}: `);
      assert.equal(await page.textContent('#spec-message .text'), expected.ok ? '' : expected.problem.message);
      assert.match((await page.textContent('.backdrop mark'))!, /"name": "conv2"/);
      assert.match((await page.textContent('#problem'))!, /Error at node conv2/);
      await shot(page, 'laptop-spec-error');
      lines[at] = lines[at]!.replace('"kernelSize": 40', '"kernelSize": 5');
      await page.fill('#spec-text', lines.join('\n'));
      await page.waitForSelector('#spec-message', { state: 'hidden' });
      assert.deepEqual(await shownTotals(page), expectedTotals(analyze(resolveGraph(getModel('lenet5')))));
    });

    test('an upload over the size limit is refused with a message', async () => {
      const huge = join(mkdtempSync(join(tmpdir(), 'convlab-upload-')), 'huge.json');
      writeFileSync(huge, Buffer.alloc(MAX_UPLOAD_BYTES + 1, 32));
      await page.setInputFiles('#upload', huge);
      await page.waitForFunction((msg) => document.querySelector('#problem')?.textContent?.includes(msg), fileMessages.tooLarge('huge.json', MAX_UPLOAD_BYTES + 1, MAX_UPLOAD_BYTES));
    });

    test('an ONNX file opens in the browser, with the params and MACs it was exported with', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'convlab-upload-')), 'lenet5.onnx');
      writeFileSync(file, exportOnnx(resolveGraph(getModel('lenet5'))));
      // Start from another model, so LeNet's totals can only come from the file.
      const other = listModels().find((m) => m.id !== 'lenet5')!.id;
      await page.selectOption('#model', other);
      await page.waitForFunction((name) => document.querySelector('#totals h2')?.textContent?.startsWith(name), analyze(resolveGraph(getModel(other))).model);
      await page.setInputFiles('#upload', file);
      await page.waitForFunction(() => document.querySelector('#model option:checked')?.textContent === 'lenet5.onnx');
      assert.equal(await page.inputValue('#model'), '');
      assert.equal(await page.isHidden('#problem'), true, 'no error');
      const lenet = analyze(resolveGraph(getModel('lenet5')));
      assert.equal(await page.textContent('#totals dd[data-total=params]'), int(lenet.totals.params));
      assert.equal(await page.textContent('#totals dd[data-total=macs]'), int(lenet.totals.macs));
    });

    test('the model on screen runs in the browser on onnxruntime-web, its latency shown beside its FLOPs', async () => {
      await page.click('#tab-charts');
      await page.click('#time-model');
      await page.waitForSelector('#timing [data-total=latency]', { timeout: 60_000 });
      assert.match((await page.textContent('#timing [data-total=latency]'))!, /^\d+(\.\d)? ms median of 10 runs at batch 1/);
      assert.ok((await page.textContent('#timing'))!.includes(`against ${human(2 * analyze(resolveGraph(getModel('lenet5'))).totals.macs)} FLOPs`));
      // The model on screen is the uploaded lenet5.onnx: its own weights ran.
      assert.ok((await page.textContent('#timing'))!.includes('ONNX model with the weights of lenet5.onnx.'), await page.textContent('#timing') ?? '');
    });

    test('compare: the lecture\'s table and the accuracy bubble chart', async () => {
      await page.click('#tab-compare');
      await page.waitForSelector('#view-compare[data-drawn]');
      const ids = await page.$$eval('#compare-table tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
      assert.ok(ids.length >= 2, `at least two models compared, got ${ids.join(', ')}`);
      const withAccuracy = ids.filter((x) => listModels().find((m) => m.id === x)?.accuracy);
      if (withAccuracy.length) assert.equal(await page.locator('#chart-bubble svg').count(), 1);
      await shot(page, 'laptop-compare');
    });

    test('MobileNet\'s α slider re-analyses live', async () => {
      await page.click('#tab-graph');
      await page.selectOption('#model', 'mobilenet');
      await page.waitForSelector('#opt-alpha');
      await setRange(page, '#opt-alpha', '0.5');
      const half = analyze(resolveGraph(getModel('mobilenet', { alpha: 0.5 })));
      await page.waitForFunction((p) => document.querySelector('#totals dd[data-total=params]')?.textContent === p, int(half.totals.params));
      assert.deepEqual(await shownTotals(page), expectedTotals(half));
    });

    test('what if: a move toggled on the model on screen redraws the graph and notes each total\'s old value', async () => {
      await page.click('#tab-graph');
      await page.selectOption('#model', 'vgg16');
      await page.waitForFunction(() => document.querySelector('#totals h2')?.textContent?.startsWith('vgg16'));
      await page.check('#move-gap-head');
      const w = whatIf(getModel('vgg16'), ['gap-head']);
      await page.waitForFunction((p) => document.querySelector('#totals dd[data-total=params]')?.textContent === p, int(w.after.analysis.totals.params));
      assert.deepEqual(await shownTotals(page), expectedTotals(w.after.analysis));
      assert.equal(await page.textContent('#totals dd[data-note=params]'), `was ${human(w.before.analysis.totals.params)}, 9.09× fewer`);
      assert.match((await page.textContent('#whatif ul.changed'))!, /flatten … predictions flatten \+ 2 dense → global average pool before predictions/);
      await page.waitForSelector('#view-graph:not([aria-busy]) g.node.rewritten');
      assert.match(await page.evaluate(() => location.hash), /move=gap-head/);
      await shot(page, 'laptop-whatif');
    });

    test('what if: a move the model refuses is shown in one line, and the moves already on stay', async () => {
      // A click, not check(): the page unticks the box again when the model refuses the move.
      await page.click('#move-factorize');
      await page.waitForFunction(() => document.querySelector('#problem')?.textContent?.includes('factorize: vgg16 has no layer to rewrite'));
      assert.equal(await page.isChecked('#move-factorize'), false);
      assert.equal(await page.isChecked('#move-gap-head'), true);
      await page.uncheck('#move-gap-head');
      await page.waitForFunction((p) => document.querySelector('#totals dd[data-total=params]')?.textContent === p, int(analyze(resolveGraph(getModel('vgg16'))).totals.params));
    });

    test('no page or console errors along the way', () => assert.deepEqual(errors, []));
  });

  describe('phone 390×844', () => {
    let browser: Awaited<ReturnType<typeof launch>>;
    let page: Page;
    let errors: string[];

    before(async () => {
      browser = await launch({ width: 390, height: 844, mobile: true });
      page = await browser.context.newPage();
      errors = watch(page);
    });
    after(() => browser?.close());

    test('graph, details sheet and spec error fit the screen', async () => {
      const id = SUBJECT;
      await page.goto(`${server.url}#model=${id}`);
      await page.waitForSelector('html[data-ready]');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling (page is ${width}px wide)`);
      await shot(page, 'narrow-graph');
      const layer = analyze(resolveGraph(getModel(id))).layers.find((l) => l.macs > 0)!;
      await page.tap(`g.node[data-id="L:${layer.name}"]`);
      await page.waitForSelector('#details:not([hidden])');
      const sheet = await page.locator('#details').boundingBox();
      assert.ok(sheet && sheet.width <= 390 && sheet.y + sheet.height <= 844 + 1, 'the details sheet is on screen');
      await shot(page, 'narrow-details');
      await page.tap('#details .close');
      await page.tap('#tab-spec');
      await page.fill('#spec-text', '{"name": "x", "inputs": [{"name": "in", "shape": [8, 8, 1]}], "nodes": [{"name": "c", "op": "Conv2D", "inputs": ["in"], "attrs": {"filters": 2}}], "outputs": ["c"]}');
      await page.waitForSelector('#spec-message:not([hidden])');
      assert.match((await page.textContent('#spec-message .text'))!, /node c \(Conv2D\): missing required attribute "kernelSize"/);
      await shot(page, 'narrow-spec-error');
    });

    test('no page or console errors along the way', () => assert.deepEqual(errors, []));
  });
});
