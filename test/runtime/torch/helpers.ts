/** Shared by the torch engine tests: the Python to run them with. */
import { spawnSync } from 'node:child_process';
import { findTorchPython, type TorchPython } from '../../../src/runtime/torch/interpreter.js';

let found: TorchPython | Error | undefined;

/**
 * The Python with PyTorch the engine would use. CI installs Debian's PyTorch (.ci/run), so its
 * absence fails the tests that need it, saying what to install, instead of skipping them.
 */
export function torchPython(): TorchPython {
  if (found === undefined) {
    try {
      found = findTorchPython();
    } catch (e) {
      found = e as Error;
    }
  }
  if (found instanceof Error) throw new Error(`the torch engine tests need PyTorch (.ci/run installs python3-torch and libopenblas0-pthread): ${found.message}`);
  return found;
}

/** Runs a Python script with arguments; throws with its stderr when it fails, returns its stdout. */
export function runPython(python: string, script: string, args: string[] = [], timeout = 600_000): string {
  const r = spawnSync(python, ['-c', script, ...args], {
    encoding: 'utf8', timeout, maxBuffer: 256 * 1024 * 1024,
    // The engine's module is imported from src/: no __pycache__ there to end up in the package.
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (r.status !== 0) throw new Error(`python exited with ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}
