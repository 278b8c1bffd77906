/**
 * Calibration statistics of one tensor and the three ways of turning them into a quantization
 * range: minmax (the observed extremes), percentile (drop the rarest outliers) and entropy (the
 * clipping threshold whose 8-bit histogram loses least information, measured as KL divergence,
 * the method TensorRT popularised). Browser-safe.
 */

/** Range methods `--method` takes. */
export const CALIBRATION_METHODS = ['minmax', 'percentile', 'entropy'] as const;
/** One of CALIBRATION_METHODS. */
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

/** Histogram bins on each side of zero. */
export const HALF_BINS = 2048;

/** What calibration saw of one tensor. */
export interface TensorStats {
  min: number;
  max: number;
  /** Values seen. */
  count: number;
  /**
   * 2·HALF_BINS bins over [-absMax, absMax] (absMax = max(|min|, |max|) of the first pass), or
   * null before the second pass.
   */
  histogram: Float64Array | null;
  absMax: number;
  /** Values exactly 0 in the second pass (a ReLU's output is mostly these). */
  zeros: number;
}

/** Fresh statistics. */
export const emptyStats = (): TensorStats => ({ min: Infinity, max: -Infinity, count: 0, histogram: null, absMax: 0, zeros: 0 });

/** First pass: extremes. */
export function observeRange(s: TensorStats, data: Float32Array): void {
  let lo = s.min;
  let hi = s.max;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  s.min = lo;
  s.max = hi;
  s.count += data.length;
}

/** Second pass: counts in bins fixed by the first pass's extremes. */
export function observeHistogram(s: TensorStats, data: Float32Array): void {
  if (!s.histogram) {
    s.absMax = Math.max(Math.abs(s.min), Math.abs(s.max));
    s.histogram = new Float64Array(2 * HALF_BINS);
  }
  const h = s.histogram;
  if (s.absMax === 0) {
    h[HALF_BINS]! += data.length;
    return;
  }
  const perUnit = HALF_BINS / s.absMax;
  const top = 2 * HALF_BINS - 1;
  let zeros = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v === 0) zeros++;
    const b = Math.floor(v * perUnit) + HALF_BINS;
    h[b < 0 ? 0 : b > top ? top : b]! += 1;
  }
  s.zeros += zeros;
}

/** A float range to quantize over. */
export interface Range {
  min: number;
  max: number;
}

/** Options of the histogram methods. */
export interface RangeOptions {
  /** Percentile kept by the percentile method (default 99.999). */
  percentile?: number;
}

/** The range a method picks from a tensor's statistics. */
export function chooseRange(s: TensorStats, method: CalibrationMethod, o: RangeOptions = {}): Range {
  if (method === 'minmax' || !s.histogram || s.absMax === 0) return { min: s.min, max: s.max };
  if (method === 'percentile') return percentileRange(s, o.percentile ?? 99.999);
  return entropyRange(s);
}

const binWidth = (s: TensorStats): number => s.absMax / HALF_BINS;

/** The lowest and highest values left after dropping (100 − p)% of the mass at each end. */
function percentileRange(s: TensorStats, p: number): Range {
  const h = s.histogram!;
  const total = h.reduce((a, b) => a + b, 0);
  const cut = (total * (100 - p)) / 100;
  let lo = 0;
  for (let acc = 0; lo < h.length - 1 && acc + h[lo]! <= cut; lo++) acc += h[lo]!;
  let hi = h.length - 1;
  for (let acc = 0; hi > 0 && acc + h[hi]! <= cut; hi--) acc += h[hi]!;
  const w = binWidth(s);
  // Bin edges: the kept range covers whole bins, never beyond what was observed.
  return { min: Math.max(s.min, (lo - HALF_BINS) * w), max: Math.min(s.max, (hi + 1 - HALF_BINS) * w) };
}

/**
 * The threshold T in [0, absMax] whose clipped histogram, squeezed into `levels` buckets, has
 * the smallest KL divergence from the original; the range is the observed one clipped to ±T. A
 * tensor with no negative values has 255 levels on one side; a signed one about 128 a side.
 * Exact zeros are left out: every range represents them exactly, and after a ReLU their spike
 * would swamp the divergence and pull the threshold far into the values that matter.
 */
function entropyRange(s: TensorStats): Range {
  const h = s.histogram!;
  const folded = new Float64Array(HALF_BINS);
  for (let i = 0; i < HALF_BINS; i++) folded[i] = h[HALF_BINS + i]! + h[HALF_BINS - 1 - i]!;
  folded[0]! -= s.zeros;
  const levels = s.min >= 0 ? 255 : 128;
  const t = (klThreshold(folded, levels) * s.absMax) / HALF_BINS;
  return { min: Math.max(s.min, -t), max: Math.min(s.max, t) };
}

/** The number of leading bins (≥ levels) to keep that minimizes KL(P ‖ Q); all bins when fewer than `levels` are used. */
export function klThreshold(hist: Float64Array, levels: number): number {
  const n = hist.length;
  let last = n;
  while (last > 0 && hist[last - 1] === 0) last--;
  if (last <= levels) return Math.max(last, 1);
  let best = last;
  let bestKl = Infinity;
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  // Mass at and beyond each bin: what clipping at that bin folds into the last kept bin.
  const suffix = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + hist[i]!;
  for (let i = levels; i <= last; i++) {
    for (let j = 0; j < i; j++) p[j] = hist[j]!;
    p[i - 1]! += suffix[i]!;
    // Q: the kept bins merged into `levels` buckets, each bucket's mass spread over its non-empty bins.
    for (let k = 0; k < levels; k++) {
      const start = Math.floor((k * i) / levels);
      const end = Math.floor(((k + 1) * i) / levels);
      let mass = 0;
      let nonEmpty = 0;
      for (let j = start; j < end; j++) {
        mass += hist[j]!;
        if (hist[j]! > 0) nonEmpty++;
      }
      for (let j = start; j < end; j++) q[j] = hist[j]! > 0 ? mass / nonEmpty : 0;
    }
    const kl = divergence(p, q, i);
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return best;
}

/** KL(P ‖ Q) over the first n bins, both normalized; a bin where Q is empty but P is not costs as if Q held a tiny mass. */
function divergence(p: Float64Array, q: Float64Array, n: number): number {
  let ps = 0;
  let qs = 0;
  for (let j = 0; j < n; j++) {
    ps += p[j]!;
    qs += q[j]!;
  }
  if (ps === 0 || qs === 0) return Infinity;
  const eps = 1e-10;
  let kl = 0;
  for (let j = 0; j < n; j++) {
    if (p[j] === 0) continue;
    const pj = p[j]! / ps;
    const qj = Math.max(q[j]! / qs, eps);
    kl += pj * Math.log(pj / qj);
  }
  return kl;
}
