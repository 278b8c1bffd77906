/**
 * Start-up cost of the command line: wall time of `convlab summary resnet50` against a bare
 * `node -e 0`, over alternating runs so both see the same machine load. The goal is ≤ 3×.
 * Usage: node dist/bench/startup.js [runs]   (default 21 runs each; the median is reported)
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const runs = Number(process.argv[2] ?? 21);

const CASES: Array<{ label: string; args: string[] }> = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'convlab summary resnet50', args: [cli, 'summary', 'resnet50'] },
  { label: 'convlab summary lenet5', args: [cli, 'summary', 'lenet5'] },
  { label: 'convlab --help', args: [cli, '--help'] },
];

/** Wall milliseconds of one run; fails loudly if the command fails, so a broken CLI cannot look fast. */
function timeOnce(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

for (const c of CASES) timeOnce(c.args); // warm the file cache
const times = CASES.map(() => [] as number[]);
for (let i = 0; i < runs; i++) CASES.forEach((c, k) => times[k]!.push(timeOnce(c.args)));

const base = median(times[0]!);
console.log(`| command | median ms (${runs} runs) | min ms | × node -e 0 |`);
console.log('|---|---:|---:|---:|');
CASES.forEach((c, k) => {
  const m = median(times[k]!);
  console.log(`| \`${c.label}\` | ${m.toFixed(1)} | ${Math.min(...times[k]!).toFixed(1)} | ${(m / base).toFixed(2)} |`);
});
const ratio = median(times[1]!) / base;
console.log(`\nstart-up ratio (summary resnet50 / node -e 0): ${ratio.toFixed(2)}× (goal ≤ 3×)`);
