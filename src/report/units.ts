/** Human units for tables: 117.6k, 1.8G, 3.1 MiB. JSON and CSV keep exact integers. */
import { formatNumber } from '../core/format.js';
import type { Convention } from '../core/sets.js';

export { bytes, human } from '../core/format.js';

/** Integer with thousands separators, exact for a bigint: 61706 -> "61,706" (without Intl, whose first call costs ~10 ms of start-up). */
export const int = (x: number | bigint): string => formatNumber(x);

/** Shape as the lecture writes it: (28,28,6). */
export const shape = (s: readonly number[]): string => `(${s.join(',')}${s.length === 1 ? ',' : ''})`;

/** Three significant digits, as the lecture's tables print millions and billions: 138, 62.4, 6.8. */
export function sig3(x: number): string {
  if (Math.abs(x) >= 1000) return int(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** A fraction as a percentage with one decimal: 0.921 -> "92.1". */
export const percent = (x: number): string => (x * 100).toFixed(1);

/** How a FLOP convention is named in headers: `lecture`, `hardware` (the `flops` convention) or `MACs`. */
export const conventionName = (c: Convention): string => (c === 'flops' ? 'hardware' : c === 'macs' ? 'MACs' : c);
