/**
 * Validation and shape inference: turns an untrusted spec into a resolved graph whose nodes are
 * in topological order with normalized attrs and known shapes. Every failure is a ConvlabError
 * naming the node and attribute.
 */
import { coerceAttrs } from '../ops/attrs.js';
import { isOpType, OP_TYPES, OPS, type OpAttrs } from '../ops/index.js';
import type { AnyOpDef, OpType } from '../ops/types.js';
import { AttributeError, ConvlabError, OpRuleError, ShapeError, SpecError } from '../core/errors.js';
import { atNode, messages } from '../core/messages.js';
import { closest } from '../core/suggest.js';
import { complete, type Steps } from '../core/steps.js';
import type { GraphSpec, InputSpec, NodeSpec, Shape } from './types.js';

/** A validated node: op rules attached, attrs normalized, shapes known. */
export interface ResolvedNode {
  name: string;
  op: OpType;
  def: AnyOpDef;
  inputs: string[];
  /** Normalized attrs (defaults filled), including `trainable`. */
  attrs: Record<string, unknown> & { trainable: boolean };
  inputShapes: Shape[];
  outputShape: Shape;
  /** The nested blocks the node belongs to, outermost first; empty when the spec records none. */
  block: string[];
}

/** A resolved node of one op type, its attrs typed as that op's: what per-op tables (lowerings) see. */
export type NodeOf<K extends OpType> = ResolvedNode & { op: K; attrs: OpAttrs<K> & { trainable: boolean } };

/** A validated graph, nodes in topological order. */
export interface Graph {
  name: string;
  inputs: InputSpec[];
  nodes: ResolvedNode[];
  outputs: string[];
  /** Shape of every named tensor (inputs and nodes). */
  shapes: Map<string, Shape>;
  spec: GraphSpec;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isShape = (x: unknown): x is Shape =>
  Array.isArray(x) && x.length > 0 && x.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0);

/** Checks the JSON structure of a spec without looking at ops. */
export function checkSpecStructure(raw: unknown): GraphSpec {
  if (!isObj(raw)) throw new SpecError(messages.specNotObject(raw));
  if (typeof raw.name !== 'string') throw new SpecError(messages.specField('name', 'a string', raw.name));
  if (!Array.isArray(raw.inputs) || raw.inputs.length === 0) throw new SpecError(messages.specField('inputs', 'a non-empty list', raw.inputs));
  if (!Array.isArray(raw.nodes)) throw new SpecError(messages.specField('nodes', 'a list', raw.nodes));
  if (!Array.isArray(raw.outputs) || !raw.outputs.every((o) => typeof o === 'string')) {
    throw new SpecError(messages.specField('outputs', 'a list of node names', raw.outputs));
  }
  if (raw.outputs.length === 0) throw new SpecError(messages.noOutputs());
  raw.inputs.forEach((inp, i) => {
    if (!isObj(inp) || typeof inp.name !== 'string') throw new SpecError(messages.specField(`inputs[${i}].name`, 'a string', isObj(inp) ? inp.name : inp));
    if (!isShape(inp.shape)) throw new SpecError(messages.graphInputShape(inp.name, inp.shape), { node: inp.name });
  });
  raw.nodes.forEach((node, i) => {
    if (!isObj(node)) throw new SpecError(messages.nodeField(i, '', 'an object', node));
    if (typeof node.name !== 'string' || node.name === '') throw new SpecError(messages.nodeField(i, 'name', 'a non-empty string', node.name));
    if (typeof node.op !== 'string') throw new SpecError(messages.nodeField(i, 'op', 'a string', node.op), { node: node.name });
    if (!Array.isArray(node.inputs) || !node.inputs.every((x) => typeof x === 'string')) {
      throw new SpecError(messages.nodeField(i, 'inputs', 'a list of names', node.inputs), { node: node.name });
    }
    if (node.attrs !== undefined && !isObj(node.attrs)) throw new SpecError(messages.nodeField(i, 'attrs', 'an object', node.attrs), { node: node.name });
    if (node.block !== undefined && !(Array.isArray(node.block) && node.block.every((x) => typeof x === 'string' && x !== ''))) {
      throw new SpecError(messages.nodeField(i, 'block', 'a list of non-empty block names', node.block), { node: node.name });
    }
  });
  return raw as unknown as GraphSpec;
}

/** Orders nodes so every input comes first; reports dangling inputs and cycles by name. Yields after each node of each pass. */
function* topoSort(spec: GraphSpec): Steps<NodeSpec[]> {
  const known = new Set(spec.inputs.map((i) => i.name));
  const byName = new Map<string, NodeSpec>();
  for (const name of known) if (spec.inputs.filter((i) => i.name === name).length > 1) throw new SpecError(messages.duplicateName(name), { node: name });
  for (const node of spec.nodes) {
    if (known.has(node.name) || byName.has(node.name)) throw new SpecError(atNode(node.name, node.op, messages.duplicateName(node.name)), { node: node.name });
    byName.set(node.name, node);
    yield;
  }
  for (const node of spec.nodes) {
    for (const inp of node.inputs) {
      if (!known.has(inp) && !byName.has(inp)) throw new SpecError(atNode(node.name, node.op, messages.danglingInput(inp)), { node: node.name });
    }
    yield;
  }
  // Kahn's algorithm, stable in spec order.
  const pending = new Map<string, number>();
  const users = new Map<string, NodeSpec[]>();
  for (const node of spec.nodes) {
    const deps = node.inputs.filter((i) => byName.has(i));
    pending.set(node.name, deps.length);
    for (const d of deps) users.set(d, [...(users.get(d) ?? []), node]);
    yield;
  }
  const order: NodeSpec[] = [];
  const ready = spec.nodes.filter((n) => pending.get(n.name) === 0);
  const done = new Set<string>();
  let head = 0;
  while (head < ready.length) {
    const node = ready[head++]!;
    if (done.has(node.name)) continue;
    done.add(node.name);
    order.push(node);
    yield;
    for (const u of users.get(node.name) ?? []) {
      const left = pending.get(u.name)! - 1;
      pending.set(u.name, left);
      if (left === 0) ready.push(u);
    }
  }
  if (order.length < spec.nodes.length) {
    const stuck = spec.nodes.filter((n) => !done.has(n.name));
    throw new SpecError(messages.cycle(findCycle(stuck, byName)), { node: stuck[0]!.name });
  }
  return order;
}

/** The nodes of one cycle among `stuck`, in data-flow order, the first repeated at the end. */
function findCycle(stuck: NodeSpec[], byName: Map<string, NodeSpec>): string[] {
  const stuckSet = new Set(stuck.map((n) => n.name));
  let cur = stuck[0]!;
  const seen: string[] = [];
  while (!seen.includes(cur.name)) {
    seen.push(cur.name);
    const next = cur.inputs.find((i) => stuckSet.has(i));
    if (!next) break;
    cur = byName.get(next)!;
  }
  // `seen` follows inputs, against the data flow; the loop is reversed and rotated to start where
  // it was entered, then closed, so a→b→a reads as a feeds b, b feeds a.
  const loop = seen.slice(Math.max(seen.indexOf(cur.name), 0)).reverse();
  const start = loop.indexOf(cur.name);
  const ordered = [...loop.slice(start), ...loop.slice(0, start)];
  return [...ordered, ordered[0]!];
}

/** Resolves one node: checks op, arity and attrs, and infers its output shape. */
export function resolveNode(node: NodeSpec, inputShapes: Shape[]): ResolvedNode {
  if (!isOpType(node.op)) {
    throw new SpecError(atNode(node.name, node.op, messages.unknownOp(node.op, OP_TYPES, closest(node.op, OP_TYPES))), { node: node.name });
  }
  const def: AnyOpDef = OPS[node.op];
  const [min, max] = def.arity;
  if (node.inputs.length < min || node.inputs.length > max) {
    throw new SpecError(atNode(node.name, node.op, messages.arity(min === max ? `${min}` : `${min} to ${max}`, node.inputs.length)), { node: node.name });
  }
  try {
    const attrs = coerceAttrs(def, node.attrs);
    const outputShape = def.inferShape(inputShapes, attrs, node.inputs);
    if (outputShape.some((d) => !(d > 0) || !Number.isInteger(d))) {
      throw new OpRuleError('shape', messages.reshapeSize(inputShapes[0] ?? [], outputShape));
    }
    return { name: node.name, op: node.op, def, inputs: [...node.inputs], attrs, inputShapes, outputShape, block: [...(node.block ?? [])] };
  } catch (e) {
    if (e instanceof OpRuleError) {
      const where = { node: node.name, ...(e.attribute !== undefined ? { attribute: e.attribute } : {}) };
      const text = atNode(node.name, node.op, e.message);
      throw e.kind === 'shape' ? new ShapeError(text, where) : new AttributeError(text, where);
    }
    throw e;
  }
}

/** Validates a spec (any JSON value) and infers every shape. */
export function resolveGraph(raw: unknown): Graph {
  return complete(resolveGraphSteps(raw));
}

/** resolveGraph cut into steps: it yields after checking the structure and after each node sorted and resolved. */
export function* resolveGraphSteps(raw: unknown): Steps<Graph> {
  const spec = checkSpecStructure(raw);
  yield;
  const order = yield* topoSort(spec);
  const shapes = new Map<string, Shape>();
  for (const inp of spec.inputs) shapes.set(inp.name, [...inp.shape]);
  const nodes: ResolvedNode[] = [];
  for (const node of order) {
    const resolved = resolveNode(node, node.inputs.map((i) => shapes.get(i)!));
    shapes.set(node.name, resolved.outputShape);
    nodes.push(resolved);
    yield;
  }
  for (const out of spec.outputs) if (!shapes.has(out)) throw new SpecError(messages.unknownOutput(out), { node: out });
  return { name: spec.name, inputs: spec.inputs.map((i) => ({ name: i.name, shape: [...i.shape] })), nodes, outputs: [...spec.outputs], shapes, spec };
}

/** Parses JSON text into a resolved graph; `file` names the source in errors. */
export function parseSpec(text: string, file = 'spec'): Graph {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SpecError(messages.notJson(file, (e as Error).message));
  }
  return resolveGraph(raw);
}

/** True for any convlab error (as opposed to a bug). */
export const isConvlabError = (e: unknown): e is ConvlabError => e instanceof ConvlabError;
