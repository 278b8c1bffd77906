/**
 * How data-parallel training divides its work, kept free of tfjs so the command line can read
 * the defaults without loading an engine.
 */
import { availableParallelism } from 'node:os';

/** The default worker count: the cores of this machine, at most 8 (beyond that a batch of 64 splits into slices too small to pay). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Bounds of `parts` near-equal slices of `count` samples, earlier slices taking the remainder: parts + 1 offsets. */
export function sliceBounds(count: number, parts: number): number[] {
  const base = Math.floor(count / parts);
  const extra = count % parts;
  const bounds = [0];
  for (let k = 0; k < parts; k++) bounds.push(bounds[k]! + base + (k < extra ? 1 : 0));
  return bounds;
}
