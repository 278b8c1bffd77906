/**
 * Model points: the per-model figures that comparison charts plot, read from an analysis and the
 * registry's metadata in this one place for the command line and the page alike.
 */
import type { ModelPoint } from './charts.js';
import type { CompareEntry } from './compare.js';

/** The family drawn for a model without registry metadata: a spec file, an edited or uploaded spec. */
export const NO_FAMILY = 'spec';

/** Published accuracies a comparison chart can plot. */
export const ACCURACY_METRICS = ['top1', 'top5'] as const;
export type AccuracyMetric = (typeof ACCURACY_METRICS)[number];

/** A model's point on a comparison chart: its MACs and params, and its published accuracy where there is one. */
export function modelPoint(e: CompareEntry): ModelPoint {
  const acc = e.meta?.accuracy;
  return {
    model: e.label,
    family: e.meta?.family ?? NO_FAMILY,
    macs: e.analysis.totals.macs,
    params: e.analysis.totals.params,
    ...(acc?.top1 !== undefined ? { top1: acc.top1 } : {}),
    ...(acc?.top5 !== undefined ? { top5: acc.top5 } : {}),
  };
}

/** The models an accuracy chart leaves out: those without a published figure for `metric`. */
export function withoutAccuracy(points: readonly ModelPoint[], metric: AccuracyMetric = 'top1'): string[] {
  return points.filter((p) => p[metric] === undefined).map((p) => p.model);
}
