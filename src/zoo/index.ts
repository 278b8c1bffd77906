/** The zoo: importing this module registers every family. */
import './lenet.js';
// zoo:classic
// zoo:modern
// zoo:keras
export * from './registry.js';
export * from './blocks.js';
