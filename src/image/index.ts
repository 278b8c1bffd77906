/** Images for prediction: types and browser-safe preprocessing (decoding lives in decode.ts, Node-side). */
export * from './types.js';
export * from './preprocess.js';
