/**
 * The explorer with graphs of any size, at both window sizes: NASNet-Large's first view, a new
 * model never drawn under the last one's name, a 5,000-layer chain that expands only as far as
 * the drawing limit, and a 100,000-layer spec that opens as an outline with a message, whose
 * table keeps a few dozen rows in the page and whose layers the search still finds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { int } from '../../src/report/units.js';
import { parseJson } from '../../web/src/json_steps.js';
import { pageMessages } from '../../web/src/messages.js';
import { DRAW_LIMIT, RANGE_SIZE } from '../../web/src/outline.js';
import { browserSuite, shot, showGraphTools, visit } from './browser_kit.js';
import { chainSpec } from '../../scripts/synthetic.js';

const chainFiles = new Map<number, string>();

/** A chain of `n` layers after its input, written once to a spec file to upload. */
function chainFile(n: number): string {
  let file = chainFiles.get(n);
  if (!file) {
    file = join(mkdtempSync(join(tmpdir(), 'convlab-chain-')), `chain${n}.json`);
    writeFileSync(file, JSON.stringify(chainSpec(n)));
    chainFiles.set(n, file);
  }
  return file;
}

/** Boxes and frames drawn. */
const drawn = (page: Page) => page.locator('#view-graph g.node, #view-graph g.frame').count();

/** Waits until the graph of the model named `name` is drawn (the totals name it and no layout is running). */
async function drawnModel(page: Page, name: string): Promise<void> {
  await page.waitForFunction((n) => document.querySelector('#totals h2')?.textContent?.startsWith(n), name, { timeout: 120_000 });
  await page.waitForSelector('#view-graph:not([aria-busy]) g.node', { timeout: 120_000 });
}

browserSuite('explorer with graphs of any size', { open: async (page, url) => {
  await visit(page, `${url}#model=resnet50`);
  await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
} }, (s, size) => {
  test('a new model is never drawn under the last one\'s name, and NASNet-Large opens with at most 150 boxes', async () => {
    // Watch every change to the page: a ResNet box on screen while the totals name NASNet is the fault.
    await s.page.evaluate(() => {
      const w = window as unknown as { stale: boolean };
      w.stale = false;
      new MutationObserver(() => {
        const named = document.querySelector('#totals h2')?.textContent?.startsWith('nasnet_large');
        if (named && document.querySelector('#view-graph g.node[data-id="L:conv1_conv"]')) w.stale = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    if (size.mobile) await s.page.click('#sidebar-toggle');
    await s.page.selectOption('#model', 'nasnet_large');
    if (size.mobile) await s.page.click('#sidebar-toggle');
    await drawnModel(s.page, 'nasnet_large');
    assert.equal(await s.page.evaluate(() => (window as unknown as { stale: boolean }).stale), false, 'the last model\'s boxes stood under the new name');
    const boxes = await drawn(s.page);
    assert.ok(boxes <= 150, `${boxes} boxes in the first view`);
    await shot(s.page, `size-${size.name}-nasnet`);
  });

  test('5,000 layers: an outline with a message; Expand all stops at the drawing limit and lays out with the plain layout', async () => {
    await s.page.setInputFiles('#upload', chainFile(5000));
    await drawnModel(s.page, 'chain5000');
    assert.match((await s.page.textContent('#view-graph .notice'))!, new RegExp(pageMessages.outline(5001, RANGE_SIZE).slice(0, 40)));
    assert.ok((await drawn(s.page)) <= RANGE_SIZE);
    await showGraphTools(s.page);
    await s.page.click('#expand-all');
    await s.page.waitForFunction((t) => document.querySelector('#view-graph .notice')?.textContent?.includes(t), pageMessages.drawLimit(DRAW_LIMIT), { timeout: 120_000 });
    await s.page.waitForSelector('#view-graph:not([aria-busy])', { timeout: 120_000 });
    const boxes = await drawn(s.page);
    assert.ok(boxes > RANGE_SIZE && boxes <= DRAW_LIMIT + 100, `${boxes} boxes and frames`);
    assert.match((await s.page.textContent('#view-graph .status'))!, /plain layout/);
    await shot(s.page, `size-${size.name}-chain5k-expanded`);
  });

  test('a large uploaded spec with a syntax error deep inside is refused with its line and column', async () => {
    // Far past one parsing step, so the page reads it in steps, yet reports the error as for any text.
    const text = JSON.stringify(chainSpec(5000), null, 1).replace('"name": "layer4321"', '"name": "layer4321",,');
    const file = join(mkdtempSync(join(tmpdir(), 'convlab-broken-')), 'broken.json');
    writeFileSync(file, text);
    let expected = '';
    try {
      parseJson(text, 'broken.json');
    } catch (e) {
      expected = (e as Error).message;
    }
    assert.match(expected, /^broken\.json: not valid JSON.*line \d+, column \d+/);
    await s.page.setInputFiles('#upload', file);
    await s.page.waitForFunction((msg) => document.querySelector('#problem')?.textContent?.includes(msg), expected, { timeout: 120_000 });
  });

  test('100,000 layers: an outline with a message; the table keeps a few dozen rows in the page; the search finds the last layer', async () => {
    await s.page.setInputFiles('#upload', chainFile(100_000));
    await drawnModel(s.page, 'chain100000');
    // The input counts as a layer, as in the totals.
    assert.ok((await s.page.textContent('#view-graph .notice'))!.startsWith(`${int(100_001)} layers`));
    assert.ok((await drawn(s.page)) <= RANGE_SIZE);
    await shot(s.page, `size-${size.name}-chain100k-outline`);

    await s.page.fill('#find-layer', 'layer99998');
    await s.page.waitForSelector('#find-layer-list:not([hidden])');
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector('#view-graph:not([aria-busy]) g.node.selected[data-id="L:layer99998"]', { timeout: 120_000 });
    assert.ok((await drawn(s.page)) <= 3 * RANGE_SIZE + 10);
    await shot(s.page, `size-${size.name}-chain100k-found`);

    await s.page.click('#tab-table');
    await s.page.waitForSelector('#layer-table tbody tr[data-layer]');
    assert.ok(Number(await s.page.getAttribute('#layer-table', 'aria-rowcount')) >= 100_002);
    assert.ok((await s.page.locator('#layer-table tbody tr').count()) < 200, 'only the rows in view are in the page');
    await s.page.$eval('#table-scroll', (el) => (el.scrollTop = el.scrollHeight));
    await s.page.waitForSelector('#layer-table tr[data-layer="layer99999"]');
    assert.ok((await s.page.locator('#layer-table tbody tr').count()) < 200);
    await shot(s.page, `size-${size.name}-chain100k-table`);
    await s.page.click('#tab-graph');
  });

});
