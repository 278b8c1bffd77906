/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through a SplitMix-style mixer) and the
 * shuffles built on it. Same seed, same numbers, on every platform: training runs and their
 * resumption depend on it. The state is four uint32 words that a checkpoint can store.
 */
import { UsageError } from './errors.js';
import { messages } from './messages.js';

const TWO_32 = 4294967296;

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** A 32-bit finalizer (MurmurHash3's fmix32) over a Weyl sequence: spreads nearby seeds apart. */
function mixer(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new UsageError(messages.badSeed(seed));
}

/** Seeded generator. `stream` selects an independent sequence for the same seed (e.g. one per epoch). */
export class Rng {
  private readonly s = new Uint32Array(4);

  constructor(seed: number, stream = 0) {
    checkSeed(seed);
    checkSeed(stream);
    const hi = Math.floor(seed / TWO_32) >>> 0;
    const streamHi = Math.floor(stream / TWO_32) >>> 0;
    const a = mixer(seed >>> 0);
    const b = mixer(hi ^ 0x5bd1e995);
    const c = mixer((stream >>> 0) ^ 0x27d4eb2f);
    const d = mixer(streamHi ^ 0x165667b1);
    for (let i = 0; i < 4; i++) this.s[i] = a() ^ rotl(b(), 7) ^ rotl(c(), 13) ^ rotl(d(), 19);
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** A generator continuing from a saved state (see state()). */
  static fromState(state: readonly number[]): Rng {
    const ok = state.length === 4 && state.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_32) && state.some((w) => w !== 0);
    if (!ok) throw new UsageError(messages.badState(state));
    const rng = new Rng(0);
    rng.s.set(state);
    return rng;
  }

  /** The four state words, to store in a checkpoint. */
  state(): number[] {
    return Array.from(this.s);
  }

  /** Next uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2] = s[2]! ^ s[0]!;
    s[3] = s[3]! ^ s[1]!;
    s[1] = s[1]! ^ s[2];
    s[0] = s[0]! ^ s[3];
    s[2] = s[2] ^ t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_32;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new UsageError(messages.badRange(n));
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** A shuffled copy of `items`; the input is left unchanged. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  return Array.from(permutation(items.length, rng), (i) => items[i]!);
}

/** What an epoch's generator is for; each purpose draws from its own stream. */
export type EpochPurpose = 'order' | 'augment';

/**
 * The generator of one epoch and purpose, a function of (seed, epoch, purpose) alone, so a run
 * resumed at an epoch boundary replays exactly what an uninterrupted run would have drawn.
 */
export function epochRng(seed: number, epoch: number, purpose: EpochPurpose): Rng {
  return new Rng(seed, epoch * 2 + (purpose === 'augment' ? 1 : 0));
}

/** The sample order of one epoch: a permutation drawn from epochRng(seed, epoch, 'order'). */
export function epochPermutation(n: number, seed: number, epoch: number): Uint32Array {
  return permutation(n, epochRng(seed, epoch, 'order'));
}
