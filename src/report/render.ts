/**
 * Headless chart rendering (Node only): vega-lite → vega → SVG with a renderer-less view, and
 * SVG → PNG with resvg. Commands import this module lazily, so `convlab summary` never loads it.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { textWidth } from './chart_style.js';

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

// Without a canvas vega guesses every character at 0.8 em, which leaves axis titles far from their
// labels and legends too wide; measure as the page's canvas does instead (vl-convert does the same).
// The typings do not declare textMetrics, which vega re-exports from vega-scenegraph.
(vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics.width = (item, text) =>
  textWidth(text == null ? '' : String(text).trim(), item.fontSize ?? 11, item.fontWeight === 'bold' || Number(item.fontWeight) >= 600);

/** Image formats a chart can be written in, by file extension. */
const IMAGE_FORMATS = ['svg', 'png'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Compile-time warnings of vega-lite, kept instead of printed so stdout and stderr stay clean. */
export interface RenderResult {
  data: string | Uint8Array;
  warnings: string[];
}

/** Renders a vega-lite spec to an SVG document. */
async function toSvg(spec: TopLevelSpec, warnings: string[] = []): Promise<string> {
  const logger = {
    level: () => logger,
    error: (...m: unknown[]) => { warnings.push(m.join(' ')); return logger; },
    warn: (...m: unknown[]) => { warnings.push(m.join(' ')); return logger; },
    info: () => logger,
    debug: () => logger,
  };
  const view = new vega.View(vega.parse(compile(spec, { logger: logger as never }).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG document to PNG at `scale` times its size, text in DejaVu Sans. */
function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Renders a spec in the format the output file asks for. */
export async function renderChart(spec: TopLevelSpec, format: ImageFormat): Promise<RenderResult> {
  const warnings: string[] = [];
  const svg = await toSvg(spec, warnings);
  return { data: format === 'svg' ? svg : svgToPng(svg), warnings };
}
