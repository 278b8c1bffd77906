/**
 * Draws the library's vega-lite specs in the page: vega-lite compiles, a vega View renders SVG,
 * narrowed to fit its card (chart_fit.ts). Both libraries load on first use, so opening the page
 * does not wait for them. Each chart can be downloaded as SVG or PNG.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotScale, plotWidth, withPlotWidths } from './chart_fit.js';
import { h, saveBlob } from './dom.js';
import { saveSvg } from './export.js';

type VegaModule = typeof import('vega');
type View = InstanceType<VegaModule['View']>;

let libs: Promise<[VegaModule, typeof import('vega-lite')]> | null = null;
const views = new WeakMap<HTMLElement, View>();

/** Loads vega and vega-lite once. */
const load = () => (libs ??= Promise.all([import('vega'), import('vega-lite')]));

/** Compiles and renders a spec into `el`, replacing (and finalizing) whatever chart was there. */
async function render(el: HTMLElement, spec: TopLevelSpec): Promise<View> {
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
  if (warnings.length) el.title = warnings.join('\n');
  return view;
}

/**
 * Renders `spec` into `el` at the width of `el`: too wide a chart is drawn again with narrower
 * plots, and what still overflows is scaled down as a picture (the SVG keeps its viewBox).
 */
export async function drawChart(el: HTMLElement, spec: TopLevelSpec): Promise<void> {
  await render(el, spec);
  const drawn = Number(el.querySelector('svg')?.getAttribute('width') ?? 0);
  const f = plotScale(drawn, plotWidth(spec), el.clientWidth);
  if (f < 1) await render(el, withPlotWidths(spec, f));
  const svg = el.querySelector('svg');
  // Marks vega leaves without a description (reference rules) would be unnamed images to a screen reader.
  svg?.querySelectorAll('[role="graphics-symbol"]:not([aria-label])').forEach((m) => m.setAttribute('aria-hidden', 'true'));
  svg?.setAttribute('role', 'img');
  if (svg && !svg.getAttribute('aria-label')) svg.setAttribute('aria-label', chartTitle(spec));
  el.dataset.rendered = 'true';
}

/** A chart's title as its picture's accessible name. */
function chartTitle(spec: TopLevelSpec): string {
  const t = (spec as { title?: unknown }).title;
  if (typeof t === 'string') return t;
  if (typeof t === 'object' && t !== null && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return 'Chart';
}

/** Downloads the chart drawn in `el` as SVG or PNG (twice the size, for sharp text). */
export async function exportChart(el: HTMLElement, format: 'svg' | 'png', name: string): Promise<void> {
  const view = views.get(el);
  if (!view) return;
  if (format === 'svg') return saveSvg(`${name}.svg`, await view.toSVG());
  const url = await view.toImageURL('png', 2);
  saveBlob(`${name}.png`, await (await fetch(url)).blob());
}

/** The Download SVG / PNG buttons under a chart; `name` gives the file's name when clicked. */
export function chartTools(el: HTMLElement, label: string, name: () => string): HTMLElement {
  const button = (format: 'svg' | 'png') =>
    h('button', { type: 'button', 'data-export': `${el.id}-${format}`, 'aria-label': `Download ${label} as ${format.toUpperCase()}`, onclick: () => void exportChart(el, format, name()) }, format.toUpperCase());
  return h('div', { class: 'chart-tools' }, h('span', { class: 'muted' }, 'Download'), button('svg'), button('png'));
}
