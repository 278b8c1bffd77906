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

/** WCAG relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
}

/** WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/**
 * Black or white text, whichever contrasts more with `fill`. Pure black and white keep every
 * fill at 4.58:1 or better (WCAG AA for small text is 4.5:1).
 */
export function textOn(fill: string): string {
  return contrast(fill, '#000000') >= contrast(fill, '#ffffff') ? '#000000' : '#ffffff';
}
