/** The error of a move that does not apply. */
import { ConvlabError } from '../core/errors.js';

/** A move that does not apply: the CLI prints the message on one line and exits 2. */
export class RefusedError extends ConvlabError {
  readonly move: string;
  constructor(move: string, message: string, node?: string) {
    super('usage', message, node !== undefined ? { node } : {});
    this.name = 'RefusedError';
    this.move = move;
  }
}
