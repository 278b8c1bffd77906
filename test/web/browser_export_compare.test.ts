/**
 * Downloads, Netron-like conveniences and the compare view, at both window sizes: the graph and
 * every chart download as SVG and PNG pictures of what is drawn; charts fit their card; the
 * layer search finds partial matches from Ctrl+F; "Whole graph" fits every box on screen; the
 * properties panel names format, producer, opset, inputs, outputs and weights, for a zoo model
 * and an uploaded ONNX file; compare draws every chosen model in every chart, each once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { analyze } from '../../src/analysis/analyze.js';
import { compareEntry } from '../../src/report/compare.js';
import { bestMetric, modelPoint, unplaced } from '../../src/report/points.js';
import { int } from '../../src/report/units.js';
import { exportOnnx } from '../../src/runtime/onnx/export.js';
import { getModel, listModels } from '../../src/zoo/index.js';
import { pngScale } from '../../web/src/export.js';
import { pageMessages } from '../../web/src/messages.js';
import { searchLayers } from '../../web/src/search_model.js';
import { browserSuite, shot, shotOf, showGraphTools, visit } from './browser_kit.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Clicks a download button and returns the file's name and bytes. */
async function download(page: Page, selector: string): Promise<{ name: string; data: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(selector)]);
  return { name: dl.suggestedFilename(), data: readFileSync((await dl.path())!) };
}

/** Width and height an SVG document declares. */
function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  assert.ok(m, `an SVG document: ${svg.slice(0, 120)}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** The share of a PNG's pixels that are not white: a picture, not a blank canvas. */
function inkShare(png: PNG): number {
  let ink = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 240 || png.data[i + 1]! < 240 || png.data[i + 2]! < 240) ink++;
  return ink / (png.width * png.height);
}

/** Checks an SVG and a PNG download of the same picture: sizes agree (PNG at twice the size) and the PNG has ink. */
function samePicture(svg: { name: string; data: Buffer }, png: { name: string; data: Buffer }, stem: string): void {
  assert.equal(svg.name, `${stem}.svg`);
  assert.equal(png.name, `${stem}.png`);
  const size = svgSize(svg.data.toString('utf8'));
  const image = PNG.sync.read(png.data);
  const scale = pngScale(size.width, size.height);
  assert.ok(Math.abs(image.width - size.width * scale) <= 2, `PNG ${image.width} px wide for an SVG ${size.width} wide at ${scale}×`);
  assert.ok(Math.abs(image.height - size.height * scale) <= 2, `PNG ${image.height} px high for an SVG ${size.height} high at ${scale}×`);
  assert.ok(inkShare(image) > 0.01, `${png.name} is blank`);
}

let onnxPath: string | undefined;

/** LeNet-5 exported to ONNX at opset 19, written once to a file to upload. */
function onnxFile(): string {
  if (!onnxPath) {
    onnxPath = join(mkdtempSync(join(tmpdir(), 'convlab-onnx-')), 'lenet5.onnx');
    writeFileSync(onnxPath, exportOnnx(resolveGraph(getModel('lenet5')), { opset: 19 }));
  }
  return onnxPath;
}

/** How many zoo models the accuracy chart can place: the report's points, on the metric it picks. */
function placed(ids: readonly string[]): number {
  const points = ids.map((id) => modelPoint(compareEntry(id, analyze(resolveGraph(getModel(id))), listModels().find((m) => m.id === id))));
  return points.length - unplaced(points, bestMetric(points)).length;
}

/** What the compare view shows: table rows, bubbles, and the models the memory chart draws. */
const compared = (page: Page) =>
  page.evaluate(() => ({
    chips: Array.from(document.querySelectorAll('#view-compare .chip'), (c) => c.firstChild!.textContent!),
    rows: Array.from(document.querySelectorAll('#compare-table tbody tr td:first-child'), (t) => t.textContent!),
    bubbles: document.querySelectorAll('#chart-bubble g.mark-symbol.role-mark path').length,
    // One dashed peak rule and one filled area per model drawn.
    peaks: document.querySelectorAll('#chart-compare-memory g.mark-rule.role-mark line').length,
    areas: new Set(Array.from(document.querySelectorAll('#chart-compare-memory g.mark-area.role-mark path'), (p) => p.getAttribute('fill'))).size,
  }));

browserSuite('explorer downloads, conveniences and compare', { open: async (page, url) => {
  await visit(page, `${url}#model=resnet50`);
  await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
} }, (s, size) => {
  test('the graph downloads as SVG and PNG of the drawing on screen', async () => {
    const boxes = await s.page.locator('#view-graph g.node').count();
    await showGraphTools(s.page);
    const svg = await download(s.page, '#view-graph [data-export=svg]');
    const png = await download(s.page, '#view-graph [data-export=png]');
    samePicture(svg, png, 'resnet50-graph');
    assert.equal((svg.data.toString('utf8').match(/<g class="node /g) ?? []).length, boxes, 'every box on screen is in the SVG');
  });

  test('Ctrl+F finds layers by part of their name; Enter opens what hides the first and selects it', async () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    await s.page.focus('#graph-canvas');
    await s.page.keyboard.press('Control+f');
    assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'find-layer');
    await s.page.keyboard.type('block3_2');
    await s.page.waitForSelector('#find-layer-list:not([hidden])');
    const listed = await s.page.$$eval('#find-layer-list li .name', (els) => els.map((e) => e.textContent!));
    const expected = searchLayers(a.layers, 'block3_2');
    assert.deepEqual(listed, expected.matches.map((m) => m.name));
    assert.ok(listed.length > 1 && listed.every((n) => n.includes('block3_2')), listed.join(', '));
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector(`#view-graph:not([aria-busy]) g.node.selected[data-id="L:${listed[0]}"]`);
    assert.equal(await s.page.textContent('#details h2 .name'), listed[0]);
    await shot(s.page, `conveniences-${size.name}-found`);
    await s.page.click('#details-close');
  });

  test('Whole graph fits every box on screen, even with every block open', async () => {
    await showGraphTools(s.page);
    await s.page.click('#expand-all');
    await s.page.waitForSelector('#view-graph:not([aria-busy]) g.frame');
    await s.page.click('#fit-all');
    const outside = await s.page.evaluate(() => {
      const c = document.querySelector('#graph-canvas')!.getBoundingClientRect();
      return Array.from(document.querySelectorAll('#view-graph g.node rect'), (r) => r.getBoundingClientRect())
        .filter((b) => b.left < c.left - 0.5 || b.right > c.right + 0.5 || b.top < c.top - 0.5 || b.bottom > c.bottom + 0.5).length;
    });
    assert.equal(outside, 0, 'boxes left outside the canvas');
    await shot(s.page, `conveniences-${size.name}-whole-graph`);
    await s.page.click('#collapse-all');
    await s.page.waitForSelector('#view-graph:not([aria-busy]) g.node.block');
  });

  test('model properties: a zoo model', async () => {
    await showGraphTools(s.page);
    await s.page.click('#model-properties');
    await s.page.waitForSelector('#model-facts');
    const facts = await s.page.$$eval('#model-facts dd', (dds) => Object.fromEntries(dds.map((d) => [d.getAttribute('data-fact')!, d.textContent!])));
    assert.equal(facts.Format, 'convlab zoo: resnet50');
    assert.equal(facts.Producer, 'convlab');
    assert.equal(facts.Params, int(analyze(resolveGraph(getModel('resnet50'))).totals.params));
    assert.match(facts.Weights!, /^none/);
    assert.match((await s.page.textContent('#details'))!, /input.*\(224,224,3\)/s);
    await s.page.click('#details-close');
  });

  test('model properties: an uploaded ONNX file names its producer, opset and weights', async () => {
    await s.page.setInputFiles('#upload', onnxFile());
    await s.page.waitForFunction(() => document.querySelector('#model option:checked')?.textContent === 'lenet5.onnx');
    // What Find still holds is counted again among the new model's layers.
    assert.equal(await s.page.inputValue('#find-layer'), 'block3_2');
    await s.page.waitForFunction((t) => document.querySelector('#find-layer-note')?.textContent === t, pageMessages.noLayerMatches('block3_2'));
    await showGraphTools(s.page);
    await s.page.click('#model-properties');
    await s.page.waitForSelector('#model-facts');
    const facts = await s.page.$$eval('#model-facts dd', (dds) => Object.fromEntries(dds.map((d) => [d.getAttribute('data-fact')!, d.textContent!])));
    assert.equal(facts.Format, 'ONNX');
    assert.equal(facts.File, 'lenet5.onnx');
    assert.equal(facts.Producer, 'convlab');
    assert.equal(facts.Opset, 'ai.onnx 19');
    // LeNet's five weighted layers each have a kernel and a bias.
    assert.equal(facts.Weights, `in the file: 10 tensors, ${int(analyze(resolveGraph(getModel('lenet5'))).totals.params)} values (not loaded by the page)`);
    await shot(s.page, `conveniences-${size.name}-onnx-properties`);
    await s.page.click('#details-close');
  });

  test('every chart fits its card and downloads as SVG and PNG', async () => {
    await visit(s.page, `${s.url}#model=resnet50&view=charts`);
    await s.page.waitForSelector('#view-charts[data-drawn]', { timeout: 60_000 });
    const overflow = await s.page.$$eval('#view-charts .chart', (els) => els.flatMap((el) => {
      const svg = el.querySelector('svg');
      return svg && svg.getBoundingClientRect().width > el.clientWidth + 1 ? [`${el.id}: ${svg.getBoundingClientRect().width} > ${el.clientWidth}`] : [];
    }));
    assert.deepEqual(overflow, []);
    for (const [chart, stem] of [['chart-layers', 'resnet50-layers'], ['chart-memory', 'resnet50-memory'], ['chart-sweep', 'resnet50-sweep-rho']] as const) {
      const svg = await download(s.page, `[data-export=${chart}-svg]`);
      const png = await download(s.page, `[data-export=${chart}-png]`);
      samePicture(svg, png, stem);
    }
    await shotOf(s.page, '#chart-layers', `charts-${size.name}-layers`);
  });

  test('compare: every chosen model in the table and in every chart, once; the model on screen is not added twice', async () => {
    await visit(s.page, `${s.url}#model=resnet50&view=compare`);
    await s.page.waitForSelector('#view-compare[data-drawn]', { timeout: 60_000 });
    let c = await compared(s.page);
    assert.ok(c.chips.includes('resnet50'), 'the default list holds the model on screen');
    assert.deepEqual(c.rows, c.chips);
    assert.equal(c.bubbles, placed(c.chips));
    assert.equal(c.peaks, c.chips.length);
    assert.equal(c.areas, c.chips.length);
    await s.page.check('#compare-current');
    await s.page.waitForFunction(() => document.querySelector('#compare-note')?.textContent !== '' && !document.querySelector('#compare-note')?.textContent?.startsWith('analysing'));
    c = await compared(s.page);
    assert.deepEqual(c.rows, c.chips, 'resnet50 is already chosen: no second row');
    assert.equal(c.peaks, c.chips.length);

    // A model on screen that is not chosen joins every chart.
    await visit(s.page, `${s.url}#model=lenet5&view=compare`);
    await s.page.waitForFunction(() => document.querySelector('#totals h2')?.textContent?.startsWith('lenet5'));
    await s.page.waitForFunction((n) => document.querySelectorAll('#compare-table tbody tr').length === n, c.chips.length + 1, { timeout: 60_000 });
    await s.page.waitForFunction((n) => document.querySelectorAll('#chart-compare-memory g.mark-rule.role-mark line').length === n, c.chips.length + 1);
    c = await compared(s.page);
    assert.deepEqual(c.rows, [...c.chips, 'lenet5 (on screen)']);
    assert.equal(c.areas, c.chips.length + 1);
    assert.equal(new Set(c.rows).size, c.rows.length, 'no model twice');
    await shotOf(s.page, '#chart-compare-memory', `compare-${size.name}-memory`);
    for (const [chart, stem] of [['chart-compare-memory', 'compare-memory'], ['chart-bubble', 'compare-accuracy']] as const) {
      const svg = await download(s.page, `[data-export=${chart}-svg]`);
      const png = await download(s.page, `[data-export=${chart}-png]`);
      samePicture(svg, png, stem);
    }
  });

});
