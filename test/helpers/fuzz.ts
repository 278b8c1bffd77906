/**
 * Shared pieces of the fuzz tests: seeded byte mutations, and a runner that feeds cases to a worker
 * thread and stops it when one case stays silent past its time limit, naming the case.
 */
import { Worker } from 'node:worker_threads';
import type { Rng } from '../../src/core/random.js';

/** A random integer in [0, n). */
export const int = (rng: Rng, n: number): number => Math.floor(rng.next() * n);

/** One seeded mutation: byte flips, truncation, insertion, a run of 0xff (varint overflow) or a copied slice. */
export function mutate(rng: Rng, src: Uint8Array): { bytes: Uint8Array; what: string } {
  const b = Uint8Array.from(src);
  const at = int(rng, b.length);
  switch (int(rng, 5)) {
    case 0: {
      const n = 1 + int(rng, 8);
      for (let k = 0; k < n; k++) b[int(rng, b.length)] = int(rng, 256);
      return { bytes: b, what: `${n} random byte(s)` };
    }
    case 1:
      return { bytes: b.subarray(0, at), what: `truncated at ${at}` };
    case 2: {
      const extra = Uint8Array.from({ length: 1 + int(rng, 16) }, () => int(rng, 256));
      const out = new Uint8Array(b.length + extra.length);
      out.set(b.subarray(0, at));
      out.set(extra, at);
      out.set(b.subarray(at), at + extra.length);
      return { bytes: out, what: `${extra.length} byte(s) inserted at ${at}` };
    }
    case 3: {
      const n = 1 + int(rng, 10);
      b.fill(0xff, at, at + n);
      return { bytes: b, what: `${n} × 0xff at ${at}` };
    }
    default: {
      const len = 1 + int(rng, 64);
      const from = int(rng, b.length);
      b.copyWithin(at, from, from + len);
      return { bytes: b, what: `${len} byte(s) copied from ${from} to ${at}` };
    }
  }
}

/** Runs `cases` in the worker at `url`; a case silent for `hangMs` stops the worker and fails, naming it. */
export function runInWorker<C extends { label: string }, O>(url: URL, cases: C[], hangMs: number): Promise<O[]> {
  const worker = new Worker(url);
  const outcomes: O[] = [];
  return new Promise((resolve, reject) => {
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`fuzz case ${current} (${cases[current]?.label}) has not finished after ${hangMs} ms: the reader hangs on it`));
      }, hangMs);
    };
    worker.on('message', (msg: O | { started: number } | { done: true }) => {
      if (typeof msg === 'object' && msg !== null && 'started' in msg) {
        current = msg.started;
        arm();
      } else if (typeof msg === 'object' && msg !== null && 'done' in msg) {
        clearTimeout(timer);
        void worker.terminate();
        resolve(outcomes);
      } else {
        outcomes.push(msg as O);
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    arm();
    worker.postMessage(cases);
  });
}
