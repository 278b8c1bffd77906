/** The base layer: errors, the message catalogue, the closed sets, numel, number formatting, the seeded generator, computations cut into steps, and (Node only) the one output writer, output folders and confined paths. */
export * from './errors.js';
export { messages, atNode, asKey, type Spell } from './messages.js';
export * from './sets.js';
export * from './numel.js';
export * from './format.js';
export * from './random.js';
export * from './steps.js';
export { closest, nearest } from './suggest.js';
export { checkOutput, writeOutput, type OutputTarget } from './output.js';
export { checkFolder, makeFolder, type FolderUse } from './folders.js';
export { confinedPath } from './confined.js';
