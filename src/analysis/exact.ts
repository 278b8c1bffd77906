/**
 * Counts past 2^53. Per-layer figures and totals are doubles, which hold every integer only up to
 * 2^53 (about 9·10^15): VGG16 on a 1,000,001² input does more MACs than that. Wherever a count
 * passes it, the exact integer rides along as a bigint, from the formula that produced it or from
 * an exact sum, and reports print and write that one.
 */
import { complete, type Steps } from '../core/steps.js';

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
  return complete(sumCountsSteps(rows));
}

/** Rows summed per step: a step per row would cost more than the sum itself for the many callers that run it at once. */
const ROWS_PER_STEP = 1024;

/** sumCounts cut into steps of ROWS_PER_STEP rows. Each count adds the rows in order, as a plain loop would. */
export function* sumCountsSteps(rows: readonly Counted[]): Steps<Record<CountKey, number> & { exact?: ExactCounts }> {
  const out = {} as Record<CountKey, number> & { exact?: ExactCounts };
  for (const k of COUNT_KEYS) out[k] = 0;
  const inexact = new Set<CountKey>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    for (const k of COUNT_KEYS) {
      out[k] += r[k];
      if (r.exact?.[k] !== undefined) inexact.add(k);
    }
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
  for (const k of COUNT_KEYS) if (!Number.isSafeInteger(out[k])) inexact.add(k);
  if (inexact.size === 0) return out;
  const exact: ExactCounts = {};
  for (const k of COUNT_KEYS) if (inexact.has(k)) exact[k] = 0n;
  for (let i = 0; i < rows.length; i++) {
    for (const k of inexact) exact[k]! += big(countOf(rows[i]!, k));
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
  out.exact = exact;
  return out;
}

/** The counts of a row with the exact values laid over them, as JSON writes them. */
export function exactCounts(r: Counted): Record<CountKey, number | bigint> {
  const out = {} as Record<CountKey, number | bigint>;
  for (const k of COUNT_KEYS) out[k] = countOf(r, k);
  return out;
}
