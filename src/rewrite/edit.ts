/**
 * Editing a spec in place: replace a node by several, remove one, rename, and re-infer shapes
 * after a change of widths or input size. Moves work on a copy; the caller's spec is never touched.
 */
import { ConvlabError } from '../core/errors.js';
import { resolveGraph, resolveNode, type Graph } from '../graph/graph.js';
import type { AttrValue, GraphSpec, NodeSpec, Shape } from '../graph/types.js';
import { numel } from '../core/numel.js';
import { messages } from '../core/messages.js';
import { RefusedError } from './refused.js';

/** A mutable copy of a spec with the lookups moves need. */
export class SpecEdit {
  readonly spec: GraphSpec;

  constructor(spec: GraphSpec) {
    this.spec = structuredClone(spec);
  }

  /** The node called `name`; moves only ask for names they saw in the graph. */
  node(name: string): NodeSpec {
    const found = this.spec.nodes.find((n) => n.name === name);
    if (!found) throw new Error(`SpecEdit: no node ${JSON.stringify(name)}`);
    return found;
  }

  /** True when a node or input already has this name. */
  has(name: string): boolean {
    return this.spec.inputs.some((i) => i.name === name) || this.spec.nodes.some((n) => n.name === name);
  }

  /** Nodes that read the tensor `name`. */
  consumers(name: string): NodeSpec[] {
    return this.spec.nodes.filter((n) => n.inputs.includes(name));
  }

  /** True when `name` is a graph output. */
  isOutput(name: string): boolean {
    return this.spec.outputs.includes(name);
  }

  /** `base` if no node or input has that name yet, else `base_1`, `base_2`, ... */
  fresh(base: string, taken: ReadonlySet<string> = new Set()): string {
    if (!this.has(base) && !taken.has(base)) return base;
    for (let i = 1; ; i++) {
      const candidate = `${base}_${i}`;
      if (!this.has(candidate) && !taken.has(candidate)) return candidate;
    }
  }

  /** Points every reader of `from` (nodes and graph outputs) at `to`. */
  rewire(from: string, to: string, except: ReadonlySet<string> = new Set()): void {
    for (const n of this.spec.nodes) {
      if (except.has(n.name)) continue;
      n.inputs = n.inputs.map((i) => (i === from ? to : i));
    }
    this.spec.outputs = this.spec.outputs.map((o) => (o === from ? to : o));
  }

  /** Replaces node `name` by `nodes` (placed where it stood, in its block); readers of `name` now read `exit`. */
  replace(name: string, nodes: NodeSpec[], exit: string): void {
    const at = this.spec.nodes.findIndex((n) => n.name === name);
    this.spec.nodes.splice(at, 1, ...inBlock(nodes, this.spec.nodes[at]!));
    if (exit !== name) this.rewire(name, exit, new Set(nodes.map((n) => n.name)));
  }

  /** Inserts `nodes` just before node `anchor` in spec order (order only matters for reading), in its block. */
  insertBefore(anchor: string, nodes: NodeSpec[]): void {
    const at = this.spec.nodes.findIndex((n) => n.name === anchor);
    this.spec.nodes.splice(at, 0, ...inBlock(nodes, this.spec.nodes[at]!));
  }

  /** Removes a single-input node; its readers read its input instead. */
  remove(name: string): void {
    const node = this.node(name);
    this.spec.nodes = this.spec.nodes.filter((n) => n !== node);
    this.rewire(name, node.inputs[0]!);
  }

  /** Deletes nodes without rewiring: the caller has pointed their readers elsewhere. */
  drop(names: ReadonlySet<string>): void {
    this.spec.nodes = this.spec.nodes.filter((n) => !names.has(n.name));
  }

  /** Inserts `nodes` right after the last of `after` in spec order. */
  insertAfter(after: ReadonlySet<string>, nodes: NodeSpec[]): void {
    let at = -1;
    this.spec.nodes.forEach((n, i) => {
      if (after.has(n.name)) at = i;
    });
    this.spec.nodes.splice(at + 1, 0, ...nodes);
  }

  /** Renames a node and every reference to it. */
  rename(from: string, to: string): void {
    this.node(from).name = to;
    this.rewire(from, to);
  }
}

/** New nodes take the block of the node they stand in for, unless they say their own: a rewritten layer stays in its residual block. */
function inBlock(nodes: NodeSpec[], site: NodeSpec): NodeSpec[] {
  if (!site.block) return nodes;
  return nodes.map((n) => (n.block ? n : { ...n, block: [...site.block!] }));
}

/** What follows a conv or dense layer: a BatchNorm that only it feeds, and the nonlinearity after them. */
export interface Tail {
  /** A BatchNorm reading only this layer's output. */
  bn?: NodeSpec;
  /** An Activation node right after the layer (or after its BatchNorm). */
  act?: NodeSpec;
}

/** The one node reading `name`, if exactly one does and `name` is not a graph output. */
function soleConsumer(edit: SpecEdit, name: string): NodeSpec | undefined {
  const users = edit.consumers(name);
  return users.length === 1 && !edit.isOutput(name) ? users[0] : undefined;
}

/** Finds the normalization and nonlinearity a layer is followed by, as MobileNet and ResNet write them. */
export function tailOf(edit: SpecEdit, name: string): Tail {
  const next = soleConsumer(edit, name);
  const bn = next?.op === 'BatchNorm' ? next : undefined;
  const after = bn ? soleConsumer(edit, bn.name) : next;
  const act = after?.op === 'Activation' ? after : undefined;
  return { ...(bn ? { bn } : {}), ...(act ? { act } : {}) };
}

/**
 * The nodes that give a layer inserted before `tail`'s owner the same normalization and
 * nonlinearity: copies of its BatchNorm and of its Activation node, in that order. The inserted
 * layer itself takes the owner's bias and fused activation. Returns the copies and the tensor the
 * next layer should read.
 */
export function innerTail(edit: SpecEdit, tail: Tail, layer: string, taken: Set<string>): { nodes: NodeSpec[]; exit: string } {
  const nodes: NodeSpec[] = [];
  let exit = layer;
  for (const [copy, suffix] of [[tail.bn, 'bn'], [tail.act, tail.act?.attrs?.fn]] as const) {
    if (!copy) continue;
    const name = edit.fresh(`${layer}_${String(suffix)}`, taken);
    taken.add(name);
    nodes.push({ name, op: copy.op, inputs: [exit], attrs: { ...(copy.attrs ?? {}) } });
    exit = name;
  }
  return { nodes, exit };
}

/** Resolves a rewritten spec (see reinfer), turning a misfit into the move's refusal naming the node. */
export function refit(move: string, spec: GraphSpec): Graph {
  try {
    return reinfer(spec);
  } catch (e) {
    if (e instanceof ConvlabError) throw new RefusedError(move, messages.misfit(move, e.message), e.node);
    throw e;
  }
}

/** A copy of a node's raw attrs with some replaced; `undefined` values drop the key. */
export function withAttrs(node: NodeSpec, changes: Record<string, AttrValue | undefined>): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = { ...(node.attrs ?? {}) };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * A Reshape whose input changed size keeps its leading dims and takes the rest in the last one:
 * `[1, 1, C]` after a global pool becomes `[1, 1, C']`. Undefined when that does not divide.
 */
function adaptedTarget(target: readonly number[], input: Shape): number[] | undefined {
  if (target.length === 0 || target.includes(-1)) return undefined;
  const lead = target.slice(0, -1);
  const last = numel(input) / numel(lead);
  return Number.isInteger(last) && last > 0 ? [...lead, last] : undefined;
}

/**
 * Resolves a spec whose widths or input size a move changed. Shapes flow again from the input;
 * a Reshape that no longer fits is adapted in place (see adaptedTarget). Any other misfit is the
 * resolver's own error, naming the node.
 */
export function reinfer(spec: GraphSpec): Graph {
  const shapes = new Map<string, Shape>(spec.inputs.map((i) => [i.name, i.shape]));
  for (const node of dependencyOrder(spec)) {
    const inputs = node.inputs.map((i) => shapes.get(i));
    if (!inputs.every((x): x is Shape => x !== undefined)) break;
    try {
      shapes.set(node.name, resolveNode(node, inputs).outputShape);
    } catch (e) {
      const target = node.op === 'Reshape' && e instanceof ConvlabError ? adaptedTarget((node.attrs?.shape as number[] | undefined) ?? [], inputs[0]!) : undefined;
      // Anything else is left for resolveGraph to report, in its own words.
      if (!target) break;
      node.attrs = { ...(node.attrs ?? {}), shape: target };
      shapes.set(node.name, target);
    }
  }
  return resolveGraph(spec);
}

/** The nodes with every producer before its readers (spec order where it allows); nodes on a cycle are left out. */
function dependencyOrder(spec: GraphSpec): NodeSpec[] {
  const pending = new Map(spec.nodes.map((n) => [n.name, 0]));
  const readers = new Map<string, NodeSpec[]>();
  for (const n of spec.nodes) {
    for (const i of n.inputs) {
      if (!pending.has(i)) continue;
      pending.set(n.name, pending.get(n.name)! + 1);
      readers.set(i, [...(readers.get(i) ?? []), n]);
    }
  }
  const order = spec.nodes.filter((n) => pending.get(n.name) === 0);
  for (let k = 0; k < order.length; k++) {
    for (const r of readers.get(order[k]!.name) ?? []) {
      const left = pending.get(r.name)! - 1;
      pending.set(r.name, left);
      if (left === 0) order.push(r);
    }
  }
  return order;
}
