/** Element counts of shapes: one definition for ops, importers, runtimes and data readers. */

/** Number of elements of a shape or dims list; 1 for a scalar (`[]`). */
export const numel = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
