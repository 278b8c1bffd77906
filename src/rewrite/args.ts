/** Readers of the text after `--move NAME=`, shared by the moves. */
import type { MoveArg } from './types.js';
import { RefusedError } from './refused.js';
import { messages } from '../core/messages.js';

/** The schema of a move without an argument. */
export const NO_ARG: MoveArg = { kind: 'none' };

/** Refuses any value for a move that takes none. */
export function noArg(move: string): (text: string | undefined) => undefined {
  return (text) => {
    if (text !== undefined) throw new RefusedError(move, messages.argUnexpected(move, text));
    return undefined;
  };
}

/** A number argument in (min, max] or [min, max]. */
export function numberArg(move: string, arg: MoveArg & { kind: 'number' }): (text: string | undefined) => number {
  return (text) => {
    if (text === undefined) throw new RefusedError(move, messages.argMissing(move, arg.example));
    const x = Number(text);
    const range = `in ${arg.openMin ? '(' : '['}${arg.min}, ${arg.max}]`;
    const inRange = arg.openMin ? x > arg.min : x >= arg.min;
    if (text.trim() === '' || !Number.isFinite(x) || !inRange || x > arg.max) {
      throw new RefusedError(move, messages.argNumber(move, range, text));
    }
    return x;
  };
}
