/**
 * Model points: the per-model figures that comparison charts plot, read from an analysis and the
 * registry's metadata in this one place for the command line and the page alike.
 */
import type { CompareEntry } from './compare.js';

/** The family drawn for a model without registry metadata: a spec file, an edited or uploaded spec. */
export const NO_FAMILY = 'spec';

/** Published accuracies a comparison chart can plot. */
export const ACCURACY_METRICS = ['top1', 'top5'] as const;
export type AccuracyMetric = (typeof ACCURACY_METRICS)[number];

/** One model on an architecture-comparison chart. */
export interface ModelPoint {
  model: string;
  family: string;
  macs: number;
  params: number;
  /** Published single-model validation accuracy as a fraction, when known. */
  top1?: number;
  top5?: number;
  /** Top-5 of the model's ILSVRC competition entry (test set, usually an ensemble), when known. */
  ilsvrcTop5?: number;
}

/** A model's point on a comparison chart: its MACs and params, and its published accuracies where there are some. */
export function modelPoint(e: CompareEntry): ModelPoint {
  const acc = e.meta?.accuracy;
  return {
    model: e.label,
    family: e.meta?.family ?? NO_FAMILY,
    macs: e.analysis.totals.macs,
    params: e.analysis.totals.params,
    ...(acc?.top1 !== undefined ? { top1: acc.top1 } : {}),
    ...(acc?.top5 !== undefined ? { top5: acc.top5 } : {}),
    ...(e.meta?.ilsvrc ? { ilsvrcTop5: e.meta.ilsvrc.top5 } : {}),
  };
}

/** The accuracy a chart plots for a point: its validation figure, or for top-5 its ILSVRC entry when that is all there is. */
export function accuracyOf(p: ModelPoint, metric: AccuracyMetric): { value: number; source: 'validation' | 'ilsvrc' } | undefined {
  const v = p[metric];
  if (v !== undefined) return { value: v, source: 'validation' };
  if (metric === 'top5' && p.ilsvrcTop5 !== undefined) return { value: p.ilsvrcTop5, source: 'ilsvrc' };
  return undefined;
}

/** The models an accuracy chart cannot place: those with no figure for `metric`. */
export function unplaced(points: readonly ModelPoint[], metric: AccuracyMetric = 'top1'): string[] {
  return points.filter((p) => accuracyOf(p, metric) === undefined).map((p) => p.model);
}

/** The metric that places the most models (top-1 when they tie), for charts whose metric nobody chose. */
export function bestMetric(points: readonly ModelPoint[]): AccuracyMetric {
  return unplaced(points, 'top5').length < unplaced(points, 'top1').length ? 'top5' : 'top1';
}
