/** The evaluation chart: confusion matrix as a heat map beside per-class accuracy bars (vega-lite). */

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


/** A vega-lite spec of an evaluation; `title` heads the chart. */
export function evaluationChart(ev: Evaluation, classes: string[], title: string): Record<string, unknown> {
  const cells = ev.confusion.flatMap((row, t) => row.map((count, p) => ({ true: classes[t], predicted: classes[p], count, share: count / Math.max(1, row.reduce((a, b) => a + b, 0)) })));
  const bars = ev.perClass.map((acc, c) => ({ class: classes[c], accuracy: Number.isNaN(acc) ? null : acc }));
  const order = [...classes];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: `top-1 ${(ev.top1 * 100).toFixed(2)}%, top-5 ${(ev.top5 * 100).toFixed(2)}%, ${ev.count} samples` },
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
        mark: 'bar',
        encoding: {
          y: { field: 'class', type: 'ordinal', sort: order, title: null },
          x: { field: 'accuracy', type: 'quantitative', axis: { format: '%' }, scale: { domain: [0, 1] } },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
