/**
 * Finding a Python that can run the torch engine. `--python PATH`, else `CONVLAB_PYTHON`, is the
 * only one tried when given; otherwise `python3` on the PATH, then the system's own Pythons
 * (Debian's python3-torch lives in /usr/bin/python3, which a pyenv or venv `python3` on the PATH
 * hides). Each candidate is asked whether it has PyTorch and NumPy, without importing them
 * (importing torch takes seconds; the training processes do it once); the first that has both wins.
 */
import { spawnSync } from 'node:child_process';
import { UsageError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';

/** The Pythons tried, in order, when none is named. */
export const PYTHON_CANDIDATES = ['python3', '/usr/bin/python3', '/usr/local/bin/python3', 'python'] as const;

/** A Python with PyTorch, as the probe found it. */
export interface TorchPython {
  /** The command that runs it (as given: a path or a name on the PATH). */
  python: string;
  version: string;
  /** PyTorch's version as its package metadata states it. */
  torch: string;
}

const PROBE = `
import importlib.metadata, importlib.util, json, sys
r = {"version": sys.version.split()[0]}
missing = [m for m in ("torch", "numpy") if importlib.util.find_spec(m) is None]
if missing:
    r["error"] = "no module named " + " or ".join(missing)
else:
    try:
        r["torch"] = importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        r["torch"] = "of unknown version"
print(json.dumps(r))
`;

type Probe = { ok: true; info: TorchPython } | { ok: false; missing: boolean; problem: string };

/** Runs the probe with one Python. */
export function probePython(python: string): Probe {
  const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === 'ENOENT' || code === 'EACCES', problem: code === 'ENOENT' ? 'not found' : r.error.message };
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let report: { version?: string; torch?: string; error?: string };
  try {
    report = JSON.parse(line);
  } catch {
    const said = (r.stderr.trim().split('\n').pop() ?? '').slice(0, 160);
    return { ok: false, missing: false, problem: `not a working Python 3 (exit code ${r.status}${said ? `: ${said}` : ''})` };
  }
  if (report.error) return { ok: false, missing: false, problem: `Python ${report.version}, ${report.error}` };
  return { ok: true, info: { python, version: report.version!, torch: report.torch! } };
}

let cached: { key: string; found: TorchPython } | undefined;

/** The Python the torch engine runs with; a UsageError naming what to install when there is none. */
export function findTorchPython(o: { python?: string; env?: NodeJS.ProcessEnv; candidates?: readonly string[] } = {}): TorchPython {
  const env = o.env ?? process.env;
  const named = o.python ?? env['CONVLAB_PYTHON'];
  const candidates = o.candidates ?? PYTHON_CANDIDATES;
  const key = `${named ?? ''}\0${candidates.join('\0')}`;
  if (cached?.key === key) return cached.found;
  if (named !== undefined && named !== '') {
    const p = probePython(named);
    if (!p.ok) throw new UsageError((s) => messages.namedPythonFails(named, o.python !== undefined ? 'python' : 'CONVLAB_PYTHON', p.problem, s));
    cached = { key, found: p.info };
    return p.info;
  }
  const tried: Array<{ python: string; problem: string }> = [];
  let ran = false;
  for (const python of candidates) {
    const p = probePython(python);
    if (p.ok) {
      cached = { key, found: p.info };
      return p.info;
    }
    if (!p.missing) ran = true;
    tried.push({ python, problem: p.problem });
  }
  if (!ran) throw new UsageError((s) => messages.noPython(candidates, s));
  throw new UsageError((s) => messages.noTorch(tried.filter((t) => t.problem !== 'not found'), s));
}
