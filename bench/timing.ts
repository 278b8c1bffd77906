/** Timing helpers shared by the benchmark scripts. */

/** Median of a list (upper middle for even lengths, as the published tables use). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Fastest of `runs` timed calls of `f`, in ms: the least disturbed by other work on the machine. */
export function best(f: () => void, runs = 5): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}
