/**
 * The layer rule, checked from source: every relative import under src/ (and web/src/) is read,
 * each file is placed in a layer by its path, and an import is refused when it points to a
 * higher layer, when files import each other in a cycle, or when two units of one layer do.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** A layer: its name and the paths (under src/, a folder ending in `/` or a file) it owns. */
export interface Layer {
  name: string;
  paths: readonly string[];
}

/** The order of convlab's layers, lowest first; a file may import its own layer and those below. */
export const LAYERS: readonly Layer[] = [
  { name: 'core', paths: ['core/'] },
  { name: 'graph types', paths: ['graph/types.ts'] },
  { name: 'ops', paths: ['ops/'] },
  { name: 'graph', paths: ['graph/'] },
  { name: 'analysis', paths: ['analysis/'] },
  { name: 'zoo', paths: ['zoo/'] },
  { name: 'rewrite', paths: ['rewrite/'] },
  { name: 'report', paths: ['report/'] },
  { name: 'formats', paths: ['onnx/', 'weights/', 'data/', 'image/', 'import/'] },
  { name: 'runtimes', paths: ['runtime/onnx/', 'runtime/tfjs/', 'runtime/finetune/', 'runtime/torch/'] },
  { name: 'apps', paths: ['cli/', 'serve/', 'index.ts', 'web/'] },
];

/** One import of one file. */
export interface Edge {
  from: string;
  to: string;
  /** The specifier as written. */
  specifier: string;
}

/** What the check found. */
export interface LayerReport {
  files: number;
  imports: number;
  /** Files no layer owns. */
  unplaced: string[];
  /** Imports into a higher layer. */
  upward: Array<Edge & { fromLayer: string; toLayer: string }>;
  /** File cycles and unit cycles, each as the path around it. */
  cycles: string[][];
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\s*\(\s*['"](\.[^'"]+)['"]\s*\)|^\s*import\s*['"](\.[^'"]+)['"]/gm;

/** Every .ts file below `dir`, as paths relative to it (forward slashes). */
function tsFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full, base);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative(base, full).split('\\').join('/')] : [];
  });
}

/** The relative imports of a source text (comments stripped first, so examples in docs do not count). */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...code.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** The unit (a layer's path entry) that owns a file, most specific first. */
export function unitOf(file: string, layers: readonly Layer[] = LAYERS): { unit: string; layer: number } | undefined {
  let best: { unit: string; layer: number } | undefined;
  layers.forEach((l, rank) => {
    for (const p of l.paths) {
      const owns = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (owns && (!best || p.length > best.unit.length)) best = { unit: p, layer: rank };
    }
  });
  return best;
}

/** Cycles of a directed graph, one per strongly connected component of two or more nodes (or a self-loop). */
function cyclesOf(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || edges.get(v)?.has(v)) out.push(pathAround(scc, edges));
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** One concrete path around a strongly connected component, for the message. */
function pathAround(scc: string[], edges: Map<string, Set<string>>): string[] {
  const members = new Set(scc);
  const start = [...scc].sort()[0]!;
  const path = [start];
  const seen = new Set([start]);
  for (let cur = start; ;) {
    const nextNode = [...(edges.get(cur) ?? [])].filter((w) => members.has(w)).sort().find((w) => !seen.has(w) || w === start);
    if (nextNode === undefined || nextNode === start) return [...path, start];
    path.push(nextNode);
    seen.add(nextNode);
    cur = nextNode;
  }
}

/**
 * Checks the tree under `root`: files of `src/` are placed by their path below it, files of
 * `web/src/` belong to the web app. Imports that leave both trees (tests, scripts) are ignored.
 */
export function checkLayers(root: string, layers: readonly Layer[] = LAYERS): LayerReport {
  const trees = [{ dir: join(root, 'src'), prefix: '' }, { dir: join(root, 'web', 'src'), prefix: 'web/' }];
  const files: string[] = [];
  const edges: Edge[] = [];
  for (const t of trees) {
    let names: string[];
    try {
      names = tsFiles(t.dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const from = `${t.prefix}${name}`;
      files.push(from);
      for (const specifier of importsOf(readFileSync(join(t.dir, name), 'utf8'))) {
        const target = normalize(join(dirname(join(t.dir, name)), specifier)).replace(/\.js$/, '.ts');
        const inSrc = relative(join(root, 'src'), target).split('\\').join('/');
        const inWeb = relative(join(root, 'web', 'src'), target).split('\\').join('/');
        const to = !inSrc.startsWith('..') ? inSrc : !inWeb.startsWith('..') ? `web/${inWeb}` : undefined;
        if (to !== undefined) edges.push({ from, to, specifier });
      }
    }
  }
  const unplaced = files.filter((f) => unitOf(f, layers) === undefined);
  const upward: LayerReport['upward'] = [];
  const fileEdges = new Map<string, Set<string>>();
  const unitEdges = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, a: string, b: string) => m.set(a, (m.get(a) ?? new Set()).add(b));
  for (const e of edges) {
    add(fileEdges, e.from, e.to);
    const a = unitOf(e.from, layers);
    const b = unitOf(e.to, layers);
    if (!a || !b) continue;
    if (b.layer > a.layer) upward.push({ ...e, fromLayer: layers[a.layer]!.name, toLayer: layers[b.layer]!.name });
    if (a.unit !== b.unit) add(unitEdges, a.unit, b.unit);
  }
  return { files: files.length, imports: edges.length, unplaced, upward, cycles: [...cyclesOf(fileEdges), ...cyclesOf(unitEdges)] };
}
