/**
 * convlab's error classes. Every user-facing failure is one of these; the CLI prints the message
 * on one line and exits with code 2, so a message must say what, where, expected and received.
 * Texts come from the catalogue (messages.ts).
 */
import { asKey, type Spell } from './messages/text.js';

/** A message, or a message that names options and is written out by a Spell. */
export type MessageText = string | ((spell: Spell) => string);

/** Which part of convlab raised the error. */
export type ErrorKind = 'spec' | 'shape' | 'attribute' | 'data' | 'runtime' | 'usage';

/** Base class: carries a kind and an optional location (node, attribute, file, byte offset). */
export class ConvlabError extends Error {
  readonly kind: ErrorKind;
  readonly node?: string;
  readonly attribute?: string;
  private readonly text: MessageText;
  constructor(kind: ErrorKind, text: MessageText, where: { node?: string; attribute?: string } = {}) {
    super(typeof text === 'string' ? text : text(asKey));
    this.name = 'ConvlabError';
    this.kind = kind;
    this.text = text;
    if (where.node !== undefined) this.node = where.node;
    if (where.attribute !== undefined) this.attribute = where.attribute;
  }

  /** The message with its options written by `spell`: the command line passes its flag spelling (`--lr`). */
  spelled(spell: Spell): string {
    return typeof this.text === 'string' ? this.message : this.text(spell);
  }
}

/** The spec itself is malformed: bad JSON, dangling input, duplicate name, cycle, unknown op. */
export class SpecError extends ConvlabError {
  constructor(message: MessageText, where: { node?: string; attribute?: string } = {}) {
    super('spec', message, where);
    this.name = 'SpecError';
  }
}

/** An attribute is missing, unknown, of the wrong type or out of range. */
export class AttributeError extends ConvlabError {
  constructor(message: MessageText, where: { node?: string; attribute?: string } = {}) {
    super('attribute', message, where);
    this.name = 'AttributeError';
  }
}

/** Shapes do not fit together: a kernel larger than its input, an Add of unequal shapes. */
export class ShapeError extends ConvlabError {
  constructor(message: MessageText, where: { node?: string; attribute?: string } = {}) {
    super('shape', message, where);
    this.name = 'ShapeError';
  }
}

/** A data file is wrong: bad magic, truncated, label out of range. */
export class DataError extends ConvlabError {
  constructor(message: MessageText) {
    super('data', message);
    this.name = 'DataError';
  }
}

/** An engine (ONNX Runtime, tfjs) failed or refused. */
export class RuntimeError extends ConvlabError {
  constructor(message: MessageText) {
    super('runtime', message);
    this.name = 'RuntimeError';
  }
}

/** The user called a command or function with bad arguments. */
export class UsageError extends ConvlabError {
  constructor(message: MessageText) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

/** Thrown by op rules without knowing the node; the graph walker adds where (ONNX's two halves). */
export class OpRuleError extends Error {
  readonly kind: 'shape' | 'attribute';
  readonly attribute?: string;
  constructor(kind: 'shape' | 'attribute', message: string, attribute?: string) {
    super(message);
    this.kind = kind;
    if (attribute !== undefined) this.attribute = attribute;
  }
}
