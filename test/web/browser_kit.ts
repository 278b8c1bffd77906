/**
 * What the explorer's browser tests share: the two window sizes, a server, a page that collects
 * its errors, screenshots into test-artifacts/, range inputs moved as a drag moves them, and the
 * axe-core accessibility check.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { artifactsDir, browserMissing, launch } from '../../scripts/chromium.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';

/** Why the browser tests cannot run here, or null when they can. */
export const missing = browserMissing();

/**
 * The `skip` of every browser suite. A machine without the browser fails the tests with the
 * reason; CONVLAB_SKIP_BROWSER=1 skips them on purpose.
 */
export const skipBrowser: string | false = process.env.CONVLAB_SKIP_BROWSER === '1' && missing ? missing : false;

/** The first test of a browser suite: fails with the reason when the browser or the built page is missing. */
export function browserIsThere(): void {
  test('the browser and the built page are there', () => {
    assert.equal(missing, null, `${missing} (set CONVLAB_SKIP_BROWSER=1 to skip the browser tests on purpose)`);
  });
}

/** The window sizes every point is checked at: a laptop and a phone. */
export const SIZES = [
  { name: 'laptop', width: 1366, height: 768, mobile: false },
  { name: 'phone', width: 390, height: 844, mobile: true },
] as const;
export type Size = (typeof SIZES)[number];

/** What the tests of one window size share: its page, the errors the page raised, and the server's URL. */
export interface SuitePage {
  page: Page;
  errors: string[];
  url: string;
}

/**
 * Declares a browser suite: a server, and for each window size (every one in SIZES unless
 * `sizes` says) a page opened by `open`, the tests `tests` declares, and a last test that the page
 * raised no error along the way. `s` is filled in before the first test of its size runs.
 */
export function browserSuite(
  title: string,
  o: { sizes?: readonly Size[]; bypassCSP?: boolean; open(page: Page, url: string): Promise<void> },
  tests: (s: SuitePage, size: Size) => void,
): void {
  describe(title, { skip: skipBrowser }, () => {
    browserIsThere();
    let server: RunningServer | undefined;
    before(async () => {
      server = await startServer({ port: 0 });
    });
    after(() => server?.close());
    for (const size of o.sizes ?? SIZES) {
      describe(`${size.name} ${size.width}×${size.height}`, () => {
        const s = { errors: [] as string[] } as SuitePage;
        let close: (() => Promise<void>) | undefined;
        before(async () => {
          const opened = await openPage(size, o.bypassCSP ? { bypassCSP: true } : {});
          close = opened.close;
          Object.assign(s, { page: opened.page, errors: opened.errors, url: server!.url });
          await o.open(s.page, s.url);
        });
        after(() => close?.());
        tests(s, size);
        test('no page or console errors along the way', () => assert.deepEqual(s.errors, []));
      });
    }
  });
}

/**
 * Unfolds the graph's view options where a narrow screen folds them behind "View options" (on a
 * wide screen they always show), and closes Find's list of matches, which a phone shows over them.
 */
export async function showGraphTools(page: Page): Promise<void> {
  const toggle = page.locator('#graph-tools-toggle');
  if (!(await toggle.isVisible())) return;
  if (await page.isVisible('#find-layer-list')) await page.press('#find-layer', 'Escape');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** Collects uncaught page errors and console errors: a run with any is a failure. */
export function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** A browser at one size with one page that collects its errors. */
export async function openPage(size: Size, o: { bypassCSP?: boolean } = {}): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const browser = await launch({ width: size.width, height: size.height, mobile: size.mobile, ...o });
  const page = await browser.context.newPage();
  return { page, errors: watch(page), close: () => browser.close() };
}

/** Opens a link of the explorer and waits until it is interactive. */
export async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('html[data-ready]', { timeout: 60_000 });
}

/** Moves a range input as a drag would: sets its value and fires `input`. */
export const setRange = (page: Page, selector: string, value: string) =>
  page.$eval(selector, (el, v) => {
    (el as HTMLInputElement).value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);

/**
 * Puts text into a text box at once, as a paste does, and fires `input`. Playwright's fill types
 * through the input pipeline and takes minutes for a few hundred kilobytes.
 */
export const paste = (page: Page, selector: string, text: string) =>
  page.$eval(selector, (el, v) => {
    (el as HTMLTextAreaElement).value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);

/** Saves a screenshot into test-artifacts/ as `<name>.png`. */
export const shot = (page: Page, name: string) => page.screenshot({ path: join(artifactsDir(), `${name}.png`) });

/** Saves a screenshot of one element, whole even where it runs below the window, as `<name>.png`. */
export const shotOf = (page: Page, selector: string, name: string) => page.locator(selector).screenshot({ path: join(artifactsDir(), `${name}.png`) });

/** The id (or tag) of the focused element, to check where the keyboard focus is. */
export const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}${Array.from(el.attributes).filter((a) => a.name.startsWith('data-')).map((a) => `[${a.name}="${a.value}"]`).join('')}`;
  });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A violation axe-core found, in one line. */
export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2 A and AA rules and best practices) on the page as it stands and returns
 * the serious and critical violations. The page's CSP forbids injected scripts, so the context
 * must be opened with bypassCSP.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}
