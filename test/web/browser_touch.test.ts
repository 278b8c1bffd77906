/**
 * The graph on a phone's touch screen (390×844, touch emulated): two fingers spreading zoom in
 * around their midpoint and pinching zoom out, one finger drags the drawing, a drag never counts
 * as a tap on the box under it, and a tap still selects a box. Touches are sent through the
 * DevTools protocol (Input.dispatchTouchEvent), as a touch screen sends them.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { CDPSession, Page } from 'playwright-core';
import { browserSuite, shot, SIZES, visit } from './browser_kit.js';
const phone = SIZES.find((s) => s.mobile)!;

type Point = { x: number; y: number };

/**
 * Moves fingers from `from` to `to` (one point per finger) in `steps` moves, rests them, then
 * lifts them. Lifting fingers still moving leaves a fling, and Chromium drops the next tap as
 * the one that stops the fling; resting first is what a person does before tapping again.
 */
async function gesture(page: Page, cdp: CDPSession, from: Point[], to: Point[], steps = 8): Promise<void> {
  const at = (t: number) => from.map((p, i) => ({ x: p.x + (to[i]!.x - p.x) * t, y: p.y + (to[i]!.y - p.y) * t, id: i }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let s = 1; s <= steps; s++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(s / steps) });
  await page.waitForTimeout(200);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(1) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** The drawing's pan and zoom, read from its transform. */
async function view(page: Page): Promise<{ x: number; y: number; k: number }> {
  const t = (await page.getAttribute('#graph-canvas svg > g', 'transform')) ?? '';
  const m = /translate\(([-\d.]+),([-\d.]+)\) scale\(([-\d.]+)\)/.exec(t);
  assert.ok(m, `a transform: ${t}`);
  return { x: Number(m[1]), y: Number(m[2]), k: Number(m[3]) };
}

/** Where a point of the drawing is on screen, from a transform. */
const onScreen = (v: { x: number; y: number; k: number }, p: Point, origin: Point): Point => ({ x: origin.x + v.x + v.k * p.x, y: origin.y + v.y + v.k * p.y });

browserSuite('graph by touch on a phone', {
  sizes: [phone],
  open: async (page, url) => {
    await visit(page, `${url}#model=resnet50`);
    await page.waitForSelector('#view-graph:not([aria-busy]) g.node');
  },
}, (s) => {
  let cdp: CDPSession;
  let canvas: { x: number; y: number; width: number; height: number };
  let mid: Point;
  before(async () => {
    cdp = await s.page.context().newCDPSession(s.page);
    canvas = (await s.page.locator('#graph-canvas').boundingBox())!;
    // A point in the canvas's empty margin, beside the column of boxes, so no finger starts on a box.
    mid = { x: canvas.x + canvas.width * 0.15, y: canvas.y + canvas.height * 0.5 };
  });

  test('two fingers spreading zoom in about their midpoint; the point under it stays put', async () => {
    const before = await view(s.page);
    const origin = { x: canvas.x, y: canvas.y };
    // The drawing point under the midpoint before the gesture.
    const under = { x: (mid.x - origin.x - before.x) / before.k, y: (mid.y - origin.y - before.y) / before.k };
    await gesture(s.page, cdp, [{ x: mid.x - 20, y: mid.y }, { x: mid.x + 20, y: mid.y }], [{ x: mid.x - 60, y: mid.y }, { x: mid.x + 60, y: mid.y }]);
    const after = await view(s.page);
    assert.ok(Math.abs(after.k / before.k - 3) < 0.05, `zoom ${before.k} → ${after.k}: fingers moved three times as far apart`);
    const now = onScreen(after, under, origin);
    assert.ok(Math.hypot(now.x - mid.x, now.y - mid.y) < 2, `the point under the fingers moved to ${now.x},${now.y} from ${mid.x},${mid.y}`);
    assert.equal(await s.page.isHidden('#details'), true, 'a pinch is no tap');
    await shot(s.page, 'touch-phone-pinched-in');
  });

  test('two fingers pinching zoom out again', async () => {
    const before = await view(s.page);
    await gesture(s.page, cdp, [{ x: mid.x - 60, y: mid.y }, { x: mid.x + 60, y: mid.y }], [{ x: mid.x - 20, y: mid.y }, { x: mid.x + 20, y: mid.y }]);
    const after = await view(s.page);
    assert.ok(Math.abs(before.k / after.k - 3) < 0.05, `zoom ${before.k} → ${after.k}`);
  });

  test('one finger drags the drawing by as far as it moves, and selects nothing', async () => {
    const before = await view(s.page);
    const box = (await s.page.locator('g.node[data-id="L:input"] rect').boundingBox())!;
    // Start on a box: a drag that starts there must still pan, not select it.
    const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await gesture(s.page, cdp, [start], [{ x: start.x - 30, y: start.y + 80 }]);
    const after = await view(s.page);
    assert.ok(Math.abs(after.x - before.x - -30) < 6 && Math.abs(after.y - before.y - 80) < 6, `moved by ${after.x - before.x},${after.y - before.y}`);
    assert.equal(after.k, before.k);
    assert.equal(await s.page.isHidden('#details'), true, 'the drag opened the box it started on');
    await shot(s.page, 'touch-phone-dragged');
  });

  test('a tap on a box still selects it', async () => {
    await s.page.tap('g.node[data-id="L:input"]');
    await s.page.waitForSelector('#details:not([hidden])');
    assert.equal(await s.page.textContent('#details h2 .name'), 'input');
    await shot(s.page, 'touch-phone-tapped');
  });

  test('the page itself never scrolls sideways or zooms', async () => {
    assert.ok((await s.page.evaluate(() => document.documentElement.scrollWidth)) <= phone.width);
    assert.equal(await s.page.evaluate(() => window.visualViewport?.scale ?? 1), 1);
  });

});
