/**
 * Draws the library's vega-lite specs in the page: vega-lite compiles, a vega View renders SVG.
 * Both libraries load on first use, so opening the page does not wait for them.
 */
import type { TopLevelSpec } from 'vega-lite';

type VegaModule = typeof import('vega');
type View = InstanceType<VegaModule['View']>;

let libs: Promise<[VegaModule, typeof import('vega-lite')]> | null = null;
const views = new WeakMap<HTMLElement, View>();

/** Loads vega and vega-lite once. */
const load = () => (libs ??= Promise.all([import('vega'), import('vega-lite')]));

/** Renders `spec` into `el`, replacing (and finalizing) whatever chart was there. */
export async function drawChart(el: HTMLElement, spec: TopLevelSpec): Promise<void> {
  const [vega, vl] = await load();
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...m: unknown[]) => (warnings.push(m.join(' ')), logger),
    warn: (...m: unknown[]) => (warnings.push(m.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  const compiled = vl.compile(spec, { logger: logger as never }).spec;
  views.get(el)?.finalize();
  el.replaceChildren();
  const view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: el, hover: true });
  views.set(el, view);
  await view.runAsync();
  el.dataset.rendered = 'true';
  if (warnings.length) el.title = warnings.join('\n');
}
