/**
 * Checks of the options a family adds to the common ones (alpha, depthMultiplier, dropout, ...),
 * run before any node is built so a bad option fails with its name, the allowed values and what
 * was received, never deep inside shape inference.
 */
import { UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { ModelOptions } from './registry.js';

/** Options every family reads through kerasOptions. */
const COMMON = ['classes', 'includeTop', 'input', 'pooling'] as const;

/** Refuses options the family does not read, so `--alpha` on a ResNet is an error, not a no-op. */
export function rejectUnknownOptions(model: string, o: ModelOptions, own: readonly string[]): void {
  const allowed = [...COMMON, ...own];
  for (const [key, value] of Object.entries(o)) {
    if (value === undefined || allowed.includes(key)) continue;
    throw new UsageError(messages.modelOption(model, key, `one of the options this model reads (${allowed.join(', ')})`, value));
  }
}

/** A positive number option, with its default. */
export function positiveOption(model: string, o: ModelOptions, key: string, fallback: number, note = ''): number {
  const value = o[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(messages.modelOption(model, key, `a positive number${note}`, value));
  }
  return value;
}

/** A positive integer option, with its default. */
export function positiveIntOption(model: string, o: ModelOptions, key: string, fallback: number): number {
  const value = o[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new UsageError(messages.modelOption(model, key, 'a positive integer', value));
  }
  return value;
}

/** A rate in [0, 1), such as a dropout rate, with its default. */
export function rateOption(model: string, o: ModelOptions, key: string, fallback: number): number {
  const value = o[key] ?? fallback;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new UsageError(messages.modelOption(model, key, 'a number in [0, 1)', value));
  }
  return value;
}

/** A boolean option, with its default. */
export function boolOption(model: string, o: ModelOptions, key: string, fallback: boolean): boolean {
  const value = o[key] ?? fallback;
  if (typeof value !== 'boolean') throw new UsageError(messages.modelOption(model, key, 'true or false', value));
  return value;
}
