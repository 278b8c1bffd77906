/**
 * `npm run bench`: lists the benchmarks with the first sentence of their header, or runs one by
 * name with the arguments that follow (`npm run bench -- onnx_overhead 2 3`). Each benchmark is a
 * script of its own in bench/; this only finds it, so a new script is listed without being
 * registered anywhere.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const built = dirname(fileURLToPath(import.meta.url));
const sources = join(built, '..', '..', 'bench');
/** Shared modules, not benchmarks. */
const HELPERS = new Set(['run', 'timing', 'tfjs_bench', 'tfjs_profile']);

/** The benchmarks: every script in bench/ but the helpers, with the header's first sentence. */
function benchmarks(): { name: string; file: string; about: string }[] {
  return readdirSync(sources)
    .filter((f) => /\.(ts|py)$/.test(f) && !HELPERS.has(f.replace(/\.(ts|py)$/, '')))
    .sort()
    .map((f) => {
      const text = readFileSync(join(sources, f), 'utf8');
      const header = f.endsWith('.py') ? /^(?:#!.*\n)?"""([\s\S]*?)"""/.exec(text)?.[1] ?? /^(?:#.*\n)+/.exec(text)?.[0].replace(/^#\s?/gm, '') ?? '' : /^\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
      const flat = header.replace(/^\s*\*\s?/gm, '').replace(/\s+/g, ' ').trim();
      const sentence = /^(.*?\.)(\s|$)/.exec(flat)?.[1] ?? flat;
      const about = sentence.length > 110 ? `${sentence.slice(0, 109).replace(/\s\S*$/, '')}…` : sentence;
      return { name: f.replace(/\.(ts|py)$/, ''), file: f, about };
    });
}

const [name, ...rest] = process.argv.slice(2);
const all = benchmarks();
if (!name || name === '--help' || name === '-h') {
  const width = Math.max(...all.map((b) => b.name.length));
  process.stdout.write('usage: npm run bench -- <name> [arguments]   (each script states its own arguments in its header)\n\n');
  for (const b of all) process.stdout.write(`  ${b.name.padEnd(width)}  ${b.about}\n`);
  process.stdout.write('\nResults and how they were taken: BENCHMARKS.md.\n');
  process.exit(0);
}
const chosen = all.find((b) => b.name === name);
if (!chosen) {
  process.stderr.write(`convlab bench: no benchmark "${name}"; run npm run bench for the list\n`);
  process.exit(2);
}
const command = chosen.file.endsWith('.py') ? ['/usr/bin/python3', [join(sources, chosen.file), ...rest]] as const : [process.execPath, [join(built, `${chosen.name}.js`), ...rest]] as const;
const r = spawnSync(command[0], [...command[1]], { stdio: 'inherit' });
process.exit(r.status ?? 1);
