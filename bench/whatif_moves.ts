/**
 * The lecture's design moves on VGG16, ResNet-50 and MobileNet: MACs saved (counted by the
 * analysis of the rewritten graph) next to latency saved (measured in ONNX Runtime, batch 1).
 * Each move's graph and its model are timed in alternating rounds on two sessions of the same
 * process, and each keeps its best round (lowest median), so a burst of other work on a shared
 * machine hits both alike. A move a model cannot take is listed with its refusal.
 * Usage: node dist/bench/whatif_moves.js [threads] [runs] [rounds] [match]
 *        (default: all cores, 5 runs, 3 rounds, every row)
 */
import { availableParallelism, loadavg } from 'node:os';
import { analyze } from '../src/analysis/analyze.js';
import { resolveGraph } from '../src/graph/graph.js';
import type { GraphSpec } from '../src/graph/types.js';
import { applyMoves, reduction, RefusedError } from '../src/rewrite/index.js';
import { benchmark } from '../src/runtime/onnx/bench.js';
import { closeSession, createSession, engineInfo, type Session } from '../src/runtime/onnx/node.js';
import { getModel } from '../src/zoo/index.js';

const threads = Number(process.argv[2] ?? availableParallelism());
const runs = Number(process.argv[3] ?? 5);
const rounds = Number(process.argv[4] ?? 3);
const match = process.argv[5] || undefined;

/** The rows of the table: a model and the moves tried on it. */
const PLAN: Array<[string, string[][]]> = [
  ['vgg16', [['gap-head'], ['separable'], ['bottleneck=2'], ['asymmetric'], ['width=0.5'], ['resolution=160']]],
  ['resnet50', [['separable'], ['bottleneck=2'], ['fold-bn'], ['factorize'], ['width=0.5'], ['resolution=160'], ['depth=0.5']]],
  ['mobilenet', [['width=0.5'], ['resolution=160'], ['width=0.5', 'resolution=160'], ['fold-bn'], ['separable'], ['factorize']]],
];

const common = { batches: [1], warmup: 1, runs, seed: 0 };

/** Median latency of the best round on an open session. */
async function medianOf(session: Session, macs: number): Promise<number> {
  const [b] = await benchmark(session, macs, common);
  return b!.latencyMs.p50;
}

/** Times the model and its rewrite in alternating rounds; each keeps its best. */
async function timePair(before: GraphSpec, after: GraphSpec): Promise<[number, number]> {
  const open = (spec: GraphSpec, label: string) => createSession(resolveGraph(spec), { threads, optimizationLevel: 'all', label });
  const a = await open(before, 'before');
  const b = await open(after, 'after');
  try {
    const [ma, mb] = [analyze(resolveGraph(before)).totals.macs, analyze(resolveGraph(after)).totals.macs];
    let best: [number, number] = [Infinity, Infinity];
    for (let r = 0; r < rounds; r++) best = [Math.min(best[0], await medianOf(a, ma)), Math.min(best[1], await medianOf(b, mb))];
    return best;
  } finally {
    await closeSession(a);
    await closeSession(b);
  }
}

const pct = (before: number, after: number) => `${(100 * (1 - after / before)).toFixed(0)}%`;
const g = (x: number) => (x / 1e9).toFixed(2);

process.stdout.write(`${engineInfo().name} ${engineInfo().version}, ${threads} thread(s), batch 1, seeded weights, ` +
  `best of ${rounds} alternating rounds of 1 warm-up + ${runs} runs; load average ${loadavg()[0]!.toFixed(1)}\n\n`);
process.stdout.write('| model | move | GMACs before → after | MACs saved | p50 ms before → after | latency saved | fewer MACs | faster |\n' +
  '|---|---|---:|---:|---:|---:|---:|---:|\n');
for (const [id, moves] of PLAN) {
  const spec = getModel(id);
  for (const m of moves) {
    const label = m.join(' + ');
    if (match && !`${id} ${label}`.includes(match)) continue;
    let after: GraphSpec;
    try {
      after = applyMoves(spec, m).spec;
    } catch (e) {
      if (!(e instanceof RefusedError)) throw e;
      // The reason up to its first clause is enough for a table cell; `convlab whatif` prints it whole.
      process.stdout.write(`| ${id} | ${label} | refused: ${e.message.split(';')[0]!.replace(/^[a-z-]+: /, '')} | | | | | |\n`);
      continue;
    }
    const [mb, ma] = [analyze(resolveGraph(spec)).totals.macs, analyze(resolveGraph(after)).totals.macs];
    const [tb, ta] = await timePair(spec, after);
    process.stdout.write(`| ${id} | ${label} | ${g(mb)} → ${g(ma)} | ${pct(mb, ma)} | ${tb.toFixed(1)} → ${ta.toFixed(1)} | ${pct(tb, ta)} | ` +
      `${reduction(mb, ma).toFixed(2)}× | ${reduction(tb, ta).toFixed(2)}× |\n`);
  }
}
process.stdout.write(`\nLoad average at the end: ${loadavg()[0]!.toFixed(1)}\n`);
