/** Numbers as people read them, shared by formulas, reports and messages: 61,706 and 1.5 KiB. */

/** Integer with thousands separators, exact at any size for a bigint; non-integers keep up to 4 significant decimals. */
export function formatNumber(x: number | bigint): string {
  if (typeof x === 'bigint') return groupThousands((x < 0n ? -x : x).toString(), x < 0n);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return String(x);
  if (Number.isInteger(x)) return groupThousands(String(Math.abs(x)), x < 0);
  const [whole, frac] = String(Number(x.toFixed(4))).split('.');
  const w = groupThousands(whole!.replace('-', ''), x < 0);
  return frac ? `${w}.${frac}` : w;
}

// Hand-rolled because Intl formatting dominates analysis time on graphs of thousands of layers.
function groupThousands(digits: string, negative: boolean): string {
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) out = digits.slice(Math.max(0, i - 3), i) + (out ? `,${out}` : '');
  return negative ? `-${out}` : out;
}

/** Decimal SI suffixes through exa: 61,706 -> "61.71k", 3.1e17 -> "310P". */
export function human(n: number | bigint, digits = 2): string {
  const x = Number(n);
  const a = Math.abs(x);
  for (const [limit, suffix] of [[1e18, 'E'], [1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (a >= limit) return `${trim((x / limit).toFixed(digits))}${suffix}`;
  }
  return Number.isInteger(x) ? String(x) : trim(x.toFixed(digits));
}

/** Binary byte units through EiB: 1536 -> "1.5 KiB". */
export function bytes(x: number | bigint, digits = 1): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = Number(x);
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : trim(v.toFixed(digits))} ${units[i]}`;
}

const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
