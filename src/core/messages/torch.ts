/**
 * Messages of the PyTorch engine (`convlab train --engine torch`): finding Python and PyTorch,
 * the processes' run, the arrays and weights crossing to Python. The Python side never words a
 * message: it reports a code and values, and these functions say it.
 */
import { asKey, show, type Spell } from './text.js';

/** What to install, said once for every message that needs it. */
const INSTALL_TORCH = 'install PyTorch for Python 3 (Debian/Ubuntu: apt-get install python3-torch libopenblas0-pthread; elsewhere: pip install torch numpy)';

/** The torch engine's messages. */
export const torchMessages = {
  torchLrnNeedsMap: (shape: readonly number[]) => `LRN is lowered to PyTorch for feature maps [H, W, C] only; received shape ${show(shape)}`,
  badNpy: (file: string, offset: number, detail: string) => `${file}: not a NumPy array file at byte ${offset}: ${detail}`,
  npyType: (file: string, expected: string, received: string) => `${file}: holds ${received} values; expected ${expected}`,
  npyShape: (file: string, expected: readonly number[], received: readonly number[]) => `${file}: has shape ${show(received)}; expected ${show(expected)}`,
  noPython: (tried: readonly string[], o: Spell = asKey) =>
    `the torch engine needs Python 3 with PyTorch, and no Python was found (tried ${tried.join(', ')}); ${INSTALL_TORCH}, or name one with ${o('python')} PATH or CONVLAB_PYTHON`,
  noTorch: (tried: ReadonlyArray<{ python: string; problem: string }>, o: Spell = asKey) =>
    `the torch engine needs PyTorch, and no Python here has it (${tried.map((t) => `${t.python}: ${t.problem}`).join('; ')}); ${INSTALL_TORCH}, or name a Python that has it with ${o('python')} PATH or CONVLAB_PYTHON`,
  namedPythonFails: (python: string, source: 'python' | 'CONVLAB_PYTHON', problem: string, o: Spell = asKey) =>
    `${source === 'python' ? o('python') : source} names ${python}, which cannot run the torch engine (${problem}); ${INSTALL_TORCH} for it, or name another Python`,
  noCuda: (python: string, o: Spell = asKey) => `${o('device')} cuda: PyTorch (${python}) sees no CUDA device; use ${o('device')} cpu`,
  tooFewGpus: (gpus: number, nproc: number, o: Spell = asKey) => `${o('nproc')} ${nproc} on CUDA needs a GPU per process; this machine has ${gpus}`,
  batchBelowWorld: (batch: number, world: number, o: Spell = asKey) =>
    `${o('batchSize')} ${batch} is smaller than the ${world} processes of the run; every process needs at least one sample per step`,
  nodeRankRange: (rank: number, nodes: number, o: Spell = asKey) => `${o('nodeRank')} must be below ${o('nnodes')} (${nodes}); received ${rank}`,
  clusterOnly: (option: string) => `${option} applies to the torch engine only (--engine torch)`,
  tfjsOnly: (option: string) => `${option} applies to the tfjs engine only (--engine tfjs); the torch engine has --nproc, --threads and --device`,
  torchNamedDatasets: (dataset: string, named: readonly string[], o: Spell = asKey) =>
    `${o('dataset')} ${dataset}: the torch engine trains on the named data sets (${named.join(', ')}); train a folder of images with ${o('engine')} tfjs`,
  launchFailed: (python: string, detail: string) => `could not start PyTorch (${python}): ${detail}`,
  torchRunFailed: (code: number | null, signal: string | null, lastLine: string, log: string | null) =>
    `the PyTorch run failed (${signal ? `signal ${signal}` : `exit code ${code}`})${lastLine ? `: ${lastLine}` : ''}${log ? `; its full output is in ${log}` : ''}`,
  noTorchCheckpoint: (dir: string, file: string, o: Spell = asKey) =>
    `${dir}: no ${file} to resume from (the torch engine's checkpoint; a tfjs run resumes with ${o('engine')} tfjs)`,
  badEvent: (line: string) => `the PyTorch run reported something convlab cannot read: ${show(line.slice(0, 200))}`,
  unknownCode: (code: string) => `the PyTorch run stopped with an error convlab does not know (${show(code)})`,
  noResult: (dir: string) => `the PyTorch run ended without writing its weights to ${dir}`,
  noTensorToSend: (key: string) => `weights: no tensor ${show(key)} to hand to PyTorch`,
  noTensorReturned: (file: string, name: string, key: string) => `${file}: no tensor ${show(name)} (${key})`,
  otherNode: (rank: number, nodes: number, o: Spell = asKey) =>
    `node ${rank} of ${nodes} finished its share; the trained model is written on node 0 (the one with ${o('nodeRank')} 0)`,
  badIntRange: (option: string, min: number, max: number, received: string) => `${option} must be an integer from ${min} to ${max}; received ${JSON.stringify(received)}`,
} as const;
