/**
 * Runs the library's step-by-step computations (src/core/steps.ts) on the page's main thread in
 * slices of a few tens of milliseconds, giving the browser the turn between slices: a click, a
 * key or a frame never waits behind a whole analysis of a large graph. A computation that fits
 * in one slice finishes in the task that started it, as a plain call would.
 */
import type { Steps } from '../../src/core/steps.js';

/** Work per slice: one frame at 60 Hz, well under the 50 ms the browser counts as a long task. */
export const SLICE_MS = 16;

/** Most steps run between two readings of the clock. */
const MAX_STRIDE = 16;
/** Time within which the steps since the last reading count as quick, so the next reading may wait for more of them. */
const QUICK_MS = 0.25;

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
  let last = performance.now();
  // Steps between readings of the clock: reading it every step would cost more than a small step
  // does, but a run of heavy steps read seldom would overrun the slice. So the stride doubles
  // while steps are quick and falls back to one as soon as they are not.
  let stride = 1;
  let left = 1;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (--left > 0) continue;
    const now = performance.now();
    stride = now - last < QUICK_MS ? Math.min(stride * 2, MAX_STRIDE) : 1;
    last = now;
    left = stride;
    if (now > until) {
      o.onPause?.();
      await pause();
      if (o.stale()) {
        steps.return(undefined as never);
        return null;
      }
      last = performance.now();
      until = last + sliceMs;
    }
  }
}
