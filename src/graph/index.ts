/** Graph layer: spec types, validation, shape inference, the builder and errors. */
export * from './types.js';
export * from '../core/errors.js';
export * from './graph.js';
export * from './builder.js';
export { messages, closest, nearest, atNode } from '../core/messages.js';
