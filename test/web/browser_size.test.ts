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
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { int } from '../../src/report/units.js';
import { pageMessages } from '../../web/src/messages.js';
import { DRAW_LIMIT, RANGE_SIZE } from '../../web/src/outline.js';
import { browserIsThere, openPage, shot, SIZES, skipBrowser, visit } from './browser_kit.js';
import { chainSpec } from '../../scripts/synthetic.js';

/** A chain of `n` layers after its input, written to a spec file to upload. */
function chainFile(n: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'convlab-chain-')), `chain${n}.json`);
  writeFileSync(file, JSON.stringify(chainSpec(n)));
  return file;
}

/** Boxes and frames drawn. */
const drawn = (page: Page) => page.locator('#view-graph g.node, #view-graph g.frame').count();

/** Waits until the graph of the model named `name` is drawn (the totals name it and no layout is running). */
async function drawnModel(page: Page, name: string): Promise<void> {
  await page.waitForFunction((n) => document.querySelector('#totals h2')?.textContent?.startsWith(n), name, { timeout: 120_000 });
  await page.waitForSelector('#view-graph:not([aria-busy]) g.node', { timeout: 120_000 });
}

describe('explorer with graphs of any size', { skip: skipBrowser }, () => {
  browserIsThere();
  let server: RunningServer;
  let chain5k: string;
  let chain100k: string;
  before(async () => {
    server = await startServer({ port: 0 });
    chain5k = chainFile(5000);
    chain100k = chainFile(100_000);
  });
  after(() => server?.close());

  for (const size of SIZES) {
    describe(`${size.name} ${size.width}×${size.height}`, () => {
      let page: Page;
      let errors: string[];
      let close: () => Promise<void>;
      before(async () => {
        ({ page, errors, close } = await openPage(size));
        await visit(page, `${server.url}#model=resnet50`);
        await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
      });
      after(() => close?.());

      test('a new model is never drawn under the last one\'s name, and NASNet-Large opens with at most 150 boxes', async () => {
        // Watch every change to the page: a ResNet box on screen while the totals name NASNet is the fault.
        await page.evaluate(() => {
          const w = window as unknown as { stale: boolean };
          w.stale = false;
          new MutationObserver(() => {
            const named = document.querySelector('#totals h2')?.textContent?.startsWith('nasnet_large');
            if (named && document.querySelector('#view-graph g.node[data-id="L:conv1_conv"]')) w.stale = true;
          }).observe(document.body, { subtree: true, childList: true, characterData: true });
        });
        if (size.mobile) await page.click('#sidebar-toggle');
        await page.selectOption('#model', 'nasnet_large');
        if (size.mobile) await page.click('#sidebar-toggle');
        await drawnModel(page, 'nasnet_large');
        assert.equal(await page.evaluate(() => (window as unknown as { stale: boolean }).stale), false, 'the last model\'s boxes stood under the new name');
        const boxes = await drawn(page);
        assert.ok(boxes <= 150, `${boxes} boxes in the first view`);
        await shot(page, `size-${size.name}-nasnet`);
      });

      test('5,000 layers: an outline with a message; Expand all stops at the drawing limit and lays out with the plain layout', async () => {
        await page.setInputFiles('#upload', chain5k);
        await drawnModel(page, 'chain5000');
        assert.match((await page.textContent('#view-graph .notice'))!, new RegExp(pageMessages.outline(5001, RANGE_SIZE).slice(0, 40)));
        assert.ok((await drawn(page)) <= RANGE_SIZE);
        await page.click('#expand-all');
        await page.waitForFunction((t) => document.querySelector('#view-graph .notice')?.textContent?.includes(t), pageMessages.drawLimit(DRAW_LIMIT), { timeout: 120_000 });
        await page.waitForSelector('#view-graph:not([aria-busy])', { timeout: 120_000 });
        const boxes = await drawn(page);
        assert.ok(boxes > RANGE_SIZE && boxes <= DRAW_LIMIT + 100, `${boxes} boxes and frames`);
        assert.match((await page.textContent('#view-graph .status'))!, /plain layout/);
        await shot(page, `size-${size.name}-chain5k-expanded`);
      });

      test('100,000 layers: an outline with a message; the table keeps a few dozen rows in the page; the search finds the last layer', async () => {
        await page.setInputFiles('#upload', chain100k);
        await drawnModel(page, 'chain100000');
        // The input counts as a layer, as in the totals.
        assert.ok((await page.textContent('#view-graph .notice'))!.startsWith(`${int(100_001)} layers`));
        assert.ok((await drawn(page)) <= RANGE_SIZE);
        await shot(page, `size-${size.name}-chain100k-outline`);

        await page.fill('#find-layer', 'layer99998');
        await page.waitForSelector('#find-layer-list:not([hidden])');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#view-graph:not([aria-busy]) g.node.selected[data-id="L:layer99998"]', { timeout: 120_000 });
        assert.ok((await drawn(page)) <= 3 * RANGE_SIZE + 10);
        await shot(page, `size-${size.name}-chain100k-found`);

        await page.click('#tab-table');
        await page.waitForSelector('#layer-table tbody tr[data-layer]');
        assert.ok(Number(await page.getAttribute('#layer-table', 'aria-rowcount')) >= 100_002);
        assert.ok((await page.locator('#layer-table tbody tr').count()) < 200, 'only the rows in view are in the page');
        await page.$eval('#table-scroll', (el) => (el.scrollTop = el.scrollHeight));
        await page.waitForSelector('#layer-table tr[data-layer="layer99999"]');
        assert.ok((await page.locator('#layer-table tbody tr').count()) < 200);
        await shot(page, `size-${size.name}-chain100k-table`);
        await page.click('#tab-graph');
      });

      test('no page or console errors along the way', () => assert.deepEqual(errors, []));
    });
  }
});
