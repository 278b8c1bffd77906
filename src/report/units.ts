/** Human units for tables: 117.6k, 1.8G, 3.1 MiB. JSON and CSV keep exact integers. */

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

/** Integer with thousands separators. */
export const int = (x: number): string => x.toLocaleString('en-US');

/** Shape as the lecture writes it: (28,28,6). */
export const shape = (s: readonly number[]): string => `(${s.join(',')}${s.length === 1 ? ',' : ''})`;

const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
