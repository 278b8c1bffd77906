/**
 * The block tree of a graph: stage → block → branch, as its builder or importer recorded it in
 * each node's `block`, so a report, a chart, the table and the graph view of the page all group
 * layers the same way. Only a graph that records no blocks at all (a hand-written spec, a file
 * from a tool that names nothing) has its blocks guessed from names and structure: every prefix
 * at a `_` or `/` boundary that several layers share is a candidate, kept only when it is convex
 * (no path leaves it and comes back), and branched regions no name covers become blocks named
 * after the layer that merges them.
 */
import { complete, type Steps } from '../core/steps.js';

/** A layer as the block finder sees it: its name, the names it reads, and the blocks it records. */
export interface NamedLayer {
  name: string;
  inputs: readonly string[];
  /** Enclosing blocks, outermost first, as the spec records them; empty or absent when none. */
  block?: readonly string[];
}

/** One entry inside a block or at the top: a sub-block or a layer. */
export type Item = { kind: 'block'; id: string } | { kind: 'layer'; name: string };

export interface Block {
  /** Unique key: the block's name, or as much of its path as tells it apart (`layer2.0/downsample`). */
  id: string;
  /** The block's own name: `conv2_block1`, `mixed5`, `downsample`. */
  name: string;
  parent: string | null;
  /** 1 for an outermost block. */
  depth: number;
  /** Sub-blocks and layers directly inside, in topological order. */
  items: Item[];
  /** Every layer inside, at any depth, in topological order. */
  layers: string[];
}

export interface BlockTree {
  blocks: Map<string, Block>;
  /** What sits outside every block, plus the outermost blocks, in topological order. */
  top: Item[];
  /** Innermost block of each layer that is in one. */
  blockOf: Map<string, string>;
  /** Where the blocks come from: the recorded structure, or names and branches where none is recorded. */
  source: 'structure' | 'names';
}

/**
 * Finds the blocks of a graph whose layers are given in topological order: the recorded blocks
 * when any layer has one, else blocks guessed from shared name prefixes and branched regions.
 */
export function buildBlockTree(layers: readonly NamedLayer[]): BlockTree {
  return complete(buildBlockTreeSteps(layers));
}

/** buildBlockTree cut into steps: it yields after each layer of each pass. */
export function buildBlockTreeSteps(layers: readonly NamedLayer[]): Steps<BlockTree> {
  return layers.some((l) => (l.block?.length ?? 0) > 0) ? recordedTree(layers) : guessedTree(layers);
}

/** Places every layer and its chain of blocks in order, so every list of items stays topological. */
function* assemble(layers: readonly NamedLayer[], blocks: Map<string, Block>, blockOf: Map<string, string>, source: BlockTree['source']): Steps<BlockTree> {
  const top: Item[] = [];
  const placed = new Set<string>();
  const place = (container: string | null, item: Item, key: string) => {
    if (placed.has(key)) return;
    placed.add(key);
    (container === null ? top : blocks.get(container)!.items).push(item);
  };
  for (const l of layers) {
    const chain: string[] = [];
    for (let b = blockOf.get(l.name) ?? null; b !== null; b = blocks.get(b)!.parent) chain.unshift(b);
    chain.forEach((b, i) => place(i === 0 ? null : chain[i - 1]!, { kind: 'block', id: b }, `B:${b}`));
    place(chain.length ? chain[chain.length - 1]! : null, { kind: 'layer', name: l.name }, `L:${l.name}`);
    yield;
  }
  for (const b of blocks.values()) {
    let depth = 1;
    for (let p = b.parent; p !== null; p = blocks.get(p)!.parent) depth++;
    b.depth = depth;
  }
  return { blocks, top, blockOf, source };
}

/** The tree the spec records: one block per distinct path prefix, keyed by the shortest suffix of its path that is unique. */
function* recordedTree(layers: readonly NamedLayer[]): Steps<BlockTree> {
  const paths = new Map<string, string[]>();
  for (const l of layers) {
    const path = l.block ?? [];
    for (let d = 1; d <= path.length; d++) {
      const key = JSON.stringify(path.slice(0, d));
      if (!paths.has(key)) paths.set(key, path.slice(0, d));
    }
    yield;
  }
  const all = [...paths.values()];
  const idOf = new Map<string, string>();
  for (const [key, path] of paths) {
    let k = 1;
    const suffix = (p: readonly string[], n: number) => p.slice(-n).join('/');
    while (k < path.length && all.some((q) => q !== path && q.length >= k && suffix(q, k) === suffix(path, k))) k++;
    idOf.set(key, suffix(path, k));
  }
  const blocks = new Map<string, Block>();
  for (const [key, path] of paths) {
    const parent = path.length > 1 ? idOf.get(JSON.stringify(path.slice(0, -1)))! : null;
    blocks.set(idOf.get(key)!, { id: idOf.get(key)!, name: path[path.length - 1]!, parent, depth: path.length, items: [], layers: [] });
  }
  const blockOf = new Map<string, string>();
  for (const l of layers) {
    const path = l.block ?? [];
    if (path.length === 0) continue;
    blockOf.set(l.name, idOf.get(JSON.stringify(path))!);
    for (let d = 1; d <= path.length; d++) blocks.get(idOf.get(JSON.stringify(path.slice(0, d)))!)!.layers.push(l.name);
    yield;
  }
  return yield* assemble(layers, blocks, blockOf, 'structure');
}

const SEPARATOR = /[_/]/g;

/** The prefixes a name offers: every cut before a separator, then the name itself. */
export function prefixesOf(name: string): string[] {
  const out: string[] = [];
  for (const m of name.matchAll(SEPARATOR)) if (m.index > 0) out.push(name.slice(0, m.index));
  out.push(name);
  return out;
}

/** True when no path from a member through a non-member returns to a member. */
function isConvex(members: Set<string>, users: Map<string, string[]>, order: Map<string, number>): boolean {
  let last = -1;
  for (const m of members) last = Math.max(last, order.get(m)!);
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const m of members) for (const u of users.get(m) ?? []) if (!members.has(u) && !seen.has(u)) (seen.add(u), stack.push(u));
  while (stack.length > 0) {
    const x = stack.pop()!;
    // Nothing after the last member can lead back into the block.
    if (order.get(x)! > last) continue;
    for (const u of users.get(x) ?? []) {
      if (members.has(u)) return false;
      if (!seen.has(u)) (seen.add(u), stack.push(u));
    }
  }
  return true;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Regions between two cut points (layers no edge jumps over) holding more than one layer: where
 * the graph branches and merges again, as an inception module does. Each enters at one layer
 * and leaves at its last, so it is convex. Names need not help: Keras' InceptionV3 calls its
 * convolutions conv2d_1 … conv2d_93, and only the merge of each module (mixed0 …) tells it apart.
 */
function branchedRegions(layers: readonly NamedLayer[], order: Map<string, number>, users: Map<string, string[]>): string[][] {
  const out: string[][] = [];
  let reach = -1;
  let lastCut = -1;
  layers.forEach((l, i) => {
    if (reach <= i) {
      if (i - lastCut >= 2 && lastCut >= 0) out.push(layers.slice(lastCut + 1, i + 1).map((x) => x.name));
      lastCut = i;
    }
    for (const u of users.get(l.name) ?? []) reach = Math.max(reach, order.get(u)!);
  });
  return out;
}

/** Blocks guessed where the spec records none: shared name prefixes first, then branched regions that no named block covers. */
function* guessedTree(layers: readonly NamedLayer[]): Steps<BlockTree> {
  const order = new Map(layers.map((l, i) => [l.name, i]));
  const users = new Map<string, string[]>();
  for (const l of layers) {
    for (const i of l.inputs) users.set(i, [...(users.get(i) ?? []), l.name]);
    yield;
  }

  const byPrefix = new Map<string, string[]>();
  for (const l of layers) {
    for (const p of prefixesOf(l.name)) byPrefix.set(p, [...(byPrefix.get(p) ?? []), l.name]);
    yield;
  }

  const candidates: Array<[string, string[]]> = [];
  for (const [prefix, members] of byPrefix) {
    if (members.length >= 2 && members.length < layers.length && isConvex(new Set(members), users, order)) candidates.push([prefix, members]);
    yield;
  }
  // Shorter prefixes first, so a candidate's parent is settled before it.
  candidates.sort((a, b) => a[0].length - b[0].length);

  const kept = new Map<string, string[]>();
  const parentOf = new Map<string, string | null>();
  for (const [prefix, members] of candidates) {
    const parent = prefixesOf(prefix).slice(0, -1).reverse().find((p) => kept.has(p)) ?? null;
    // A prefix holding exactly its parent's layers adds a box and no information: keep the longer, more telling name.
    if (parent !== null && sameSet(kept.get(parent)!, members)) {
      kept.delete(parent);
      const grand = parentOf.get(parent) ?? null;
      parentOf.delete(parent);
      for (const [child, p] of parentOf) if (p === parent) parentOf.set(child, prefix);
      kept.set(prefix, members);
      parentOf.set(prefix, grand);
      continue;
    }
    kept.set(prefix, members);
    parentOf.set(prefix, parent);
  }

  const blockOf = new Map<string, string>();
  for (const l of layers) {
    const inner = prefixesOf(l.name).reverse().find((p) => kept.has(p));
    if (inner !== undefined) blockOf.set(l.name, inner);
    yield;
  }

  const blocks = new Map<string, Block>();
  for (const [id, members] of kept) blocks.set(id, { id, name: id, parent: parentOf.get(id) ?? null, depth: 0, items: [], layers: members });
  for (const members of branchedRegions(layers, order, users)) {
    if (members.some((m) => blockOf.has(m))) continue;
    const id = members[members.length - 1]!;
    blocks.set(id, { id, name: id, parent: null, depth: 0, items: [], layers: members });
    for (const m of members) blockOf.set(m, id);
  }
  return yield* assemble(layers, blocks, blockOf, 'names');
}
