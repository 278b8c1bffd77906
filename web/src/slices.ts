/**
 * Runs the library's step-by-step computations (src/core/steps.ts) on the page's main thread in
 * slices of a few tens of milliseconds, giving the browser the turn between slices: a click, a
 * key or a frame never waits behind a whole analysis of a large graph. A computation that fits
 * in one slice finishes in the task that started it, as a plain call would.
 */
import type { Steps } from '../../src/core/steps.js';

/** Work per slice: one frame at 60 Hz, well under the 50 ms the browser counts as a long task. */
export const SLICE_MS = 16;

/**
 * Gives the browser the turn: a message to itself queues behind whatever waits (input, a frame,
 * a timer), unlike scheduler.yield, which resumes ahead of timers, and unlike nested timers it is
 * not clamped to 4 ms.
 */
function pause(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Runs `steps` to the end in slices of `sliceMs`, calling `onPause` before each turn given to the
 * browser; resolves null, and stops the computation, when `stale()` says between slices that
 * nobody wants the result any more.
 */
export async function sliced<T>(steps: Steps<T>, o: { stale: () => boolean; onPause?: () => void; sliceMs?: number }): Promise<T | null> {
  const sliceMs = o.sliceMs ?? SLICE_MS;
  let until = performance.now() + sliceMs;
  for (let i = 0; ; i++) {
    const r = steps.next();
    if (r.done) return r.value;
    // Reading the clock every step would cost more than a small step does.
    if ((i & 15) === 0 && performance.now() > until) {
      o.onPause?.();
      await pause();
      if (o.stale()) {
        steps.return(undefined as never);
        return null;
      }
      until = performance.now() + sliceMs;
    }
  }
}
