/** The look every convlab chart shares: one vega-lite schema, white background, one font, readable sizes. */

/** The vega-lite schema chart specs declare. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** vega-lite config shared by every chart. */
export const CONFIG = {
  font: 'DejaVu Sans, Verdana, sans-serif',
  background: 'white',
  padding: 12,
  title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start' as const, offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: null },
};
