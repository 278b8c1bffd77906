/**
 * The graph view's outline: how any graph, however large, opens with a drawing a person can read
 * and a layout engine can finish. A level (the top, or the inside of a block) holding more items
 * than a drawing shows at once is folded into ranges of consecutive items, ranges of ranges when
 * need be, so no level ever offers more than `RANGE_SIZE` boxes. Opening blocks is bounded too:
 * a drawing never holds more than `DRAW_LIMIT` boxes, and whatever would pass it stays closed.
 */
import { complete, type Steps } from '../../src/core/steps.js';
import { subtreeOf, visibleCount, type Block, type BlockTree, type Item } from './blocks.js';

/** Most items one range holds, and most items a level shows before it is folded into ranges. */
export const RANGE_SIZE = 100;

/**
 * Boxes up to which a first view opens whole levels: ResNet-50 opens its stages and shows its
 * sixteen residual blocks closed. A level it cannot open holds at most RANGE_SIZE items, so no
 * first view draws more than the larger of the two.
 */
export const FIRST_VIEW_LIMIT = 90;

/** Most boxes the graph view draws at once: past it layout takes seconds and nobody reads the boxes. */
export const DRAW_LIMIT = 2000;

/** A block tree with its long levels folded into ranges; `ranges` holds the ids of the ranges added. */
export interface Outline {
  tree: BlockTree;
  ranges: ReadonlySet<string>;
}

/** The first and last layer of an item, in topological order. */
function ends(tree: BlockTree, item: Item): [string, string] {
  if (item.kind === 'layer') return [item.name, item.name];
  const layers = tree.blocks.get(item.id)!.layers;
  return [layers[0]!, layers[layers.length - 1]!];
}

/** A range's id and name: its first and last layer. Ranges partition the layers, so no two share both. */
export const rangeId = (first: string, last: string): string => `${first} … ${last}`;

/**
 * Folds every level of `tree` holding more than `size` items into consecutive ranges of at most
 * `size` items, repeating on the ranges until the level fits. Consecutive items of a topological
 * list stay in topological order, and the blocks and layers inside keep their own nesting.
 * The tree given is not changed.
 */
export function withRanges(tree: BlockTree, size = RANGE_SIZE): Outline {
  return complete(withRangesSteps(tree, size));
}

/** withRanges cut into steps: it yields after each block copied, each range made and each block's depth. */
export function* withRangesSteps(tree: BlockTree, size = RANGE_SIZE): Steps<Outline> {
  const blocks = new Map<string, Block>();
  for (const [id, b] of tree.blocks) {
    blocks.set(id, { ...b, items: [...b.items] });
    yield;
  }
  const blockOf = new Map(tree.blockOf);
  yield;
  const out: BlockTree = { ...tree, blocks, blockOf, top: [...tree.top] };
  const ranges = new Set<string>();

  function* fold(items: Item[], parent: string | null): Steps<Item[]> {
    let level = items;
    while (level.length > size) {
      // Balanced: the ranges differ by one item at most, so none is left with a stray item or two.
      const groups = Math.ceil(level.length / size);
      const next: Item[] = [];
      for (let g = 0; g < groups; g++) {
        const members = level.slice(Math.floor((g * level.length) / groups), Math.floor(((g + 1) * level.length) / groups));
        const id = rangeId(ends(out, members[0]!)[0], ends(out, members[members.length - 1]!)[1]);
        const layers: string[] = [];
        for (const m of members) {
          if (m.kind === 'layer') {
            layers.push(m.name);
            blockOf.set(m.name, id);
          } else {
            for (const l of blocks.get(m.id)!.layers) layers.push(l);
            blocks.get(m.id)!.parent = id;
          }
        }
        blocks.set(id, { id, name: id, parent, depth: 0, items: members, layers });
        ranges.add(id);
        next.push({ kind: 'block', id });
        yield;
      }
      level = next;
    }
    return level;
  }

  // Blocks first (a copy of the list, since folding adds ranges to the map), then the top.
  for (const b of [...blocks.values()]) if (b.items.length > size) b.items = yield* fold(b.items, b.id);
  out.top = yield* fold(out.top, null);
  // A range deepens everything it holds by one level.
  for (const b of blocks.values()) {
    let depth = 1;
    for (let p = b.parent; p !== null; p = blocks.get(p)!.parent) depth++;
    b.depth = depth;
    yield;
  }
  return { tree: out, ranges };
}

/** The blocks directly inside a list of items. */
const blocksIn = (tree: BlockTree, items: readonly Item[]): string[] => items.flatMap((it) => (it.kind === 'block' && tree.blocks.has(it.id) ? [it.id] : []));

/** What opening blocks gives: the open blocks, and whether some stayed closed to keep under the limit. */
export interface Opening {
  open: Set<string>;
  /** True when every block asked for is open with everything inside it. */
  complete: boolean;
}

/**
 * Opens `start` and then the levels below it, outermost first, while the drawing stays at or
 * under `limit` boxes. A level that does not fit whole stays closed, or with `partial`, opens
 * block by block in graph order as far as the limit allows. Opening a block trades its box for
 * the items inside it, so the count is kept as it goes. Returns the open blocks and whether
 * everything below `start` is open.
 */
function openLevels(tree: BlockTree, expanded: ReadonlySet<string>, start: string[], limit: number, partial: boolean): Opening {
  const open = new Set(expanded);
  let boxes = visibleCount(tree, open);
  const gain = (b: string) => tree.blocks.get(b)!.items.length - 1;
  let frontier = start;
  while (frontier.length > 0) {
    // Blocks of this level already open cost nothing, but what they hold is the next level too.
    const closed = frontier.filter((b) => !open.has(b));
    const whole = closed.reduce((s, b) => s + gain(b), 0);
    if (boxes + whole > limit) {
      if (partial) for (const b of closed) {
        if (boxes + gain(b) > limit) break;
        open.add(b);
        boxes += gain(b);
      }
      return { open, complete: false };
    }
    closed.forEach((b) => open.add(b));
    boxes += whole;
    frontier = frontier.flatMap((b) => blocksIn(tree, tree.blocks.get(b)!.items));
  }
  // Blocks already open may hide closed ones deeper down.
  const closedBelow = start.some((b) => subtreeOf(tree, b).some((x) => !open.has(x)));
  return { open, complete: !closedBelow };
}

/** The blocks open in a first view: whole levels, outermost first, while at most `limit` boxes are drawn. */
export function defaultExpansion(tree: BlockTree, limit = FIRST_VIEW_LIMIT): Set<string> {
  return openLevels(tree, new Set(), blocksIn(tree, tree.top), limit, false).open;
}

/** Opens every block, level by level and then block by block, as far as `limit` boxes allow. */
export function expandAll(tree: BlockTree, limit = DRAW_LIMIT): Opening {
  return openLevels(tree, new Set(), blocksIn(tree, tree.top), limit, true);
}

/**
 * Opens a block, then the blocks inside it level by level, while the drawing stays at or under
 * `limit` boxes; a block that would pass the limit on its own stays closed.
 */
export function openBlock(tree: BlockTree, expanded: ReadonlySet<string>, block: string, limit = DRAW_LIMIT): Opening {
  return openLevels(tree, expanded, [block], limit, true);
}
