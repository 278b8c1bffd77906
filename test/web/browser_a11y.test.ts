/**
 * The explorer with a keyboard and a screen reader, at both sizes: axe-core finds no serious or
 * critical violation on any view or panel; the focus stays on the control that acted; the tabs
 * follow the ARIA pattern; Escape closes panels; the graph's boxes and the table's groups and rows
 * are reached and operated from the keyboard.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel } from '../../src/zoo/index.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { axeViolations, browserIsThere, focused, openPage, shot, SIZES, skipBrowser, visit } from './browser_kit.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Fails with the violations listed, one a line, when axe found any. */
async function noViolations(page: Page, where: string): Promise<void> {
  const v = await axeViolations(page);
  assert.deepEqual(v.map((x) => `${x.impact} ${x.id}: ${x.help} at ${x.targets.join(' | ')}`), [], `axe on ${where}`);
}

describe('explorer with keyboard and screen reader', { skip: skipBrowser }, () => {
  browserIsThere();
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0 });
  });
  after(() => server?.close());

  for (const size of SIZES) {
    describe(`${size.name} ${size.width}×${size.height}`, () => {
      let page: Page;
      let errors: string[];
      let close: () => Promise<void>;
      before(async () => {
        ({ page, errors, close } = await openPage(size, { bypassCSP: true }));
        await visit(page, `${server.url}#model=resnet50`);
        await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
      });
      after(() => close?.());

      test('axe: no serious or critical violation on any view, nor with the details, properties, share or search open', async () => {
        await noViolations(page, 'graph');
        await page.click('g.node[data-id="L:input"]');
        await page.waitForSelector('#details:not([hidden])');
        await noViolations(page, 'graph with details');
        await page.click('#details-close');
        if (size.mobile) await page.click('#sidebar-toggle');
        await noViolations(page, 'sidebar open');
        if (size.mobile) await page.click('#sidebar-toggle');
        await page.click('#model-properties');
        await page.waitForSelector('#model-facts');
        await noViolations(page, 'model properties');
        await page.click('#details-close');
        await page.fill('#find-layer', 'block1_1');
        await page.waitForSelector('#find-layer-list:not([hidden])');
        await noViolations(page, 'search list');
        await page.fill('#find-layer', '');
        for (const view of ['table', 'charts', 'compare', 'spec'] as const) {
          await page.click(`#tab-${view}`);
          if (view === 'charts' || view === 'compare') await page.waitForSelector(`#view-${view}[data-drawn]`, { timeout: 60_000 });
          await noViolations(page, view);
          await shot(page, `a11y-${size.name}-${view}`);
        }
        await page.fill('#spec-text', '{"name": "x", "inputs": [{"name": "in", "shape": [8, 8, 1]}], "nodes": [], "outputs": ["nope"]}');
        await page.waitForSelector('#spec-message:not([hidden])');
        await noViolations(page, 'spec with an error');
        await page.click('#share');
        await page.waitForSelector('#share-panel:not([hidden]) #share-message:not(:empty)');
        await noViolations(page, 'share panel');
        await page.keyboard.press('Escape');
        await page.waitForSelector('#share-panel', { state: 'hidden' });
        assert.equal(await focused(page), '#share');
      });

      test('a link with values it cannot use: the notice passes axe too', async () => {
        await visit(page, `${server.url}#model=resnet50&convention=bogus&view=table`);
        await page.waitForSelector('#page-notice:not([hidden])');
        await noViolations(page, 'link notice');
      });

      test('tabs: one tab stop, arrow keys and Home/End move and show, focus stays on the tab', async () => {
        await visit(page, `${server.url}#model=lenet5`);
        await page.focus('#tab-graph');
        await page.keyboard.press('ArrowRight');
        assert.equal(await focused(page), '#tab-table');
        assert.equal(await page.getAttribute('#tab-table', 'aria-selected'), 'true');
        assert.equal(await page.isVisible('#view-table'), true);
        await page.keyboard.press('End');
        assert.equal(await focused(page), '#tab-spec');
        await page.keyboard.press('ArrowRight');
        assert.equal(await focused(page), '#tab-graph');
        assert.deepEqual(await page.$$eval('[role=tab]', (ts) => ts.map((t) => (t as HTMLElement).tabIndex)), [0, -1, -1, -1, -1]);
      });

      test('focus stays on the control that acted: model menu, sliders, sort buttons, block toggles', async () => {
        await visit(page, `${server.url}#model=efficientnet_b0`);
        if (size.mobile) await page.click('#sidebar-toggle');
        await page.focus('#model');
        await page.selectOption('#model', 'efficientnet_b1');
        await page.waitForFunction(() => document.querySelector('#totals h2')?.textContent?.startsWith('efficientnet_b1'));
        assert.equal(await focused(page), '#model');
        await page.focus('#opt-phi');
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction(() => document.querySelector('#totals h2')?.textContent?.startsWith('efficientnet_b2'));
        await page.waitForTimeout(300);
        assert.equal(await focused(page), '#opt-phi');
        await page.focus('#opt-rho');
        await page.keyboard.press('ArrowLeft');
        await page.waitForTimeout(300);
        assert.equal(await focused(page), '#opt-rho');
        if (size.mobile) await page.click('#sidebar-toggle');
        await page.click('#tab-table');
        await page.focus('#layer-table button[data-sort=macs]');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#layer-table th[aria-sort=descending] button[data-sort=macs]');
        assert.equal(await focused(page), 'button[data-sort="macs"]');
      });

      test('graph boxes by keyboard: Tab reaches one, arrows move, Enter opens a block and the focus goes to its frame, Enter on the frame closes it', async () => {
        await visit(page, `${server.url}#model=resnet50`);
        await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
        assert.equal(await page.locator('#graph-canvas [data-nav][tabindex="0"]').count(), 1, 'one tab stop among the boxes');
        await page.focus('#graph-canvas');
        await page.keyboard.press('Tab');
        assert.equal(await focused(page), 'g[data-id="L:input"][data-nav="0"]');
        await page.keyboard.press('ArrowDown');
        assert.equal(await focused(page), 'text[data-nav="1"]');
        const block = (await page.getAttribute('g.node.block', 'data-id'))!;
        await page.focus(`g.node[data-id="${block}"]`);
        await page.keyboard.press('Enter');
        await page.waitForSelector(`g.frame[data-id="${block}"]`);
        await page.waitForFunction((id) => document.activeElement?.closest('g.frame')?.getAttribute('data-id') === id, block);
        await shot(page, `a11y-${size.name}-graph-keyboard`);
        await page.keyboard.press('Enter');
        await page.waitForSelector(`g.node.block[data-id="${block}"]`);
        await page.waitForFunction((id) => document.activeElement?.getAttribute('data-id') === id, block);
      });

      test('Escape closes the details panel and gives the focus back to the box that opened it', async () => {
        await page.focus('g.node[data-id="L:input"]');
        await page.keyboard.press(' ');
        await page.waitForSelector('#details:not([hidden])');
        await page.focus('#details-close');
        await page.keyboard.press('Escape');
        await page.waitForSelector('#details', { state: 'hidden' });
        assert.equal(await focused(page), 'g[data-id="L:input"][data-nav="0"]');
      });

      test('table by keyboard: one tab stop, arrows move through groups and rows, Enter folds a group or selects a layer', async () => {
        const a = analyze(resolveGraph(getModel('resnet50')));
        await page.click('#tab-table');
        assert.equal(await page.locator('#layer-table tbody button.cell[tabindex="0"]').count(), 1);
        await page.focus('#layer-table tbody button.cell[tabindex="0"]');
        await page.keyboard.press('ArrowDown');
        assert.equal(await focused(page), 'button[data-line="1"]');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#details:not([hidden])');
        const name = await page.getAttribute('#layer-table tr:has(button[data-line="1"])', 'data-layer');
        assert.equal(await page.textContent('#details h2 .name'), name);
        assert.ok(a.layers.some((l) => l.name === name));
        await page.keyboard.press('Escape');
        const group = page.locator('#layer-table tr.section button.cell').first();
        const line = (await group.getAttribute('data-line'))!;
        await group.focus();
        await page.keyboard.press('Enter');
        await page.waitForSelector(`#layer-table button[data-line="${line}"][aria-expanded=false]`);
        assert.equal(await focused(page), `button[data-line="${line}"]`);
        await page.keyboard.press('End');
        const last = Number(await page.getAttribute('#layer-table', 'aria-rowcount')) - 3;
        assert.equal(await focused(page), `button[data-line="${last}"]`);
        await shot(page, `a11y-${size.name}-table-keyboard`);
      });

      test('the check can fail: axe reports a planted empty button and grey-on-white text', async () => {
        await page.evaluate(() => {
          const planted = document.createElement('div');
          planted.id = 'planted';
          planted.innerHTML = '<button type="button"></button><p style="color:#aaaaaa;background:#ffffff">faint text</p>';
          document.querySelector('main')!.prepend(planted);
        });
        try {
          const ids = (await axeViolations(page)).map((v) => v.id);
          assert.ok(ids.includes('button-name'), ids.join(', '));
          assert.ok(ids.includes('color-contrast'), ids.join(', '));
        } finally {
          await page.evaluate(() => document.getElementById('planted')?.remove());
        }
      });

      test('the hidden file input is no tab stop; its button is', async () => {
        assert.equal(await page.getAttribute('#upload', 'tabindex'), '-1');
      });

      test('no page or console errors along the way', () => assert.deepEqual(errors, []));
    });
  }
});
