/**
 * Keras initializers from an op's WeightSpec, seeded per weight so a run is reproducible. Each
 * samples as current Keras does; he_normal is a normal truncated at two standard deviations and
 * rescaled (÷0.8796) so the kept samples have variance 2/fan_in, as Keras 3 draws it.
 */
import * as tf from '@tensorflow/tfjs';
import type { WeightSpec } from '../../ops/types.js';

type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** Standard deviation of a unit normal truncated at ±2, the correction Keras applies. */
const TRUNCATED_STD = 0.87962566103423978;

/** A 31-bit seed from the run seed and a weight's full name (FNV-1a), stable across runs. */
export function weightSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const mix = `${Math.floor(seed / 2 ** 32)}:${name}`;
  for (let i = 0; i < mix.length; i++) h = Math.imul(h ^ mix.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 0x7fffffff;
}

/** The tfjs initializer for one WeightSpec. */
function initializerFor(w: WeightSpec, seed: number): Initializer {
  switch (w.init) {
    case 'zeros':
      return tf.initializers.zeros();
    case 'ones':
      return tf.initializers.ones();
    case 'constant':
      return tf.initializers.zeros();
    case 'glorot_uniform':
      return tf.initializers.glorotUniform({ seed });
    case 'he_uniform':
      return tf.initializers.heUniform({ seed });
    case 'he_normal':
      // tfjs' 'normal' distribution is already truncated; the scale carries Keras' correction.
      return tf.initializers.varianceScaling({ scale: 2 / TRUNCATED_STD ** 2, mode: 'fanIn', distribution: 'normal', seed });
  }
}

/** Initializers of a node's weights by Keras name (kernel, bias, gamma, ...). */
export function nodeInitializers(node: string, weights: WeightSpec[], seed: number): Record<string, Initializer> {
  const out: Record<string, Initializer> = {};
  for (const w of weights) out[w.name] = initializerFor(w, weightSeed(seed, `${node}/${w.name}`));
  return out;
}
