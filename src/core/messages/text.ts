/** Helpers every part of the message catalogue shares. */
import { formatNumber } from '../format.js';

/** A value as a message quotes it: JSON, or `nothing` for undefined. */
export const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** An integer with thousands separators: 60,000. */
export const num = (x: number): string => formatNumber(x);

/** How a message writes an option: the library by its key (`lr`), the command line as a flag (`--lr`). */
export type Spell = (option: string) => string;

/** The library's spelling: an option's own key. */
export const asKey: Spell = (option) => option;
