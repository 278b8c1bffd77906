/** How closely two models' class scores agree on the same samples: a quantized model against its float original. */
import { argmaxRows } from '../../tfjs/metrics.js';

/** Agreement of two score matrices [count, classes]. */
export interface Agreement {
  count: number;
  /** Share of samples whose top-1 class is the same in both. */
  top1: number;
  /** Largest and mean absolute difference of any output value. */
  maxAbsDiff: number;
  meanAbsDiff: number;
}

/** Compares scores `a` with reference scores `b`, sample by sample. */
export function agreement(a: Float32Array, b: Float32Array, classes: number): Agreement {
  const pa = argmaxRows(a, classes);
  const pb = argmaxRows(b, classes);
  let same = 0;
  for (let i = 0; i < pa.length; i++) if (pa[i] === pb[i]) same++;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > max) max = d;
    sum += d;
  }
  return { count: pa.length, top1: pa.length === 0 ? 0 : same / pa.length, maxAbsDiff: max, meanAbsDiff: a.length === 0 ? 0 : sum / a.length };
}
