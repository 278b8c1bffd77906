/** The page's slicer: it runs steps to the end, gives other tasks the turn between slices, and stops a computation nobody wants. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Steps } from '../../src/core/steps.js';
import { sliced } from '../../web/src/slices.js';

/** `n` steps of about `ms` each; `closed` turns true when the generator is stopped or finished. */
function busySteps(n: number, ms: number, state: { closed: boolean; done: number }): Steps<number> {
  return (function* () {
    try {
      for (let i = 0; i < n; i++) {
        const until = performance.now() + ms;
        while (performance.now() < until);
        state.done++;
        yield;
      }
      return n;
    } finally {
      state.closed = true;
    }
  })();
}

describe('sliced', () => {
  test('a computation within one slice finishes before any other task runs', async () => {
    let other = false;
    setTimeout(() => (other = true), 0);
    const state = { closed: false, done: 0 };
    const value = await sliced(busySteps(5, 0, state), { stale: () => false, sliceMs: 1000 });
    assert.equal(value, 5);
    assert.equal(other, false);
  });

  test('a long one gives other tasks the turn between slices, saying so before each', async () => {
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    let pauses = 0;
    const state = { closed: false, done: 0 };
    const value = await sliced(busySteps(100, 1, state), { stale: () => false, onPause: () => pauses++, sliceMs: 5 });
    running = false;
    assert.equal(value, 100);
    assert.ok(pauses >= 3, `${pauses} pauses`);
    assert.ok(ticks >= 2, `other tasks ran ${ticks} times`);
  });

  test('a stale computation resolves null and is stopped where it was', async () => {
    const state = { closed: false, done: 0 };
    let asked = 0;
    const value = await sliced(busySteps(1000, 1, state), { stale: () => ++asked >= 2, sliceMs: 5 });
    assert.equal(value, null);
    assert.equal(state.closed, true);
    assert.ok(state.done < 1000, `${state.done} steps run`);
  });
});
