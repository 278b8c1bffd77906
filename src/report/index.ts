/**
 * Report layer: summaries, comparisons, lists, what-if and benchmark reports as documents
 * (table, markdown, CSV, HTML, JSON) and charts as vega-lite specs. Rendering charts to SVG or
 * PNG (render.ts) loads vega and resvg, so it is imported from its own module.
 */
export * from './document.js';
export * from './format.js';
export * from './json.js';
export * from './units.js';
export * from './summary.js';
export * from './compare.js';
export * from './list.js';
export * from './group.js';
export * from './points.js';
export * from './sweeps.js';
export * from './charts.js';
export * from './bench.js';
export * from './bench_charts.js';
export * from './eval_chart.js';
export * from './whatif.js';
