/**
 * Chart specs as vega-lite JSON, built by pure functions from analyses so the command line and
 * the page draw the same figures. No renderer is imported here: see render.ts for SVG/PNG.
 */
export { accuracyChart } from './chart_accuracy.js';
export { layersChart } from './chart_layers.js';
export { memoryChart } from './chart_memory.js';
export { sweepChart, type SweepPoint } from './chart_sweep.js';
export type { ModelPoint } from './points.js';

/** Chart kinds of `convlab chart`. */
export const CHART_KINDS = ['accuracy', 'layers', 'memory', 'sweep'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
