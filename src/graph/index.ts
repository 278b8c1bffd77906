/** Graph layer: spec types, validation, shape inference, the builder and errors. */
export * from './types.js';
export * from '../core/errors.js';
export * from './graph.js';
export * from './builder.js';
export { messages, atNode } from '../core/messages.js';
export { closest, nearest } from '../core/suggest.js';
