/**
 * convlab's error classes. Every user-facing failure is one of these; the CLI prints `message`
 * on one line and exits with code 2, so a message must say what, where, expected and received.
 */

/** Which part of convlab raised the error. */
export type ErrorKind = 'spec' | 'shape' | 'attribute' | 'data' | 'runtime' | 'usage';

/** Base class: carries a kind and an optional location (node, attribute, file, byte offset). */
export class ConvlabError extends Error {
  readonly kind: ErrorKind;
  readonly node?: string;
  readonly attribute?: string;
  constructor(kind: ErrorKind, message: string, where: { node?: string; attribute?: string } = {}) {
    super(message);
    this.name = 'ConvlabError';
    this.kind = kind;
    if (where.node !== undefined) this.node = where.node;
    if (where.attribute !== undefined) this.attribute = where.attribute;
  }
}

/** The spec itself is malformed: bad JSON, dangling input, duplicate name, cycle, unknown op. */
export class SpecError extends ConvlabError {
  constructor(message: string, where: { node?: string; attribute?: string } = {}) {
    super('spec', message, where);
    this.name = 'SpecError';
  }
}

/** An attribute is missing, unknown, of the wrong type or out of range. */
export class AttributeError extends ConvlabError {
  constructor(message: string, where: { node?: string; attribute?: string } = {}) {
    super('attribute', message, where);
    this.name = 'AttributeError';
  }
}

/** Shapes do not fit together: a kernel larger than its input, an Add of unequal shapes. */
export class ShapeError extends ConvlabError {
  constructor(message: string, where: { node?: string; attribute?: string } = {}) {
    super('shape', message, where);
    this.name = 'ShapeError';
  }
}

/** A data file is wrong: bad magic, truncated, label out of range. */
export class DataError extends ConvlabError {
  constructor(message: string) {
    super('data', message);
    this.name = 'DataError';
  }
}

/** An engine (ONNX Runtime, tfjs) failed or refused. */
export class RuntimeError extends ConvlabError {
  constructor(message: string) {
    super('runtime', message);
    this.name = 'RuntimeError';
  }
}

/** The user called a command or function with bad arguments. */
export class UsageError extends ConvlabError {
  constructor(message: string) {
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
