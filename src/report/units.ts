/** Human units for tables: 117.6k, 1.8G, 3.1 MiB. JSON and CSV keep exact integers. */
import { formatNumber } from '../ops/formula.js';

/** Decimal SI suffixes: 61,706 -> "61.71k". */
export function human(x: number, digits = 2): string {
  const a = Math.abs(x);
  for (const [limit, suffix] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (a >= limit) return `${trim((x / limit).toFixed(digits))}${suffix}`;
  }
  return Number.isInteger(x) ? String(x) : trim(x.toFixed(digits));
}

/** Binary byte units: 1536 -> "1.5 KiB". */
export function bytes(x: number, digits = 1): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = x;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : trim(v.toFixed(digits))} ${units[i]}`;
}

/** Integer with thousands separators: 61706 -> "61,706" (without Intl, whose first call costs ~10 ms of start-up). */
export const int = (x: number): string => formatNumber(x);

/** Shape as the lecture writes it: (28,28,6). */
export const shape = (s: readonly number[]): string => `(${s.join(',')}${s.length === 1 ? ',' : ''})`;

const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** Three significant digits, as the lecture's tables print millions and billions: 138, 62.4, 6.8. */
export function sig3(x: number): string {
  if (Math.abs(x) >= 1000) return int(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** A fraction as a percentage with one decimal: 0.921 -> "92.1". */
export const percent = (x: number): string => (x * 100).toFixed(1);

/** How a FLOP convention is named in headers: `lecture`, `hardware` (the `flops` convention) or `MACs`. */
export const conventionName = (c: 'lecture' | 'macs' | 'flops'): string => (c === 'flops' ? 'hardware' : c === 'macs' ? 'MACs' : c);
