/**
 * Charts as the command line draws them, shared by `chart`, `compare`, `bench` and `eval`: the
 * image format from the output name, the accuracy chart with a note for models that have no
 * published figure, and rendering to a file written atomically. The renderer (vega, resvg) is
 * loaded only when a chart is drawn.
 */
import type { TopLevelSpec } from 'vega-lite';
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { accuracyChart } from '../report/charts.js';
import type { CompareEntry } from '../report/compare.js';
import { ACCURACY_METRICS, bestMetric, modelPoint, unplaced, type AccuracyMetric } from '../report/points.js';
import { choice } from './options.js';
import { writeOutput } from '../core/output.js';

/** The image format from the output name. */
export function imageFormat(path: string): 'svg' | 'png' {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext !== 'svg' && ext !== 'png') throw new UsageError(messages.outputExtension(path, ['svg', 'png']));
  return ext;
}

/** The accuracy chart of the given models on `metric` (by default the one that places the most); the chart names those it cannot place. */
export function accuracySpec(entries: CompareEntry[], metric?: AccuracyMetric): TopLevelSpec {
  const points = entries.map(modelPoint);
  const chosen = metric ?? bestMetric(points);
  const missing = unplaced(points, chosen);
  if (missing.length === points.length) throw new UsageError(messages.chartNoAccuracy(missing));
  return accuracyChart(points, { metric: chosen });
}

/** `--metric` as given, or undefined for the metric that places the most models. */
export const metricOption = (text: string | undefined): AccuracyMetric | undefined => (text === undefined ? undefined : choice('--metric', ACCURACY_METRICS, text));

/** Renders a chart spec to `path` (its format from the name), printing the renderer's warnings; returns the bytes written. */
export async function drawChart(spec: TopLevelSpec | Record<string, unknown>, path: string): Promise<number> {
  const { renderChart } = await import('../report/render.js');
  const { data, warnings } = await renderChart(spec as TopLevelSpec, imageFormat(path));
  for (const w of warnings) process.stderr.write(`convlab: chart warning: ${w}\n`);
  writeOutput(path, data);
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}
