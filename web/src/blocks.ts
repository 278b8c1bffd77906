/**
 * How the graph view opens and closes blocks. The blocks themselves come from the report's block
 * tree (src/report/blocks.ts), the one that `summary --group`, the charts and the table use.
 */
import type { BlockTree, Item } from '../../src/report/blocks.js';

export { buildBlockTree, buildBlockTreeSteps, type Block, type BlockTree, type Item, type NamedLayer } from '../../src/report/blocks.js';

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
