/**
 * The explorer stays responsive and leaves a phone's screen to the drawing: opening NASNet-Large
 * analyses it in slices with the browser's other tasks in between (never one long task from start
 * to end, as the Long Tasks API sees it), and on a phone the graph's options fold behind one
 * button beside Find layer, operable by keyboard. How long the longest task is, is measured by
 * bench/web_load.ts; here only the structure is checked, which a busy machine cannot change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, focused, shot, visit } from './browser_kit.js';

/** What the page recorded while a model opened: long tasks, the analysing span, and ticks of a task that ran meanwhile. */
interface Opening {
  tasks: Array<[number, number]>;
  analysing: Array<[number, number]>;
  ticks: number;
}

browserSuite('explorer responsive while a large model opens', { open: async (page, url) => {
  await visit(page, `${url}#model=resnet50`);
  await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
} }, (s, size) => {
  test('NASNet-Large is analysed in slices: other tasks run meanwhile and no long task spans the analysis', async (t) => {
    await s.page.evaluate(() => {
      const w = window as unknown as { opening: Opening; stopTicks: boolean };
      const rec: Opening = { tasks: [], analysing: [], ticks: 0 };
      w.opening = rec;
      w.stopTicks = false;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) rec.tasks.push([e.startTime, e.startTime + e.duration]);
      }).observe({ type: 'longtask' });
      const html = document.documentElement;
      new MutationObserver(() => {
        const on = html.hasAttribute('data-analysing');
        const last = rec.analysing[rec.analysing.length - 1];
        if (on && (!last || !Number.isNaN(last[1]))) rec.analysing.push([performance.now(), NaN]);
        if (!on && last && Number.isNaN(last[1])) last[1] = performance.now();
      }).observe(html, { attributes: true, attributeFilter: ['data-analysing'] });
      // A task standing for a click or a key: it only runs when the analysis gives the turn. It is
      // posted as a message, the way the page's own pauses are, so the two queue in order; a timer
      // could be clamped or queued behind the page's messages and say nothing about the slices.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        if (html.hasAttribute('data-analysing')) rec.ticks++;
        if (!w.stopTicks) channel.port2.postMessage(null);
        else channel.port1.close();
      };
      channel.port2.postMessage(null);
    });
    if (size.mobile) await s.page.click('#sidebar-toggle');
    await s.page.selectOption('#model', 'nasnet_large');
    if (size.mobile) await s.page.click('#sidebar-toggle');
    await s.page.waitForFunction(() => document.querySelector('#totals h2')?.textContent?.startsWith('nasnet_large'), null, { timeout: 120_000 });
    await s.page.waitForSelector('#view-graph:not([aria-busy]) g.node', { timeout: 120_000 });
    const o = await s.page.evaluate(() => {
      const w = window as unknown as { opening: Opening; stopTicks: boolean };
      w.stopTicks = true;
      return w.opening;
    });
    assert.equal(o.analysing.length, 1, 'the analysis ran in slices once (the page marks html[data-analysing] between them)');
    const [from, to] = o.analysing[0]!;
    assert.ok(Number.isFinite(to), 'the analysis finished');
    assert.ok(o.ticks >= 2, `another task ran ${o.ticks} times during the analysis`);
    const spanning = o.tasks.filter(([a, b]) => a <= from && b >= to);
    assert.deepEqual(spanning, [], 'a long task covered the whole analysis');
    const longest = Math.max(0, ...o.tasks.map(([a, b]) => b - a));
    t.diagnostic(`longest task ${Math.round(longest)} ms over ${Math.round(to - from)} ms of analysis`);
  });
});

browserSuite('explorer graph options on a phone and a laptop', { open: async (page, url) => {
  await visit(page, `${url}#model=resnet50`);
  await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
} }, (s, size) => {
  const box = (selector: string) => s.page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, height: r.height };
  });

  test('the drawing starts in the top third; on a phone the graph\'s toolbar is one row', async (t) => {
    await shot(s.page, `toolbar-${size.name}`);
    const bar = await box('#view-graph .toolbar');
    const canvas = await box('#graph-canvas');
    t.diagnostic(`toolbar ${bar.height} px; drawing from ${canvas.top} px of ${size.height}`);
    if (size.mobile) assert.ok(bar.height <= 0.1 * size.height, `toolbar ${bar.height} px high in a ${size.height} px window`);
    assert.ok(canvas.top <= size.height / 3, `the drawing starts ${canvas.top} px down a ${size.height} px window`);
  });

  if (size.mobile) {
    test('phone: "View options" unfolds the options, Tab reaches them, Escape folds them and returns the focus', async () => {
      assert.equal(await s.page.isVisible('#colour-by'), false, 'the options are folded at first');
      await s.page.focus('#graph-tools-toggle');
      assert.equal(await s.page.getAttribute('#graph-tools-toggle', 'aria-expanded'), 'false');
      await s.page.keyboard.press('Enter');
      assert.equal(await s.page.getAttribute('#graph-tools-toggle', 'aria-expanded'), 'true');
      for (const id of ['colour-by', 'size-by', 'expand-all', 'fit-all', 'model-properties']) assert.ok(await s.page.isVisible(`#${id}`), `#${id} shows`);
      await shot(s.page, `toolbar-${size.name}-open`);
      await s.page.keyboard.press('Tab');
      assert.equal(await focused(s.page), '#colour-by');
      await s.page.keyboard.press('Escape');
      assert.equal(await s.page.getAttribute('#graph-tools-toggle', 'aria-expanded'), 'false');
      assert.equal(await focused(s.page), '#graph-tools-toggle');
      assert.equal(await s.page.isVisible('#colour-by'), false, 'folded again');
      // What the status says is still read out while folded.
      assert.match((await s.page.textContent('#view-graph .status'))!, /layers/);
    });
  } else {
    test('laptop: every option shows in the bar and there is nothing to unfold', async () => {
      assert.equal(await s.page.isVisible('#graph-tools-toggle'), false);
      for (const id of ['colour-by', 'size-by', 'expand-all', 'fit-all', 'zoom-in', 'model-properties', 'find-layer']) assert.ok(await s.page.isVisible(`#${id}`), `#${id} shows`);
    });
  }
});
