/**
 * Time to interactive of the explorer for a large model (EfficientNet-B7 by default), from the
 * browser's own performance timing: navigation start to the page's `convlab:interactive` mark
 * (model built and analysed, totals shown, graph laid out and drawn). Each run uses a fresh
 * browser profile, so nothing is cached. Goal: under 2 s.
 *
 *   node dist/bench/web_load.js [--model efficientnet_b7] [--runs 5] [--width 1366 --height 768]
 */
import { parseArgs } from 'node:util';
import { startServer } from '../src/serve/server.js';
import { hasModel, listModels } from '../src/zoo/index.js';
import { browserMissing, launch } from '../scripts/chromium.js';
import { median } from './timing.js';

const GOAL_MS = 2000;

interface Sample {
  /** Navigation start to `convlab:interactive`. */
  interactive: number;
  /** Navigation start to the end of DOMContentLoaded (script parsed and run). */
  domContentLoaded: number;
  /** Navigation start to `convlab:analysed` (model built and analysed). */
  analysed: number;
  layers: number;
}


async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, runs: { type: 'string', default: '5' }, width: { type: 'string', default: '1366' }, height: { type: 'string', default: '768' } },
  });
  const missing = browserMissing();
  if (missing) {
    process.stderr.write(`web_load: ${missing}\n`);
    return 2;
  }
  const model = values.model ?? (hasModel('efficientnet_b7') ? 'efficientnet_b7' : listModels().at(-1)!.id);
  if (!hasModel(model)) {
    process.stderr.write(`web_load: unknown model ${JSON.stringify(model)}\n`);
    return 2;
  }
  const runs = Math.max(1, Number(values.runs));
  const server = await startServer({ port: 0 });
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const browser = await launch({ width: Number(values.width), height: Number(values.height) });
      try {
        const page = await browser.context.newPage();
        await page.goto(`${server.url}#model=${model}`);
        await page.waitForSelector('html[data-ready]', { timeout: 60_000 });
        samples.push(
          await page.evaluate(() => {
            const mark = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
            const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
            return {
              interactive: mark('convlab:interactive'),
              analysed: mark('convlab:analysed'),
              domContentLoaded: nav.domContentLoadedEventEnd,
              layers: Number(document.querySelector('#totals dd[data-total=layers]')?.textContent?.replace(/,/g, '') ?? NaN),
            };
          }),
        );
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  const col = (k: keyof Sample) => samples.map((s) => s[k]);
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  const tti = median(col('interactive'));
  console.log(`web_load: ${model}, ${samples[0]!.layers} layers, ${runs} cold loads at ${values.width}×${values.height}`);
  console.log(`  DOMContentLoaded   ${fmt(col('domContentLoaded'))}`);
  console.log(`  analysed           ${fmt(col('analysed'))}`);
  console.log(`  interactive        ${fmt(col('interactive'))}`);
  console.log(`  goal < ${GOAL_MS} ms: ${tti < GOAL_MS ? 'met' : 'NOT met'}`);
  return tti < GOAL_MS ? 0 : 1;
}

main().then((code) => {
  process.exitCode = code;
});
