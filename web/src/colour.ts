/**
 * The sequential colour scale of the graph view. Costs span six orders of magnitude (a ReLU's
 * zero MACs, a 3×3 conv's hundreds of millions), so the scale is logarithmic, and boxes that
 * cost nothing stay neutral grey so the eye goes to the ones that do.
 */

/** Light yellow to dark red, as ColorBrewer's YlOrRd. */
const STOPS: ReadonlyArray<[number, number, number]> = [
  [255, 245, 204],
  [254, 217, 118],
  [253, 141, 60],
  [227, 26, 28],
  [128, 0, 38],
];
export const ZERO_FILL = '#eef0f3';

/**
 * Position of `value` on a log scale from `min` (the smallest positive value drawn) to `max`,
 * in (0, 1]; zero for values that cost nothing. Starting at the smallest cost, not at 1, keeps
 * contrast when every box costs millions.
 */
export function logShare(value: number, min: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  if (!(min > 0) || min >= max) return 1;
  const t = (Math.log(value) - Math.log(min)) / (Math.log(max) - Math.log(min));
  return Math.min(1, Math.max(0.02, t));
}

const hex = (c: number) => Math.round(c).toString(16).padStart(2, '0');

/** Fill colour for a share in [0, 1]; a share of zero means "costs nothing". */
export function fillFor(share: number): string {
  if (!(share > 0)) return ZERO_FILL;
  const t = Math.min(1, share) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t));
  const f = t - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return `#${hex(a[0] + (b[0] - a[0]) * f)}${hex(a[1] + (b[1] - a[1]) * f)}${hex(a[2] + (b[2] - a[2]) * f)}`;
}

/** Black or white text, whichever reads better on `fill` (WCAG relative luminance). */
export function textOn(fill: string): string {
  const c = [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16) / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
  const lum = 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  return lum > 0.25 ? '#1b1b1b' : '#ffffff';
}
