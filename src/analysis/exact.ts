/**
 * Counts past 2^53. Per-layer figures and totals are doubles, which hold every integer only up to
 * 2^53 (about 9·10^15): VGG16 on a 1,000,001² input does more MACs than that. Wherever a count
 * passes it, the exact integer rides along as a bigint, from the formula that produced it or from
 * an exact sum, and reports print and write that one.
 */

/** The counts a layer, a block or a model carries. */
export const COUNT_KEYS = ['params', 'trainableParams', 'nonTrainableParams', 'macs', 'flops', 'trainingFlops', 'activationBytes'] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

/** Exact values of the counts that passed 2^53. */
export type ExactCounts = Partial<Record<CountKey, bigint>>;

/** Something with counts, and their exact values where doubles fall short. */
export type Counted = Record<CountKey, number> & { exact?: ExactCounts };

/** The exact value of one count: the bigint when there is one, else the number. */
export const countOf = (r: Counted, k: CountKey): number | bigint => r.exact?.[k] ?? r[k];

/** A count as a bigint; a double is rounded, as the fractions a count can have come only from rounding. */
export const big = (x: number | bigint): bigint => (typeof x === 'bigint' ? x : BigInt(Math.round(x)));

/** Sums of counts over rows, with exact sums for those that pass 2^53 or add exact parts. */
export function sumCounts(rows: readonly Counted[]): Record<CountKey, number> & { exact?: ExactCounts } {
  const out = {} as Record<CountKey, number> & { exact?: ExactCounts };
  const exact: ExactCounts = {};
  for (const k of COUNT_KEYS) {
    let s = 0;
    let needsExact = false;
    for (const r of rows) {
      s += r[k];
      if (r.exact?.[k] !== undefined) needsExact = true;
    }
    out[k] = s;
    if (needsExact || !Number.isSafeInteger(s)) exact[k] = rows.reduce((t, r) => t + big(countOf(r, k)), 0n);
  }
  if (Object.keys(exact).length > 0) out.exact = exact;
  return out;
}

/** The counts of a row with the exact values laid over them, as JSON writes them. */
export function exactCounts(r: Counted): Record<CountKey, number | bigint> {
  const out = {} as Record<CountKey, number | bigint>;
  for (const k of COUNT_KEYS) out[k] = countOf(r, k);
  return out;
}
