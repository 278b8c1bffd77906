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
  return runBatch<C, O>(url, cases, hangMs, 0).then((r) => {
    if (r.hung !== undefined) throw new Error(`fuzz case ${r.hung} (${cases[r.hung]?.label}) has not finished after ${hangMs} ms: the reader hangs on it`);
    return r.outcomes;
  });
}

/**
 * Runs every case, each under `hangMs`: a case that hangs is recorded, its worker stopped, and a
 * fresh worker takes the cases after it. Returns the outcomes and the indices of the cases that hung.
 */
export async function runAll<C extends { label: string }, O>(url: URL, cases: C[], hangMs: number): Promise<{ outcomes: O[]; hung: number[] }> {
  const outcomes: O[] = [];
  const hung: number[] = [];
  for (let from = 0; from < cases.length; ) {
    const r = await runBatch<C, O>(url, cases.slice(from), hangMs, from);
    outcomes.push(...r.outcomes);
    if (r.hung === undefined) break;
    hung.push(r.hung);
    from = r.hung + 1;
  }
  return { outcomes, hung };
}

/** One worker over `cases` (numbered from `offset`) until they finish or one hangs. */
function runBatch<C extends { label: string }, O>(url: URL, cases: C[], hangMs: number, offset: number): Promise<{ outcomes: O[]; hung?: number }> {
  const worker = new Worker(url);
  const outcomes: O[] = [];
  return new Promise((resolve, reject) => {
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        resolve({ outcomes, hung: offset + Math.max(current, 0) });
      }, hangMs);
    };
    worker.on('message', (msg: O | { started: number } | { done: true }) => {
      if (typeof msg === 'object' && msg !== null && 'started' in msg) {
        current = msg.started;
        arm();
      } else if (typeof msg === 'object' && msg !== null && 'done' in msg) {
        clearTimeout(timer);
        void worker.terminate();
        resolve({ outcomes });
      } else {
        const o = msg as O & { index?: number };
        outcomes.push(typeof o.index === 'number' ? { ...o, index: o.index + offset } : o);
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
