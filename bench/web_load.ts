/**
 * Time to interactive of the explorer in headless Chromium, for every zoo model and for
 * synthetic chains of 5,000, 20,000 and 100,000 layers, with the longest main-thread stall.
 *
 * - A zoo model is opened by its link (`#model=<id>`) in a new tab with the HTTP cache off:
 *   time from navigation start to the page's `convlab:interactive` mark (built, analysed,
 *   totals shown, graph laid out and drawn).
 * - A chain is uploaded as a spec file into a page already open: time from the file input's
 *   change to the new graph drawn (totals name it, the layout is done, boxes on screen).
 * - Interactive is the later of that moment and the end of the last long task (> 50 ms, the
 *   browser's Long Tasks API) before a quiet second after it; the longest task is the worst
 *   stall a click or a key would wait behind.
 *
 * Goals: every zoo model under 1.5 s; 100,000 layers an outline with its message under 5 s;
 * no stall over 200 ms.
 *
 *   node dist/bench/web_load.js [--models all|id,id] [--chains 5000,20000,100000] [--width 1366 --height 768]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { int } from '../src/report/units.js';
import { startServer } from '../src/serve/server.js';
import { hasModel, listModels } from '../src/zoo/index.js';
import { browserMissing, launch } from '../scripts/chromium.js';
import { chainSpec } from '../scripts/synthetic.js';
import { median } from './timing.js';

const ZOO_GOAL_MS = 1500;
const LARGE_GOAL_MS = 5000;
const STALL_GOAL_MS = 200;
/** Quiet time after the drawing in which a late long task still counts against interactivity. */
const QUIET_MS = 1000;

interface Load {
  name: string;
  layers: number;
  /** Start to the graph drawn. */
  drawn: number;
  /** Start to drawn with no long task left. */
  interactive: number;
  /** Longest main-thread task from the start to the end of the quiet second. */
  stall: number;
  boxes: number;
  notice: string;
}

/** Records every long task from the first script on, in `window.__longTasks` as [start, duration]. */
function watchLongTasks(): void {
  const w = window as unknown as { __longTasks: Array<[number, number]> };
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
}

/** Waits until the graph of `name` is drawn; returns that moment on the page's clock. */
async function drawnAt(page: Page, name: string): Promise<number> {
  const handle = await page.waitForFunction(
    (n) => {
      const named = document.querySelector('#totals h2')?.textContent?.startsWith(n);
      const done = !document.querySelector('#view-graph')?.hasAttribute('aria-busy') && document.querySelector('#view-graph g.node');
      return named && done ? performance.now() : null;
    },
    name,
    { polling: 'raf', timeout: 120_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** What a load left on the page, measured from `start` (page clock) to the graph drawn at `drawn`. */
async function measure(page: Page, name: string, start: number, drawn: number): Promise<Load> {
  await page.waitForTimeout(QUIET_MS);
  return page.evaluate(
    ({ name, start, drawn, quiet }) => {
      const tasks = (window as unknown as { __longTasks: Array<[number, number]> }).__longTasks.filter(([s, d]) => s + d >= start && s <= drawn + quiet);
      const lastEnd = Math.max(drawn, ...tasks.map(([s, d]) => s + d));
      return {
        name,
        layers: Number(document.querySelector('#totals dd[data-total=layers]')?.textContent?.replace(/,/g, '') ?? NaN),
        drawn: drawn - start,
        interactive: lastEnd - start,
        stall: Math.max(0, ...tasks.map(([, d]) => d)),
        boxes: document.querySelectorAll('#view-graph g.node, #view-graph g.frame').length,
        notice: document.querySelector('#view-graph .notice:not([hidden])')?.textContent ?? '',
      };
    },
    { name, start, drawn, quiet: QUIET_MS },
  );
}

/** Opens a zoo model by its link in a new tab, nothing cached. */
async function loadZoo(newPage: () => Promise<Page>, url: string, id: string): Promise<Load> {
  const page = await newPage();
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(`${url}#model=${id}`);
    await page.waitForSelector('html[data-ready]', { timeout: 120_000 });
    const interactiveMark = await page.evaluate(() => performance.getEntriesByName('convlab:interactive')[0]?.startTime ?? NaN);
    return await measure(page, id, 0, interactiveMark);
  } finally {
    await page.close();
  }
}

/** Uploads a chain of `n` layers into an open page and times it. */
async function loadChain(page: Page, dir: string, n: number): Promise<Load> {
  const file = join(dir, `chain${n}.json`);
  writeFileSync(file, JSON.stringify(chainSpec(n)));
  await page.evaluate(() => {
    const w = window as unknown as { __uploadStart: number };
    document.querySelector('#upload')!.addEventListener('change', () => (w.__uploadStart = performance.now()), { capture: true, once: true });
  });
  await page.setInputFiles('#upload', file);
  const drawn = await drawnAt(page, `chain${n}`);
  const start = await page.evaluate(() => (window as unknown as { __uploadStart: number }).__uploadStart);
  return measure(page, `chain${n} (upload)`, start, drawn);
}

const ms = (x: number) => int(Math.round(x));
const row = (l: Load, goal: number) =>
  `| ${l.name} | ${int(l.layers)} | ${ms(l.drawn)} | ${ms(l.interactive)} | ${ms(l.stall)} | ${l.boxes} | ${l.interactive < goal && l.stall <= STALL_GOAL_MS ? 'yes' : '**no**'} |`;
const HEAD = '| graph | layers | drawn ms | interactive ms | longest task ms | boxes drawn | goal met |\n|---|---:|---:|---:|---:|---:|---|';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'all' },
      chains: { type: 'string', default: '5000,20000,100000' },
      width: { type: 'string', default: '1366' },
      height: { type: 'string', default: '768' },
    },
  });
  const missing = browserMissing();
  if (missing) {
    process.stderr.write(`web_load: ${missing}\n`);
    return 2;
  }
  const ids = values.models === 'all' ? listModels().map((m) => m.id) : values.models!.split(',').filter(Boolean);
  const unknown = ids.filter((id) => !hasModel(id));
  if (unknown.length) {
    process.stderr.write(`web_load: --models: unknown zoo model ${unknown.map((u) => JSON.stringify(u)).join(', ')}\n`);
    return 2;
  }
  const chains = values.chains!.split(',').filter(Boolean).map(Number);
  if (chains.some((n) => !Number.isInteger(n) || n < 1)) {
    process.stderr.write(`web_load: --chains must be whole numbers of layers, received ${JSON.stringify(values.chains)}\n`);
    return 2;
  }
  const server = await startServer({ port: 0 });
  const browser = await launch({ width: Number(values.width), height: Number(values.height) });
  const dir = mkdtempSync(join(tmpdir(), 'convlab-web-load-'));
  const zoo: Load[] = [];
  const large: Load[] = [];
  try {
    await browser.context.addInitScript(watchLongTasks);
    const newPage = () => browser.context.newPage();
    // One load first so the browser's own start-up is not charged to the first model.
    await loadZoo(newPage, server.url, ids[0]!);
    for (const id of ids) {
      zoo.push(await loadZoo(newPage, server.url, id));
      process.stderr.write(`\r${zoo.length}/${ids.length} ${id}          `);
    }
    process.stderr.write('\n');
    if (chains.length) {
      const page = await newPage();
      await page.goto(`${server.url}#model=lenet5`);
      await page.waitForSelector('html[data-ready]', { timeout: 60_000 });
      for (const n of chains) large.push(await loadChain(page, dir, n));
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const tti = zoo.map((l) => l.interactive);
  const worst = zoo.reduce((a, b) => (b.interactive > a.interactive ? b : a), zoo[0]!);
  const stalls = [...zoo, ...large].filter((l) => l.stall > STALL_GOAL_MS);
  console.log(`web_load: ${zoo.length} zoo models and ${large.length} chains at ${values.width}×${values.height}, headless Chromium`);
  console.log(`\nZoo models, time to interactive: median ${ms(median(tti))} ms, max ${ms(worst.interactive)} ms (${worst.name}); goal < ${int(ZOO_GOAL_MS)} ms\n`);
  console.log(HEAD);
  for (const l of [...zoo].sort((a, b) => b.interactive - a.interactive)) console.log(row(l, ZOO_GOAL_MS));
  if (large.length) {
    console.log(`\nSynthetic chains (conv, BN, ReLU repeated), uploaded; goal for 100,000 layers < ${int(LARGE_GOAL_MS)} ms with an outline and its message\n`);
    console.log(HEAD);
    for (const l of large) console.log(row(l, LARGE_GOAL_MS));
    for (const l of large) console.log(`\n${l.name}: ${l.notice || '(no message)'}`);
  }
  console.log(`\nStalls over ${STALL_GOAL_MS} ms: ${stalls.length ? stalls.map((l) => `${l.name} ${ms(l.stall)} ms`).join(', ') : 'none'}`);
  const met = worst.interactive < ZOO_GOAL_MS && large.every((l) => l.interactive < LARGE_GOAL_MS && l.notice !== '') && stalls.length === 0;
  return met ? 0 : 1;
}

main().then((code) => {
  process.exitCode = code;
});
