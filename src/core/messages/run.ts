/** Messages of raw tensors (.npy files), `convlab run`, and where a model's weights come from. */
import { num, show, type Spell } from './text.js';

const dims = (d: readonly (number | string)[]): string => `(${d.join(', ')})`;

/** Messages of .npy files, running on raw tensors and the weights policy. Each names the file, what was expected and what was received. */
export const runMessages = {
  npyMagic: (file: string) => `${file}: byte offset 0: not a NumPy .npy file (it must start with \\x93NUMPY)`,
  npyVersion: (file: string, major: number) => `${file}: byte offset 6: .npy format version ${major} is not supported; expected 1, 2 or 3`,
  npyTruncated: (file: string, need: number, held: number) => `${file}: truncated .npy header: it needs ${num(need)} bytes; the file holds ${num(held)}`,
  npyHeader: (file: string, header: string) => `${file}: byte offset 10: cannot read the .npy header ${show(header)}; expected 'descr', 'fortran_order' and 'shape'`,
  npyDtype: (file: string, dtype: string, allowed: readonly string[]) =>
    `${file}: dtype ${show(dtype)} is not supported; expected one of ${allowed.join(', ')} (little-endian); save with arr.astype(np.float32)`,
  npyFortran: (file: string) => `${file}: the array is in Fortran order; save a C-ordered array (np.ascontiguousarray)`,
  npySize: (file: string, shape: readonly number[], dtype: string, offset: number, need: number, held: number) =>
    `${file}: byte offset ${num(offset)}: shape ${dims(shape)} of ${dtype} needs ${num(need)} data bytes; the file holds ${num(held)}`,
  npyWriteShape: (shape: readonly number[], length: number) => `cannot write shape ${dims(shape)} from ${num(length)} values`,
  runInputCount: (model: string, names: readonly string[], received: number) =>
    `${model} takes ${names.length} input(s) (${names.join(', ')}, in this order); received ${received} --input file(s)`,
  runInputShape: (file: string, input: string, layout: string, expected: readonly (number | string)[], received: readonly number[]) =>
    `${file}: input ${input} takes shape ${dims(expected)} (${layout}, batch first); the file holds ${dims(received)}`,
  runParameterShape: (file: string, input: string, received: readonly number[]) =>
    `${file}: parameter input ${input}: ${dims(received)} does not match the graph input's declared shape`,
  runOutput: (model: string, name: string, outputs: readonly string[]) => `${model} has no output ${show(name)}; its outputs are ${outputs.join(', ')}`,
  wroteTensor: (file: string, output: string, shape: readonly number[]) => `wrote ${file}: output ${output}, shape ${dims(shape)}, float32`,
  runNoInput: () => 'run needs at least one --input FILE.npy',
  noSourceWeights: (model: string, kind: string, spell: Spell) =>
    `${model}: ${kind} carries no weights, so its results would be meaningless. Give a model that carries them ` +
    `(a trained directory, a model.json with its weights files, an .onnx file with initializers), or pass ` +
    `${spell('randomWeights')} to run with seeded random weights (${spell('seed')} N)`,
  randomWeights: (seed: number) => `seeded random weights (seed ${seed}), not trained ones`,
} as const;
