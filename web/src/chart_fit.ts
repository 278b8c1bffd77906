/**
 * Charts that fit their card. The library's chart specs have fixed plot widths, as a command
 * line's SVG should; on a narrow screen the page narrows the plots (never the text) so the whole
 * chart fits, and only when even narrowed plots would not fit does it scale the picture down.
 */

/** Narrowest plots relative to the spec's: below this, bars and points crowd into each other. */
export const MIN_PLOT_SCALE = 0.35;

type Spec = Record<string, unknown>;
const isObj = (x: unknown): x is Spec => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The plot width a vega-lite spec asks for: its width, the sum over hconcat, the widest of vconcat. */
export function plotWidth(spec: unknown): number {
  if (!isObj(spec)) return 0;
  if (Array.isArray(spec.hconcat)) return spec.hconcat.reduce((s: number, c) => s + plotWidth(c), 0);
  if (Array.isArray(spec.vconcat)) return Math.max(0, ...spec.vconcat.map(plotWidth));
  if (Array.isArray(spec.layer) && typeof spec.width !== 'number') return Math.max(0, ...spec.layer.map(plotWidth));
  return typeof spec.width === 'number' ? spec.width : 0;
}

/** A copy of a spec with every numeric plot width multiplied by `f` (rounded); heights and text stay. */
export function withPlotWidths<T>(spec: T, f: number): T {
  const walk = (x: unknown, key: string | null): unknown => {
    if (Array.isArray(x)) return key === 'values' ? x : x.map((c) => walk(c, null));
    if (!isObj(x)) return x;
    const out: Spec = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'data') out[k] = v;
      else if (k === 'width' && typeof v === 'number') out[k] = Math.max(1, Math.round(v * f));
      else out[k] = walk(v, k);
    }
    return out;
  };
  return walk(spec, null) as T;
}

/**
 * How much to narrow the plots of a chart that drew `drawn` pixels wide from a spec whose plots
 * take `plots` of them, to fit `available` pixels: 1 when it fits, never below MIN_PLOT_SCALE.
 */
export function plotScale(drawn: number, plots: number, available: number): number {
  if (!(drawn > available) || !(plots > 0)) return 1;
  const fixed = drawn - plots;
  return Math.max(MIN_PLOT_SCALE, Math.min(1, (available - fixed) / plots));
}
