/**
 * The explorer with a keyboard and a screen reader, at both sizes: axe-core finds no serious or
 * critical violation on any view or panel; the focus stays on the control that acted; the tabs
 * follow the ARIA pattern; Escape closes panels; the graph's boxes and the table's groups and rows
 * are reached and operated from the keyboard.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { analyze } from '../../src/analysis/analyze.js';
import { getModel } from '../../src/zoo/index.js';
import { axeViolations, browserSuite, focused, shot, showGraphTools, visit } from './browser_kit.js';
import { resolveGraph } from '../../src/graph/graph.js';

/** Fails with the violations listed, one a line, when axe found any. */
async function noViolations(page: Page, where: string): Promise<void> {
  const v = await axeViolations(page);
  assert.deepEqual(v.map((x) => `${x.impact} ${x.id}: ${x.help} at ${x.targets.join(' | ')}`), [], `axe on ${where}`);
}

browserSuite('explorer with keyboard and screen reader', { bypassCSP: true, open: async (page, url) => {
  await visit(page, `${url}#model=resnet50`);
  await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
} }, (s, size) => {
  test('axe: no serious or critical violation on any view, nor with the details, properties, share or search open', async () => {
    await noViolations(s.page, 'graph');
    await s.page.click('g.node[data-id="L:input"]');
    await s.page.waitForSelector('#details:not([hidden])');
    await noViolations(s.page, 'graph with details');
    await s.page.click('#details-close');
    if (size.mobile) await s.page.click('#sidebar-toggle');
    await noViolations(s.page, 'sidebar open');
    if (size.mobile) await s.page.click('#sidebar-toggle');
    await showGraphTools(s.page);
    await noViolations(s.page, 'graph view options');
    await s.page.click('#model-properties');
    await s.page.waitForSelector('#model-facts');
    await noViolations(s.page, 'model properties');
    await s.page.click('#details-close');
    await s.page.fill('#find-layer', 'block1_1');
    await s.page.waitForSelector('#find-layer-list:not([hidden])');
    await noViolations(s.page, 'search list');
    await s.page.fill('#find-layer', '');
    for (const view of ['table', 'charts', 'compare', 'spec'] as const) {
      await s.page.click(`#tab-${view}`);
      if (view === 'charts' || view === 'compare') await s.page.waitForSelector(`#view-${view}[data-drawn]`, { timeout: 60_000 });
      await noViolations(s.page, view);
      await shot(s.page, `a11y-${size.name}-${view}`);
    }
    await s.page.fill('#spec-text', '{"name": "x", "inputs": [{"name": "in", "shape": [8, 8, 1]}], "nodes": [], "outputs": ["nope"]}');
    await s.page.waitForSelector('#spec-message:not([hidden])');
    await noViolations(s.page, 'spec with an error');
    await s.page.click('#share');
    await s.page.waitForSelector('#share-panel:not([hidden]) #share-message:not(:empty)');
    await noViolations(s.page, 'share panel');
    await s.page.keyboard.press('Escape');
    await s.page.waitForSelector('#share-panel', { state: 'hidden' });
    assert.equal(await focused(s.page), '#share');
  });

  test('a link with values it cannot use: the notice passes axe too', async () => {
    await visit(s.page, `${s.url}#model=resnet50&convention=bogus&view=table`);
    await s.page.waitForSelector('#page-notice:not([hidden])');
    await noViolations(s.page, 'link notice');
  });

  test('tabs: one tab stop, arrow keys and Home/End move and show, focus stays on the tab', async () => {
    await visit(s.page, `${s.url}#model=lenet5`);
    await s.page.focus('#tab-graph');
    await s.page.keyboard.press('ArrowRight');
    assert.equal(await focused(s.page), '#tab-table');
    assert.equal(await s.page.getAttribute('#tab-table', 'aria-selected'), 'true');
    assert.equal(await s.page.isVisible('#view-table'), true);
    await s.page.keyboard.press('End');
    assert.equal(await focused(s.page), '#tab-spec');
    await s.page.keyboard.press('ArrowRight');
    assert.equal(await focused(s.page), '#tab-graph');
    assert.deepEqual(await s.page.$$eval('[role=tab]', (ts) => ts.map((t) => (t as HTMLElement).tabIndex)), [0, -1, -1, -1, -1]);
  });

  test('focus stays on the control that acted: model menu, sliders, sort buttons, block toggles', async () => {
    await visit(s.page, `${s.url}#model=efficientnet_b0`);
    if (size.mobile) await s.page.click('#sidebar-toggle');
    await s.page.focus('#model');
    await s.page.selectOption('#model', 'efficientnet_b1');
    await s.page.waitForFunction(() => document.querySelector('#totals h2')?.textContent?.startsWith('efficientnet_b1'));
    assert.equal(await focused(s.page), '#model');
    await s.page.focus('#opt-phi');
    await s.page.keyboard.press('ArrowRight');
    await s.page.waitForFunction(() => document.querySelector('#totals h2')?.textContent?.startsWith('efficientnet_b2'));
    await s.page.waitForTimeout(300);
    assert.equal(await focused(s.page), '#opt-phi');
    await s.page.focus('#opt-rho');
    await s.page.keyboard.press('ArrowLeft');
    await s.page.waitForTimeout(300);
    assert.equal(await focused(s.page), '#opt-rho');
    if (size.mobile) await s.page.click('#sidebar-toggle');
    await s.page.click('#tab-table');
    await s.page.focus('#layer-table button[data-sort=macs]');
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector('#layer-table th[aria-sort=descending] button[data-sort=macs]');
    assert.equal(await focused(s.page), 'button[data-sort="macs"]');
  });

  test('graph boxes by keyboard: Tab reaches one, arrows move, Enter opens a block and the focus goes to its frame, Enter on the frame closes it', async () => {
    await visit(s.page, `${s.url}#model=resnet50`);
    await s.page.waitForSelector('#view-graph:not([aria-busy]) g.node');
    assert.equal(await s.page.locator('#graph-canvas [data-nav][tabindex="0"]').count(), 1, 'one tab stop among the boxes');
    await s.page.focus('#graph-canvas');
    await s.page.keyboard.press('Tab');
    assert.equal(await focused(s.page), 'g[data-id="L:input"][data-nav="0"]');
    await s.page.keyboard.press('ArrowDown');
    assert.equal(await focused(s.page), 'text[data-nav="1"]');
    const block = (await s.page.getAttribute('g.node.block', 'data-id'))!;
    await s.page.focus(`g.node[data-id="${block}"]`);
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector(`g.frame[data-id="${block}"]`);
    await s.page.waitForFunction((id) => document.activeElement?.closest('g.frame')?.getAttribute('data-id') === id, block);
    await shot(s.page, `a11y-${size.name}-graph-keyboard`);
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector(`g.node.block[data-id="${block}"]`);
    await s.page.waitForFunction((id) => document.activeElement?.getAttribute('data-id') === id, block);
  });

  test('Escape closes the details panel and gives the focus back to the box that opened it', async () => {
    await s.page.focus('g.node[data-id="L:input"]');
    await s.page.keyboard.press(' ');
    await s.page.waitForSelector('#details:not([hidden])');
    await s.page.focus('#details-close');
    await s.page.keyboard.press('Escape');
    await s.page.waitForSelector('#details', { state: 'hidden' });
    assert.equal(await focused(s.page), 'g[data-id="L:input"][data-nav="0"]');
  });

  test('table by keyboard: one tab stop, arrows move through groups and rows, Enter folds a group or selects a layer', async () => {
    const a = analyze(resolveGraph(getModel('resnet50')));
    await s.page.click('#tab-table');
    assert.equal(await s.page.locator('#layer-table tbody button.cell[tabindex="0"]').count(), 1);
    await s.page.focus('#layer-table tbody button.cell[tabindex="0"]');
    await s.page.keyboard.press('ArrowDown');
    assert.equal(await focused(s.page), 'button[data-line="1"]');
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector('#details:not([hidden])');
    const name = await s.page.getAttribute('#layer-table tr:has(button[data-line="1"])', 'data-layer');
    assert.equal(await s.page.textContent('#details h2 .name'), name);
    assert.ok(a.layers.some((l) => l.name === name));
    await s.page.keyboard.press('Escape');
    const group = s.page.locator('#layer-table tr.section button.cell').first();
    const line = (await group.getAttribute('data-line'))!;
    await group.focus();
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector(`#layer-table button[data-line="${line}"][aria-expanded=false]`);
    assert.equal(await focused(s.page), `button[data-line="${line}"]`);
    await s.page.keyboard.press('End');
    const last = Number(await s.page.getAttribute('#layer-table', 'aria-rowcount')) - 3;
    assert.equal(await focused(s.page), `button[data-line="${last}"]`);
    await shot(s.page, `a11y-${size.name}-table-keyboard`);
  });

  test('the check can fail: axe reports a planted empty button and grey-on-white text', async () => {
    await s.page.evaluate(() => {
      const planted = document.createElement('div');
      planted.id = 'planted';
      planted.innerHTML = '<button type="button"></button><p style="color:#aaaaaa;background:#ffffff">faint text</p>';
      document.querySelector('main')!.prepend(planted);
    });
    try {
      const ids = (await axeViolations(s.page)).map((v) => v.id);
      assert.ok(ids.includes('button-name'), ids.join(', '));
      assert.ok(ids.includes('color-contrast'), ids.join(', '));
    } finally {
      await s.page.evaluate(() => document.getElementById('planted')?.remove());
    }
  });

  test('the hidden file input is no tab stop; its button is', async () => {
    assert.equal(await s.page.getAttribute('#upload', 'tabindex'), '-1');
  });

});
