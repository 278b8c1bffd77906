/** Shared by the torch engine tests: the Python to run them with, or why they are skipped. */
import { spawnSync } from 'node:child_process';
import { findTorchPython, type TorchPython } from '../../../src/runtime/torch/interpreter.js';

/** The Python with PyTorch the engine would use, or the reason there is none (the tests print it as their skip reason). */
export function torchPython(): { python: TorchPython; skip: false } | { python: null; skip: string } {
  try {
    return { python: findTorchPython(), skip: false };
  } catch (e) {
    return { python: null, skip: `no PyTorch: ${(e as Error).message}` };
  }
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
