/** The evaluation chart: confusion matrix as a heat map beside per-class accuracy bars (vega-lite). */
import { CONFIG, SCHEMA } from './chart_style.js';

/** Evaluation of a classifier on a labelled set. */
export interface Evaluation {
  count: number;
  top1: number;
  top5: number;
  /** confusion[true][predicted] = count. */
  confusion: number[][];
  /** Accuracy of each true class (NaN where the class has no samples). */
  perClass: number[];
}

/**
 * The per-class accuracy axis, zoomed to the classes: from a round step below the worst class to
 * 100%, so a spread of a few points is visible; from 0 when some class is below half.
 */
export function accuracyDomain(perClass: readonly number[]): [number, number] {
  const known = perClass.filter((a) => !Number.isNaN(a));
  const worst = known.length ? Math.min(...known) : 0;
  if (worst < 0.5) return [0, 1];
  const step = worst >= 0.9 ? 0.02 : worst >= 0.7 ? 0.05 : 0.1;
  return [Math.max(0, Number((Math.floor((worst - step / 2) / step) * step).toFixed(2))), 1];
}

/** A vega-lite spec of an evaluation; `title` heads the chart. */
export function evaluationChart(ev: Evaluation, classes: string[], title: string): Record<string, unknown> {
  const cells = ev.confusion.flatMap((row, t) => row.map((count, p) => ({ true: classes[t], predicted: classes[p], count, share: count / Math.max(1, row.reduce((a, b) => a + b, 0)) })));
  const bars = ev.perClass.map((acc, c) => ({ class: classes[c], accuracy: Number.isNaN(acc) ? null : acc }));
  const order = [...classes];
  const domain = accuracyDomain(ev.perClass);
  const span = domain[1] - domain[0];
  const step = span <= 0.12 ? 0.02 : span <= 0.3 ? 0.05 : 0.25;
  const ticks = Array.from({ length: Math.round(span / step) + 1 }, (_, i) => Number((domain[0] + i * step).toFixed(2)));
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: title, subtitle: `top-1 ${(ev.top1 * 100).toFixed(2)}%, top-5 ${(ev.top5 * 100).toFixed(2)}%, ${ev.count} samples; dashed: overall top-1` },
    hconcat: [
      {
        title: 'confusion matrix',
        data: { values: cells },
        width: 320,
        height: 320,
        encoding: {
          x: { field: 'predicted', type: 'ordinal', sort: order, title: 'predicted class' },
          y: { field: 'true', type: 'ordinal', sort: order, title: 'true class' },
        },
        layer: [
          { mark: 'rect', encoding: { color: { field: 'share', type: 'quantitative', title: 'share of row', scale: { scheme: 'blues' } } } },
          {
            mark: { type: 'text', fontSize: 9 },
            encoding: {
              text: { field: 'count', type: 'quantitative' },
              color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' },
            },
          },
        ],
      },
      {
        title: 'accuracy per class',
        data: { values: bars },
        width: 220,
        height: 320,
        layer: [
          {
            mark: { type: 'bar', clip: true, color: '#4c78a8' },
            encoding: {
              y: { field: 'class', type: 'ordinal', sort: order, title: null },
              x: {
                field: 'accuracy', type: 'quantitative', title: domain[0] > 0 ? `accuracy (axis from ${Math.round(domain[0] * 100)}%)` : 'accuracy',
                axis: { format: '~%', values: ticks, labelOverlap: false, labelFlush: false }, scale: { domain, nice: false, zero: false },
              },
            },
          },
          {
            mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] },
            encoding: { x: { datum: ev.top1, type: 'quantitative' } },
          },
        ],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
