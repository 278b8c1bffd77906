/**
 * Sweeps: how MACs and parameters (and published accuracy, where every point has one) move along
 * a sweep, MobileNet's width α or resolution ρ, EfficientNet's compound φ. Each panel places its
 * value labels beside their points so that none overlaps another or a point (labels.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, logTicks, SCHEMA, textWidth, wrap } from './chart_style.js';
import { placeLabels, type Align } from './labels.js';

/** One point of a sweep: a model rebuilt with one option value, or one member of a family. */
export interface SweepPoint {
  /** What varies, as shown on the axis: `α=0.5`, `224×224`, `efficientnet_b3`. */
  label: string;
  macs: number;
  params: number;
  top1?: number;
}

const PANEL = { width: 260, height: 200, fontSize: 10, radius: 5 };

/** A round upper bound for an axis from zero: a power of ten times 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8. */
function niceMax(x: number): number {
  const step = 10 ** Math.floor(Math.log10(x));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * step).find((v) => v >= x)!;
}

/** The least space between two level axis labels, in pixels; closer, they are slanted. */
const LABEL_GAP = 8;

/** Above this ratio of largest to smallest value a count is drawn on a log axis, where the small points stay readable. */
const LOG_ABOVE = 20;

/** One panel: the line, its points, and each value labelled where it fits; on a log axis (`log`), from a little below the smallest value. */
function panel(values: number[], o: { title: string; colour: string; digits: (v: number) => string; zero: boolean; log?: boolean; axis: object }) {
  const { width, height, fontSize, radius } = PANEL;
  const n = values.length;
  const min = Math.min(...values);
  const max = Math.max(...values);
  // On a log axis, room above the highest point for its label, as the linear axes leave.
  const [lo, hi] = o.log
    ? [min / 10 ** 0.15, max * 10 ** 0.3]
    : o.zero
      ? [0, niceMax(max * 1.12)]
      : [Math.floor(min - Math.max(0.5, (max - min) * 0.1)), Math.ceil(max + Math.max(0.5, (max - min) * 0.1))];
  // Positions along the value axis as a fraction of its height, and back: linear, or linear in the logarithm.
  const t = (v: number) => (o.log ? Math.log10(v / lo) / Math.log10(hi / lo) : (v - lo) / (hi - lo));
  const fromT = (f: number) => (o.log ? lo * (hi / lo) ** f : lo + f * (hi - lo));
  const px = (i: number) => (width * (i + 1)) / (n + 1);
  const py = (v: number) => height * (1 - t(v));
  const targets = values.map((v, i) => ({ x: px(i), y: py(v), r: radius, text: o.digits(v) }));
  // Later points sit higher on a rising curve and crowd less; the first ones get their sides first.
  const placements = placeLabels(targets, { width, height, fontSize, above: true });
  const toData = (x: number, y: number) => ({ index: (x / width) * (n + 1) - 1, value: fromT(1 - y / height) });
  const labels = targets.flatMap((t, i) => {
    const p = placements[i];
    return p ? [{ ...toData(t.x + p.dx, t.y + p.dy), text: t.text, align: p.align }] : [];
  });
  const leaders = targets.flatMap((t, i) => {
    const p = placements[i];
    if (!p?.leader) return [];
    const d = Math.hypot(p.dx, p.dy);
    const to = toData(t.x + p.dx * 0.9, t.y + p.dy * 0.9);
    return [{ ...toData(t.x + (p.dx / d) * t.r, t.y + (p.dy / d) * t.r), index2: to.index, value2: to.value }];
  });
  const data = values.map((v, i) => ({ index: i, value: v }));
  const x = { field: 'index', type: 'quantitative' as const, scale: { domain: [-1, n], nice: false }, axis: o.axis };
  const y = {
    field: 'value', type: 'quantitative' as const, title: o.log ? `${o.title}, log scale` : o.title,
    scale: { type: o.log ? ('log' as const) : ('linear' as const), domain: [lo, hi], nice: false, ...(o.log ? {} : { zero: false }) },
    ...(o.log ? { axis: { values: logTicks([lo, hi]), format: '~g' } } : {}),
  };
  const text = (align: Align) => ({
    data: { values: labels.filter((l) => l.align === align) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize, color: '#222' },
    encoding: { x, y, text: { field: 'text', type: 'nominal' as const } },
  });
  return {
    width,
    height,
    layer: [
      { data: { values: leaders }, mark: { type: 'rule' as const, color: '#999', strokeWidth: 0.8 }, encoding: { x, y, x2: { field: 'index2' }, y2: { field: 'value2' } } },
      { data: { values: data }, mark: { type: 'line' as const, point: { size: Math.PI * radius * radius, filled: true, color: o.colour }, color: o.colour }, encoding: { x, y } },
      text('left'), text('right'), text('center'),
    ],
  };
}

/** Three significant digits without trailing zeros: 0.386, 4.39, 37.7. */
const sig = (v: number) => String(Number(v.toPrecision(3)));

/** The sweep chart: MACs, parameters and (when every point has one) published top-1 against the swept value. */
export function sweepChart(points: SweepPoint[], o: { title: string; axis: string }): TopLevelSpec {
  const macsUnit = Math.max(...points.map((p) => p.macs)) >= 1e9 ? { div: 1e9, name: 'billions' } : { div: 1e6, name: 'millions' };
  const paramsUnit = Math.max(...points.map((p) => p.params)) >= 1e6 ? { div: 1e6, name: 'millions' } : { div: 1e3, name: 'thousands' };
  const labels = points.map((p) => p.label);
  const axis = {
    title: o.axis, values: labels.map((_, i) => i), grid: false, labelOverlap: false,
    // Slanted when level labels would touch (vega would hide every other one).
    labelExpr: `${JSON.stringify(labels)}[datum.value]`,
    labelAngle: Math.max(...labels.map((l) => textWidth(l, CONFIG.axis.labelFontSize))) + LABEL_GAP > PANEL.width / (labels.length + 1) ? -30 : 0,
  };
  const withAccuracy = points.length > 0 && points.every((p) => p.top1 !== undefined);
  // Both counts on one kind of axis, so their curves compare: log when either spans a wide range.
  const spans = (xs: number[]) => Math.max(...xs) / Math.min(...xs) > LOG_ABOVE;
  const log = spans(points.map((p) => p.macs)) || spans(points.map((p) => p.params));
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: o.title, subtitle: wrap(`Each point rebuilds and re-analyses the model${withAccuracy ? '; accuracy is the published top-1' : ''}.`, 3 * PANEL.width) },
    hconcat: [
      panel(points.map((p) => p.macs / macsUnit.div), { title: `MACs (${macsUnit.name})`, colour: '#4c78a8', digits: sig, zero: true, log, axis }),
      panel(points.map((p) => p.params / paramsUnit.div), { title: `Parameters (${paramsUnit.name})`, colour: '#f58518', digits: sig, zero: true, log, axis }),
      ...(withAccuracy ? [panel(points.map((p) => p.top1! * 100), { title: 'ImageNet top-1 accuracy (%)', colour: '#54a24b', digits: (v) => v.toFixed(1), zero: false, axis })] : []),
    ],
    spacing: 24,
  };
}
