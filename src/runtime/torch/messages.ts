/**
 * Every user-facing message of the PyTorch engine, as typed functions. The Python side never
 * words a message: it reports a code and values, and these functions say it.
 */
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** What to install, said once for every message that needs it. */
export const INSTALL_TORCH = 'install PyTorch for Python 3 (Debian/Ubuntu: apt-get install python3-torch libopenblas0-pthread; elsewhere: pip install torch numpy)';

export const torchMessages = {
  lrnNeedsMap: (shape: readonly number[]) => `LRN is lowered to PyTorch for feature maps [H, W, C] only; received shape ${show(shape)}`,
  badNpy: (file: string, offset: number, detail: string) => `${file}: not a NumPy array file at byte ${offset}: ${detail}`,
  npyType: (file: string, expected: string, received: string) => `${file}: holds ${received} values; expected ${expected}`,
  npyShape: (file: string, expected: readonly number[], received: readonly number[]) => `${file}: has shape ${show(received)}; expected ${show(expected)}`,
  noPython: (tried: readonly string[]) =>
    `the torch engine needs Python 3 with PyTorch, and no Python was found (tried ${tried.join(', ')}); ${INSTALL_TORCH}, or name one with --python PATH or CONVLAB_PYTHON`,
  noTorch: (tried: ReadonlyArray<{ python: string; problem: string }>) =>
    `the torch engine needs PyTorch, and no Python here has it (${tried.map((t) => `${t.python}: ${t.problem}`).join('; ')}); ${INSTALL_TORCH}, or name a Python that has it with --python PATH or CONVLAB_PYTHON`,
  namedPythonFails: (python: string, source: string, problem: string) =>
    `${source} names ${python}, which cannot run the torch engine (${problem}); ${INSTALL_TORCH} for it, or name another Python`,
  noCuda: (python: string) => `--device cuda: PyTorch (${python}) sees no CUDA device; use --device cpu`,
  tooFewGpus: (gpus: number, nproc: number) => `--nproc ${nproc} on CUDA needs a GPU per process; this machine has ${gpus}`,
  batchBelowWorld: (batch: number, world: number) =>
    `--batch-size ${batch} is smaller than the ${world} processes of the run; every process needs at least one sample per step`,
  nodeRankRange: (rank: number, nodes: number) => `--node-rank must be below --nnodes (${nodes}); received ${rank}`,
  clusterOnly: (option: string) => `${option} applies to the torch engine only (--engine torch)`,
  tfjsOnly: (option: string) => `${option} applies to the tfjs engine only; the torch engine has --nproc, --threads and --device`,
  launchFailed: (python: string, detail: string) => `could not start PyTorch (${python}): ${detail}`,
  workerFailed: (code: number | null, signal: string | null, lastLine: string, log: string | null) =>
    `the PyTorch run failed (${signal ? `signal ${signal}` : `exit code ${code}`})${lastLine ? `: ${lastLine}` : ''}${log ? `; its full output is in ${log}` : ''}`,
  noCheckpoint: (dir: string, file: string) => `${dir}: no ${file} to resume from (the torch engine's checkpoint; a tfjs run resumes with --engine tfjs)`,
  badEvent: (line: string) => `the PyTorch run reported something convlab cannot read: ${show(line.slice(0, 200))}`,
  unknownCode: (code: string) => `the PyTorch run stopped with an error convlab does not know (${show(code)})`,
  noResult: (dir: string) => `the PyTorch run ended without writing its weights to ${dir}`,
  otherNode: (rank: number, nodes: number) =>
    `node ${rank} of ${nodes} finished its share; the trained model is written on node 0 (the one with --node-rank 0)`,
} as const;
