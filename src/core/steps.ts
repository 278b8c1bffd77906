/**
 * Long computations cut into steps: a generator that yields between units of work (a node
 * resolved, a layer analysed), so a caller with a deadline, such as a web page that must keep
 * answering clicks, can pause between them. Callers without one run it through at once.
 */

/** A computation that yields between units of work and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once and returns the result. */
export function complete<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
