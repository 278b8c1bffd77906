/**
 * Blocks from node names, and from structure where names say nothing. convlab's names are
 * hierarchical (`conv2_block1_1_conv`), so every prefix at a `_` or `/` boundary that at least
 * two layers share is a candidate block. A candidate is kept only when it is convex (no path
 * leaves it and comes back), so collapsing it to one box can never create a cycle; Keras'
 * automatic names (`conv2d_3`, `conv2d_12`) scatter through the graph and fail that test, and
 * their branched regions become blocks named after the layer that merges them.
 */

/** A layer as the block finder sees it: its name and the names it reads. */
export interface NamedLayer {
  name: string;
  inputs: readonly string[];
}

/** One entry inside a block or at the top: a sub-block or a layer. */
export type Item = { kind: 'block'; id: string } | { kind: 'layer'; name: string };

export interface Block {
  /** The shared name prefix, e.g. `conv2_block1`. */
  id: string;
  parent: string | null;
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

/**
 * Finds the blocks of a graph whose layers are given in topological order: shared name prefixes
 * first, then branched regions that no named block covers.
 */
export function buildBlockTree(layers: readonly NamedLayer[]): BlockTree {
  const order = new Map(layers.map((l, i) => [l.name, i]));
  const users = new Map<string, string[]>();
  for (const l of layers) for (const i of l.inputs) users.set(i, [...(users.get(i) ?? []), l.name]);

  const byPrefix = new Map<string, string[]>();
  for (const l of layers) for (const p of prefixesOf(l.name)) byPrefix.set(p, [...(byPrefix.get(p) ?? []), l.name]);

  // Shorter prefixes first, so a candidate's parent is settled before it.
  const candidates = [...byPrefix.entries()]
    .filter(([, members]) => members.length >= 2 && members.length < layers.length)
    .filter(([, members]) => isConvex(new Set(members), users, order))
    .sort((a, b) => a[0].length - b[0].length);

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
  }

  const blocks = new Map<string, Block>();
  for (const [id, members] of kept) blocks.set(id, { id, parent: parentOf.get(id) ?? null, items: [], layers: members });
  for (const members of branchedRegions(layers, order, users)) {
    if (members.some((m) => blockOf.has(m))) continue;
    const id = members[members.length - 1]!;
    blocks.set(id, { id, parent: null, items: [], layers: members });
    for (const m of members) blockOf.set(m, id);
  }
  const top: Item[] = [];
  const placed = new Set<string>();
  const place = (container: string | null, item: Item, key: string) => {
    if (placed.has(key)) return;
    placed.add(key);
    (container === null ? top : blocks.get(container)!.items).push(item);
  };
  // Walking layers in order and placing each one's chain of blocks keeps every list topological.
  for (const l of layers) {
    const chain: string[] = [];
    for (let b = blockOf.get(l.name) ?? null; b !== null; b = blocks.get(b)!.parent) chain.unshift(b);
    chain.forEach((b, i) => place(i === 0 ? null : chain[i - 1]!, { kind: 'block', id: b }, `B:${b}`));
    place(chain.length ? chain[chain.length - 1]! : null, { kind: 'layer', name: l.name }, `L:${l.name}`);
  }
  return { blocks, top, blockOf };
}

/** Blocks enclosing a layer or block, outermost first. */
export function ancestorsOf(tree: BlockTree, item: Item): string[] {
  const chain: string[] = [];
  let b = item.kind === 'layer' ? tree.blockOf.get(item.name) ?? null : tree.blocks.get(item.id)?.parent ?? null;
  for (; b !== null; b = tree.blocks.get(b)!.parent) chain.unshift(b);
  return chain;
}

/** The block a layer is drawn as when `expanded` lists the open blocks: its outermost closed ancestor, or null when all are open. */
export function collapsedAncestor(tree: BlockTree, layer: string, expanded: ReadonlySet<string>): string | null {
  for (const b of ancestorsOf(tree, { kind: 'layer', name: layer })) if (!expanded.has(b)) return b;
  return null;
}

/** A block and every block inside it. */
export function subtreeOf(tree: BlockTree, id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) {
    for (const it of tree.blocks.get(out[i]!)?.items ?? []) if (it.kind === 'block') out.push(it.id);
  }
  return out;
}

/** How many boxes are drawn with `expanded` open: layers and closed blocks, not the frames of open ones. */
export function visibleCount(tree: BlockTree, expanded: ReadonlySet<string>): number {
  const count = (items: Item[]): number =>
    items.reduce((s, it) => s + (it.kind === 'layer' ? 1 : expanded.has(it.id) ? count(tree.blocks.get(it.id)!.items) : 1), 0);
  return count(tree.top);
}

/**
 * The blocks to open by default: whole levels, outermost first, while the drawing stays at or
 * under `limit` boxes. ResNet-50 opens its stages and shows its sixteen residual blocks closed.
 */
export function defaultExpansion(tree: BlockTree, limit: number): Set<string> {
  const open = new Set<string>();
  let frontier = tree.top.filter((it) => it.kind === 'block').map((it) => (it as { id: string }).id);
  while (frontier.length > 0) {
    const next = new Set([...open, ...frontier]);
    if (visibleCount(tree, next) > limit) break;
    frontier.forEach((b) => open.add(b));
    frontier = frontier.flatMap((b) => tree.blocks.get(b)!.items.filter((it) => it.kind === 'block').map((it) => (it as { id: string }).id));
  }
  return open;
}
