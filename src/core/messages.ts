/**
 * Every user-facing message of the graph, ops and analysis layers, as typed functions.
 * Tests assert against these functions, so wording lives in exactly one place.
 */

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'nothing';
  return JSON.stringify(v);
};

/** Prefix that locates a message at a node, as ONNX's walker does: `node conv1 (Conv2D): ...`. */
export const atNode = (node: string, op: string, what: string): string => `node ${node} (${op}): ${what}`;

export const messages = {
  notJson: (file: string, detail: string) => `${file}: not valid JSON (${detail})`,
  specNotObject: (received: unknown) => `spec: expected a JSON object with "name", "inputs", "nodes", "outputs"; received ${typeof received}`,
  specField: (field: string, expected: string, received: unknown) =>
    `spec: field "${field}" must be ${expected}; received ${show(received)}`,
  nodeField: (index: number, field: string, expected: string, received: unknown) =>
    `spec: nodes[${index}].${field} must be ${expected}; received ${show(received)}`,
  unknownOp: (op: string, known: readonly string[], suggestion?: string) =>
    `unknown op ${show(op)}${suggestion ? ` (did you mean ${show(suggestion)}?)` : ''}; known ops: ${known.join(', ')}`,
  duplicateName: (name: string) => `duplicate name ${show(name)}: node and input names must be unique`,
  danglingInput: (input: string) => `input ${show(input)} is not a graph input or an earlier node`,
  cycle: (names: readonly string[]) => `the graph has a cycle through ${names.map((n) => show(n)).join(' -> ')}`,
  unknownOutput: (name: string) => `graph output ${show(name)} names no node or input`,
  noOutputs: () => `spec: "outputs" is empty; name at least one node`,
  arity: (expected: string, received: number) => `expects ${expected} input(s); received ${received}`,
  unknownAttr: (attr: string, known: readonly string[]) =>
    `unknown attribute ${show(attr)}; allowed: ${known.length ? known.join(', ') : '(none)'}`,
  missingAttr: (attr: string, expected: string) => `missing required attribute ${show(attr)} (${expected})`,
  attrType: (attr: string, expected: string, received: unknown) =>
    `attribute ${show(attr)} must be ${expected}; received ${show(received)}`,
  attrRange: (attr: string, expected: string, received: unknown) =>
    `attribute ${show(attr)} must be ${expected}; received ${show(received)}`,
  inputRank: (expected: string, received: readonly number[]) => `expects an input of ${expected}; received shape ${show(received)}`,
  kernelTooLarge: (axis: string, kernel: number, size: number) =>
    `effective kernel ${kernel} is larger than the padded input ${axis} ${size}; output would be empty`,
  channelsNotDivisible: (cin: number, groups: number) => `input channels (${cin}) must be divisible by groups (${groups})`,
  filtersNotDivisible: (filters: number, groups: number) => `filters (${filters}) must be divisible by groups (${groups})`,
  shapesDiffer: (what: string, a: readonly number[], b: readonly number[], inputA: string, inputB: string) =>
    `${what}: input ${show(inputA)} has shape ${show(a)} but ${show(inputB)} has ${show(b)}`,
  concatMismatch: (axis: number, a: readonly number[], b: readonly number[], inputA: string, inputB: string) =>
    `inputs must agree on every axis except ${axis}: ${show(inputA)} has ${show(a)}, ${show(inputB)} has ${show(b)}`,
  reshapeSize: (from: readonly number[], to: readonly number[]) =>
    `cannot reshape ${show(from)} (${from.reduce((a, b) => a * b, 1)} elements) to ${show(to)}`,
  cropTooLarge: (axis: string, crop: number, size: number) => `cropping ${crop} on ${axis} leaves nothing of size ${size}`,
  graphInputShape: (name: string, received: unknown) =>
    `input ${show(name)}: shape must be a list of positive integers; received ${show(received)}`,
  badBudget: (received: unknown) => `memory budget must be a positive number of bytes; received ${show(received)}`,
  budgetTooSmall: (budget: number, fixed: number) =>
    `the memory budget (${budget} bytes) does not hold even the fixed part (${fixed} bytes: weights, gradients, optimizer state)`,
  modelOption: (model: string, option: string, expected: string, received: unknown) =>
    `${model}: option ${show(option)} must be ${expected}; received ${show(received)}`,
  adaptivePoolSize: (out: number, received: readonly number[]) =>
    `adaptive average pooling to ${out}×${out} needs a feature map whose height and width are multiples of ${out}; received shape ${show(received)} (choose an input size that gives one)`,
} as const;

/** Closest candidate by edit distance, for "did you mean" suggestions. */
export function closest(word: string, candidates: readonly string[], maxDistance = 3): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= maxDistance ? best : undefined;
}

/** Candidates sorted by edit distance, closest first. */
export function nearest(word: string, candidates: readonly string[], count = 3): string[] {
  return [...candidates]
    .map((c) => ({ c, d: editDistance(word.toLowerCase(), c.toLowerCase()) - (c.includes(word.toLowerCase()) ? 2 : 0) }))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, count)
    .map((x) => x.c);
}

/** Edit distance with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}
