/**
 * Formulas that carry their own value. An op builds a metric as an expression of named
 * factors; the value, the symbolic form (`hout·wout·K·fh·fw·cin`) and the substituted form
 * (`28·28·6·5·5·1 = 117,600`) all come from that one expression, so the number shown by
 * `--explain` can never drift from the number reported.
 */

import { formatNumber } from '../core/format.js';

export type Expr =
  | { kind: 'var'; name: string; value: number }
  | { kind: 'num'; value: number }
  | { kind: 'mul'; terms: Expr[] }
  | { kind: 'add'; terms: Expr[] }
  | { kind: 'div'; num: Expr; den: Expr };

/** A named factor, e.g. `v('hout', 28)`. */
export const v = (name: string, value: number): Expr => ({ kind: 'var', name, value });
/** A literal constant, e.g. the `2` in `2·MACs`. */
export const n = (value: number): Expr => ({ kind: 'num', value });
/** Product of terms. */
export const mul = (...terms: Expr[]): Expr => ({ kind: 'mul', terms });
/** Sum of terms. */
export const add = (...terms: Expr[]): Expr => ({ kind: 'add', terms });
/** Quotient. */
export const div = (num: Expr, den: Expr): Expr => ({ kind: 'div', num, den });
/** The zero expression, for ops that cost nothing under a convention. */
export const zero: Expr = { kind: 'num', value: 0 };

/**
 * Evaluates an expression exactly, in integers of any size: undefined when a leaf is not an
 * integer or a division leaves a remainder. Counts past 2^53 (MACs of a gigapixel input) lose
 * their last digits as doubles; this is the exact figure behind them.
 */
export function evaluateExact(e: Expr): bigint | undefined {
  switch (e.kind) {
    case 'var':
    case 'num':
      return Number.isInteger(e.value) ? BigInt(e.value) : undefined;
    case 'mul':
    case 'add': {
      let acc = e.kind === 'mul' ? 1n : 0n;
      for (const t of e.terms) {
        const x = evaluateExact(t);
        if (x === undefined) return undefined;
        acc = e.kind === 'mul' ? acc * x : acc + x;
      }
      return acc;
    }
    case 'div': {
      const num = evaluateExact(e.num);
      const den = evaluateExact(e.den);
      if (num === undefined || den === undefined || den === 0n || num % den !== 0n) return undefined;
      return num / den;
    }
  }
}

/** Evaluates an expression. */
export function evaluate(e: Expr): number {
  switch (e.kind) {
    case 'var':
    case 'num':
      return e.value;
    case 'mul':
      return e.terms.reduce((p, t) => p * evaluate(t), 1);
    case 'add':
      return e.terms.reduce((s, t) => s + evaluate(t), 0);
    case 'div':
      return evaluate(e.num) / evaluate(e.den);
  }
}

const precedence = (e: Expr): number => (e.kind === 'add' ? 1 : e.kind === 'mul' || e.kind === 'div' ? 2 : 3);

function render(e: Expr, leaf: (e: Expr & { kind: 'var' | 'num' }) => string): string {
  const wrap = (t: Expr, min: number) => (precedence(t) < min ? `(${render(t, leaf)})` : render(t, leaf));
  switch (e.kind) {
    case 'var':
    case 'num':
      return leaf(e);
    case 'mul':
      return e.terms.map((t) => wrap(t, 2)).join('·');
    case 'add':
      return e.terms
        .map((t, i) => (i > 0 && t.kind === 'num' && t.value < 0 ? `- ${leaf({ kind: 'num', value: -t.value })}` : `${i > 0 ? '+ ' : ''}${wrap(t, 1)}`))
        .join(' ');
    case 'div':
      return `${wrap(e.num, 2)}/${wrap(e.den, 3)}`;
  }
}

/** Symbolic form: `hout·wout·K·fh·fw·cin`. */
export const symbolic = (e: Expr): string => render(e, (x) => (x.kind === 'var' ? x.name : formatNumber(x.value)));
/** Substituted form without the result: `28·28·6·5·5·1`. */
export const substituted = (e: Expr): string => render(e, (x) => formatNumber(x.value));

/** A metric value with the formula that produced it. */
export interface Explained {
  value: number;
  /** The exact integer, when `value` is past 2^53 and no longer holds every digit. */
  exact?: bigint;
  /** Symbolic formula, e.g. `hout·wout·K·fh·fw·cin`. Empty for plain zero. */
  formula: string;
  /** Substituted formula with result, e.g. `28·28·6·5·5·1 = 117,600`. */
  text: string;
}

/** Turns an expression into an explained value. */
export function explain(e: Expr): Explained {
  const value = evaluate(e);
  const exact = Number.isSafeInteger(value) || !Number.isFinite(value) ? undefined : evaluateExact(e);
  const shown = formatNumber(exact ?? value);
  const formula = e.kind === 'num' ? shown : symbolic(e);
  // Joined rather than concatenated: a concatenation keeps its parts as a tree of pieces, which
  // for a 100,000-layer model holds tens of megabytes more than the flat text does.
  const text = e.kind === 'num' ? shown : [substituted(e), shown].join(' = ');
  return exact === undefined ? { value, formula, text } : { value, exact, formula, text };
}

/** The exact value of an explained figure: its bigint past 2^53, else its number. */
export const exactValue = (x: Explained): number | bigint => x.exact ?? x.value;
