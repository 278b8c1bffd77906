/**
 * `depth=d`: every stage's count of repeated blocks × d, rounded up, as EfficientNet's
 * round_repeats. Stages are found from the names a zoo builder gives its blocks (ModelMeta.blocks):
 * a stage grows by copies of its last block that keeps its shape, named as the builder would
 * name them, and shrinks by dropping such blocks (never its first).
 */
import { ConvlabError } from '../core/errors.js';
import { resolveGraph, type Graph } from '../graph/graph.js';
import type { GraphSpec, NodeSpec } from '../graph/types.js';
import { getEntry, hasModel, listModels, type BlockNaming } from '../zoo/registry.js';
import { numberArg } from './args.js';
import { reinfer, SpecEdit } from './edit.js';
import { messages } from '../core/messages.js';
import { MoveName, type Change, type ModelMove } from './types.js';
import { RefusedError } from './refused.js';

/** Where a node sits: its stage, its block's index within the stage, and the rest of its name. */
interface Place {
  stage: string;
  index: number;
  rest: string;
}

/** One repeated block: its index and nodes (spec order). */
interface Block {
  index: number;
  nodes: string[];
}

/** A block that reads one tensor from outside (`entry`) and gives one (`exit`): it can be copied or removed. */
interface Bounded extends Block {
  entry: string;
  exit: string;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads and writes node names through a builder's block template. */
export class BlockNames {
  private readonly re: RegExp;
  private readonly order: string[];

  constructor(private readonly naming: BlockNaming) {
    const parts = naming.template.split(/(\{stage\}|\{index\}|\{rest\})/);
    const group: Record<string, string> = { '{stage}': '(\\d+)', '{index}': naming.index === 'letter' ? '([a-z])' : '(\\d+)', '{rest}': '(.*)' };
    this.order = parts.filter((p) => p in group);
    this.re = new RegExp(`^${parts.map((p) => group[p] ?? escapeRe(p)).join('')}$`);
  }

  /** The place of a node in a block, or undefined when its name is not a block's. */
  parse(name: string): Place | undefined {
    const m = this.re.exec(name);
    if (!m) return undefined;
    const at = (key: string) => m[this.order.indexOf(key) + 1] ?? '';
    const idx = at('{index}');
    return { stage: at('{stage}'), index: this.naming.index === 'letter' ? idx.charCodeAt(0) - 97 : Number(idx), rest: at('{rest}') };
  }

  /** The name the builder gives node `rest` of block `index` in `stage`. */
  format(stage: string, index: number, rest: string): string {
    const idx = this.naming.index === 'letter' ? String.fromCharCode(97 + index) : String(index);
    return this.naming.template.replace('{stage}', stage).replace('{index}', idx).replace('{rest}', rest);
  }

  /** How tables name a whole block: `conv2_block4`, `block2c`, `layer1.3`. */
  label(stage: string, index: number): string {
    return this.format(stage, index, '').replace(/[_.]+$/, '');
  }
}

/** The block naming of a zoo model's builder, when the spec came from the zoo and the builder names its blocks. */
export function blockNamingOf(spec: GraphSpec): BlockNaming | undefined {
  const id = spec.meta?.zoo;
  return typeof id === 'string' && hasModel(id) ? getEntry(id).meta.blocks : undefined;
}

/** Stages in the order they appear, each with its blocks by index. */
function stagesOf(spec: GraphSpec, names: BlockNames): Map<string, Map<number, string[]>> {
  const stages = new Map<string, Map<number, string[]>>();
  for (const n of spec.nodes) {
    const p = names.parse(n.name);
    if (!p) continue;
    const blocks = stages.get(p.stage) ?? new Map<number, string[]>();
    blocks.set(p.index, [...(blocks.get(p.index) ?? []), n.name]);
    stages.set(p.stage, blocks);
  }
  return stages;
}

/** A block with its entry and exit, or the reason it has more than one of either. */
function bounded(spec: GraphSpec, b: Block, label: string): Bounded | string {
  const inside = new Set(b.nodes);
  const entries = new Set(spec.nodes.filter((n) => inside.has(n.name)).flatMap((n) => n.inputs.filter((i) => !inside.has(i))));
  const exits = b.nodes.filter((n) => spec.outputs.includes(n) || spec.nodes.some((u) => !inside.has(u.name) && u.inputs.includes(n)));
  if (entries.size !== 1 || exits.length !== 1) return messages.blockBoundary(label, entries.size, exits.length);
  return { ...b, entry: [...entries][0]!, exit: exits[0]! };
}

/** How well a block repeats: 2 when it keeps its shape, 1 when only its height and width, 0 otherwise. */
function keeps(g: Graph, b: Bounded): number {
  const [x, y] = [g.shapes.get(b.entry)!, g.shapes.get(b.exit)!];
  if (JSON.stringify(x) === JSON.stringify(y)) return 2;
  return x.length === 3 && y.length === 3 && x[0] === y[0] && x[1] === y[1] ? 1 : 0;
}

/** What one stage's change did. */
interface StageResult {
  changes: Change[];
  renamed: Record<string, string>;
}

/** Renames every node of a block to another index. */
function renumber(edit: SpecEdit, names: BlockNames, stage: string, b: Block, index: number, renamed: Record<string, string>): void {
  const from = names.label(stage, b.index);
  for (const n of b.nodes) {
    const to = names.format(stage, index, names.parse(n)!.rest);
    relabel(edit.node(n), from, names.label(stage, index));
    edit.rename(n, to);
    renamed[n] = to;
  }
}

/** Renames block `from` to `to` in a node's recorded blocks, so a renumbered or copied block is recorded under its new name. */
function relabel(node: NodeSpec, from: string, to: string): NodeSpec {
  if (node.block) node.block = node.block.map((b) => (b === from ? to : b));
  return node;
}

/** The blocks that can be copied or removed, last first, best repeating first among equals; throws when there are none. */
function candidates(edit: SpecEdit, graph: Graph, names: BlockNames, stage: string, blocks: Block[]): Bounded[] {
  const found = [...blocks].reverse().map((b) => bounded(edit.spec, b, names.label(stage, b.index)));
  const ok = found.filter((b): b is Bounded => typeof b !== 'string');
  if (ok.length === 0) throw new RefusedError(MoveName.depth, found[0] as string);
  return ok.sort((a, b) => keeps(graph, b) - keeps(graph, a));
}

/**
 * Adds `count` copies of the stage's last block that keeps its shape (or at least its height and
 * width, as a dense block does) right after it; later blocks move up.
 */
function grow(edit: SpecEdit, graph: Graph, names: BlockNames, stage: string, blocks: Block[], count: number): StageResult {
  const template = candidates(edit, graph, names, stage, blocks)[0]!;
  const renamed: Record<string, string> = {};
  for (const b of blocks.filter((x) => x.index > template.index).reverse()) renumber(edit, names, stage, b, b.index + count, renamed);
  const inside = new Set(template.nodes);
  const copies: NodeSpec[] = [];
  const changes: Change[] = [];
  let prev = template.exit;
  for (let j = 1; j <= count; j++) {
    const index = template.index + j;
    const map = new Map(template.nodes.map((n) => [n, names.format(stage, index, names.parse(n)!.rest)]));
    const made = template.nodes.map((n): NodeSpec => {
      const src = edit.node(n);
      const copy = { ...structuredClone(src), name: map.get(n)!, inputs: src.inputs.map((i) => (inside.has(i) ? map.get(i)! : prev)) };
      return relabel(copy, names.label(stage, template.index), names.label(stage, index));
    });
    copies.push(...made);
    prev = map.get(template.exit)!;
    changes.push({
      label: names.label(stage, index),
      detail: `added, a copy of ${names.label(stage, template.index)}`,
      from: [],
      to: made.map((n) => n.name),
    });
  }
  edit.insertAfter(inside, copies);
  edit.rewire(template.exit, prev, new Set([...inside, ...copies.map((n) => n.name)]));
  return { changes, renamed };
}

/**
 * Drops `count` blocks that keep their height and width from the end of the stage (never its
 * first); later blocks close the gap.
 */
function shrink(edit: SpecEdit, graph: Graph, names: BlockNames, stage: string, blocks: Block[], count: number): StageResult {
  const first = blocks[0]!.index;
  const removable = candidates(edit, graph, names, stage, blocks).filter((b) => b.index !== first && keeps(graph, b) > 0);
  if (removable.length < count) throw new RefusedError(MoveName.depth, messages.noRemovable(names.label(stage, first)));
  const gone = new Set(removable.sort((a, b) => a.index - b.index).slice(-count).map((b) => b.index));
  const changes: Change[] = [];
  for (const b of removable.filter((x) => gone.has(x.index)).reverse()) {
    edit.rewire(b.exit, b.entry);
    edit.drop(new Set(b.nodes));
    changes.unshift({ label: names.label(stage, b.index), detail: 'removed', from: b.nodes, to: [] });
  }
  const renamed: Record<string, string> = {};
  blocks.filter((b) => !gone.has(b.index)).forEach((b, i) => {
    if (b.index !== first + i) renumber(edit, names, stage, b, first + i, renamed);
  });
  return { changes, renamed };
}

const DEPTH_ARG = { kind: 'number', min: 0, max: 8, openMin: true, example: 'depth=2' } as const;

/** Families whose builders name their blocks, for the refusal message. */
const stagedFamilies = () => [...new Set(listModels().filter((m) => m.blocks).map((m) => m.family))];

export const depth: ModelMove<number> = {
  name: MoveName.depth,
  scope: 'model',
  doc: 'each stage’s count of repeated blocks × d, rounded up (zoo models whose builder names its blocks)',
  claim: 'deeper stages buy accuracy at a cost that grows linearly with d',
  arg: DEPTH_ARG,
  parse: numberArg(MoveName.depth, DEPTH_ARG),
  apply(spec, d) {
    const naming = blockNamingOf(spec);
    if (!naming) throw new RefusedError(MoveName.depth, messages.noStages(spec.name, stagedFamilies()));
    const names = new BlockNames(naming);
    let current = spec;
    const changes: Change[] = [];
    const notes: string[] = [];
    const renamed: Record<string, string> = {};
    for (const [stage, byIndex] of stagesOf(spec, names)) {
      const graph = resolveGraph(current);
      const edit = new SpecEdit(current);
      const indices = [...byIndex.keys()].sort((a, b) => a - b);
      const target = Math.ceil(indices.length * d - 1e-9);
      if (target === indices.length) continue;
      try {
        const blocks = indices.map((index) => ({ index, nodes: byIndex.get(index)! }));
        const step = target > blocks.length
          ? grow(edit, graph, names, stage, blocks, target - blocks.length)
          : shrink(edit, graph, names, stage, blocks, blocks.length - target);
        reinfer(edit.spec);
        changes.push(...step.changes);
        Object.assign(renamed, step.renamed);
        current = edit.spec;
      } catch (e) {
        if (!(e instanceof ConvlabError)) throw e;
        notes.push(messages.stageKept(names.label(stage, indices[0]!), indices.length, e.message));
      }
    }
    if (changes.length === 0) {
      throw new RefusedError(MoveName.depth, notes[0] ?? messages.nothingChanged(MoveName.depth, spec.name, messages.sameDepth(d)));
    }
    return { spec: current, changes, notes, renamed };
  },
};
