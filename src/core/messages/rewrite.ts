/** Messages of design moves (graph rewrites): refusals that say what, where and why, and notes. */

const q = (s: string) => JSON.stringify(s);

/** The rewrite layer's messages. */
export const rewriteMessages = {
  unknownMove: (name: string, known: readonly string[], suggestion?: string) =>
    `unknown move ${q(name)}${suggestion ? ` (did you mean ${q(suggestion)}?)` : ''}; moves: ${known.join(', ')}`,
  argMissing: (move: string, example: string) => `--move ${move} needs a value, e.g. --move ${example}`,
  argUnexpected: (move: string, received: string) => `--move ${move} takes no value; received ${q(`${move}=${received}`)}`,
  argNumber: (move: string, range: string, received: string) => `--move ${move}=… must be a number ${range}; received ${q(received)}`,
  argText: (move: string, expected: string, received: string) => `--move ${move}=… must be ${expected}; received ${q(received)}`,
  noTargets: (move: string, model: string, targets: string) => `${move}: ${model} has no layer to rewrite (${move} takes ${targets})`,
  layersMatchNothing: (move: string, layers: string, targets: string, candidates: readonly string[]) =>
    `${move}: --layers ${q(layers)} matches none of the layers ${move} can rewrite (${targets})` +
    (candidates.length ? `; those are ${candidates.slice(0, 5).join(', ')}${candidates.length > 5 ? `, … (${candidates.length})` : ''}` : ''),
  layersUnused: (moves: readonly string[]) =>
    `--layers selects layers for factorize, asymmetric, bottleneck, separable, lrn-to-bn, no-lrn and fold-bn; ${moves.join(', ')} ${moves.length === 1 ? 'changes' : 'change'} the whole model`,
  refused: (move: string, layer: string, what: string, reason: string) =>
    `${move}: cannot rewrite ${layer} (${what}): ${reason}; leave it out with --layers`,
  outputChanged: (move: string, output: string, before: readonly number[], after: readonly number[]) =>
    `${move}: the output ${q(output)} would change shape from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
  misfit: (move: string, detail: string) => `${move}: the rewritten graph does not fit together: ${detail}`,
  nothingChanged: (move: string, model: string, why: string) => `${move}: nothing in ${model} changes (${why})`,

  // Reasons a layer refuses, completed by `refused`.
  strided: (k: number) =>
    `it is strided; a stack of 3×3 keeps the ${k}×${k} receptive field only with the stride on the last conv, where the first would run at full resolution and cost more than the original`,
  dilated: () => 'it is dilated; a stack of 3×3 would not see the same field',
  evenKernel: (k: number) => `its kernel ${k}×${k} is even; stacked 3×3 convs reach only odd sizes (5, 7, 9, ...)`,
  grouped: (groups: number) => `it is a grouped conv (groups ${groups}); the rewrite is defined for full convs`,
  depthMultiplier: (dm: number) => `its depth multiplier is ${dm}; stacking keeps only a multiplier of 1`,
  channelsDivide: (cin: number, r: number) => `its ${cin} input channels do not divide by R = ${r}`,
  fusedActivation: (layer: string, fn: string) => `${layer} applies ${fn} before the BatchNorm; only a linear layer folds`,
  sharedOutput: (layer: string) => `${layer}'s output is also read elsewhere, so the BatchNorm cannot be folded into it`,

  noFlattenHead: (model: string, pooled: string | undefined) =>
    pooled
      ? `gap-head: ${model} already pools globally (${pooled}); there is no flatten + dense head to replace`
      : `gap-head: ${model} has no flatten + dense head ending at an output`,
  oneInput: (move: string, model: string, count: number) => `${move}: ${model} has ${count} inputs; ${move} changes a model with one [H, W, C] input`,
  sameResolution: (h: number, w: number) => `the input is already ${h}×${w}`,
  sameWidth: (alpha: number, rule: string) => `every layer keeps its width at α = ${alpha} after rounding (${rule})`,
  noStages: (model: string, families: readonly string[]) =>
    `depth: ${model}'s builder does not name repeated blocks, so its stages are unknown; depth applies to zoo models of ${families.join(', ')}`,
  sameDepth: (d: number) => `every stage keeps its block count at d = ${d} (counts round up)`,

  stageKept: (first: string, count: number, reason: string) => `depth: the stage from ${first} keeps its ${count} block${count === 1 ? '' : 's'}: ${reason}`,
  blockBoundary: (block: string, inputs: number, outputs: number) =>
    `block ${block} is not one-in one-out (${inputs} inputs and ${outputs} outputs from outside)`,
  noRemovable: (first: string) => `no block after ${first} keeps its shape, so none can be removed`,
} as const;
