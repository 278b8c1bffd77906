/** Rewrite layer: the lecture's design moves as graph rewrites, and what-if comparisons of their cost. */
export * from './types.js';
export { RefusedError } from './refused.js';
export { MOVES, MOVE_NAMES, parseMove, applyMoves, layerMatcher, type PlannedMove, type Rewritten } from './moves.js';
export { whatIf, reduction, type WhatIf, type WhatIfOptions, type ChangedRow, type Side, type Analysed, type LatencyPair, type AccuracyPair } from './whatif.js';
export { WIDTH_ROUNDING, DEFAULT_WIDTH_ROUNDING, widthRounding, headLayers, COMPOUND, parseResolution, type WidthRounding, type ResolutionArg } from './scale_moves.js';
export { BlockNames, blockNamingOf } from './depth.js';
export { ChangeLog, type LoggedChange } from './compose.js';
export { kernelText } from './conv_moves.js';
