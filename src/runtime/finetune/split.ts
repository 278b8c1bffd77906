/**
 * Where fine-tuning cuts a model: the frozen base (run once per image, its output cached) and
 * the head trained on that output. Without `--head` the head is the model's own classifier and
 * what follows it (headNodes); with one, the base ends at the last feature map on the path to the
 * output (Keras' include_top=False) and the head is built from the items given
 * (`gap,dense:256,dropout:0.5`), ending in a softmax classifier.
 */
import { UsageError } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import type { ImageShape } from '../../data/types.js';
import { resolveGraph, type Graph } from '../../graph/graph.js';
import type { GraphSpec, NodeSpec } from '../../graph/types.js';
import { ACTIVATIONS } from '../../ops/types.js';
import { headNodes } from '../tfjs/transfer.js';

/** One layer of a new head. */
export type HeadItem =
  | { kind: 'gap' | 'gmp' | 'flatten' }
  | { kind: 'dense'; units: number; activation: string }
  | { kind: 'dropout'; rate: number };


/** Parses `gap,dense:256,dropout:0.5` (also gmp, flatten, dense:N:activation); the classifier is not listed, it is always added last. */
export function parseHead(text: string): HeadItem[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(messages.headSyntax(text, '', 'is empty'));
  return items.map((item): HeadItem => {
    const [kind, ...args] = item.split(':');
    const bad = (why: string) => new UsageError(messages.headSyntax(text, item, why));
    if (kind === 'gap' || kind === 'gmp' || kind === 'flatten') {
      if (args.length) throw bad('takes no argument');
      return { kind };
    }
    if (kind === 'dense') {
      const units = Number(args[0]);
      if (args.length < 1 || args.length > 2 || !/^\d+$/.test(args[0]!) || units < 1) throw bad('needs a positive number of units (dense:256)');
      const activation = args[1] ?? 'relu';
      if (!(ACTIVATIONS as readonly string[]).includes(activation)) throw bad(`has an unknown activation; one of ${ACTIVATIONS.join(', ')}`);
      return { kind, units, activation };
    }
    if (kind === 'dropout') {
      const rate = Number(args[0]);
      if (args.length !== 1 || !(rate >= 0 && rate < 1)) throw bad('needs a rate in [0, 1) (dropout:0.5)');
      return { kind, rate };
    }
    throw bad('is not a head layer');
  });
}

/** A model cut for fine-tuning on cached features. */
export interface FineTuneSplit {
  /** Base and head as one graph, the base frozen: the model that is saved. */
  full: Graph;
  /** The base alone, ending at `cut`: what ONNX Runtime runs once per image. */
  base: Graph;
  /** The head alone, taking the features as its input (a vector arrives as [1, 1, C] and is flattened). */
  head: Graph;
  /** The base node whose output the head reads. */
  cut: string;
  /** The per-image shape of the cached features. */
  featureShape: ImageShape;
  /** Node names of the head, as in `full`. */
  headNames: string[];
}

/** The nodes `name` depends on, itself included. */
function ancestors(graph: Graph, name: string): Set<string> {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const seen = new Set<string>();
  const stack = [name];
  while (stack.length) {
    const at = stack.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    stack.push(...(byName.get(at)?.inputs ?? []));
  }
  return seen;
}

/** The last feature map on the path to the output: walk up first inputs until an output of rank 3. */
function lastMap(graph: Graph): string {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  for (let at: string | undefined = graph.outputs[0]; at !== undefined; at = byName.get(at)?.inputs[0]) {
    if (graph.shapes.get(at)?.length === 3) return at;
  }
  throw new UsageError(messages.noBaseMap(graph.name));
}

/** A fresh node name: `base`, or `base_2`, `base_3`, … when taken. */
function fresh(taken: Set<string>, base: string): string {
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
  taken.add(name);
  return name;
}

/** Node specs of a new head on `from`, ending in a softmax Dense of `classes` units. */
function headSpecs(items: HeadItem[], from: string, fromRank: number, classes: number, taken: Set<string>, text: string): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  let at = from;
  let rank = fromRank;
  const add = (op: string, prefix: string, attrs: NodeSpec['attrs']) => {
    const name = fresh(taken, prefix);
    nodes.push({ name, op, inputs: [at], attrs: attrs ?? {} });
    at = name;
  };
  for (const item of items) {
    if (item.kind === 'dense') {
      if (rank !== 1) throw new UsageError(messages.headSyntax(text, `dense:${item.units}`, 'comes before gap, gmp or flatten turn the feature map into a vector'));
      add('Dense', 'head_dense', { units: item.units, activation: item.activation });
    } else if (item.kind === 'dropout') {
      add('Dropout', 'head_dropout', { rate: item.rate });
    } else {
      if (rank !== 3) throw new UsageError(messages.headSyntax(text, item.kind, 'needs a feature map, but the features are already a vector'));
      add(item.kind === 'gap' ? 'GlobalAvgPool' : item.kind === 'gmp' ? 'GlobalMaxPool' : 'Flatten', `head_${item.kind}`, {});
      rank = 1;
    }
  }
  if (rank !== 1) throw new UsageError(messages.headSyntax(text, items.map((i) => i.kind).join(','), 'never turns the feature map into a vector (add gap, gmp or flatten)'));
  add('Dense', taken.has('predictions') ? 'head_predictions' : 'predictions', { units: classes, activation: 'softmax' });
  return nodes;
}

/**
 * Cuts a graph for fine-tuning. `head` (items and the text they came from) replaces everything
 * after the last feature map with a new head of `classes` outputs; without it the model's own
 * classifier is the head.
 */
export function splitForFineTuning(graph: Graph, o: { head?: { items: HeadItem[]; text: string }; classes: number }): FineTuneSplit {
  const { spec } = graph;
  let cut: string;
  let headSpecList: NodeSpec[];
  if (o.head) {
    cut = lastMap(graph);
    const keep = ancestors(graph, cut);
    const taken = new Set([...keep, ...graph.inputs.map((i) => i.name)]);
    headSpecList = headSpecs(o.head.items, cut, 3, o.classes, taken, o.head.text);
  } else {
    const names = new Set(headNodes(graph));
    if (names.size === 0) throw new UsageError(messages.noHead(graph.name));
    const classifier = spec.nodes.find((n) => names.has(n.name))!;
    cut = classifier.inputs[0]!;
    headSpecList = spec.nodes.filter((n) => names.has(n.name));
    const readers = headSpecList.flatMap((n) => n.inputs).filter((i) => i !== cut && !names.has(i));
    if (readers.length) throw new UsageError(messages.cutBranches(cut, readers));
  }
  const keep = ancestors(graph, cut);
  const baseNodes = spec.nodes.filter((n) => keep.has(n.name));
  const frozen = baseNodes.map((n) => ({ ...n, attrs: { ...(n.attrs ?? {}), trainable: false } }));
  const outputs = [headSpecList[headSpecList.length - 1]!.name];
  const full = resolveGraph({ ...spec, nodes: [...frozen, ...headSpecList], outputs });
  const base = resolveGraph({ name: `${spec.name}_base`, inputs: spec.inputs, nodes: baseNodes, outputs: [cut], ...(spec.meta ? { meta: spec.meta } : {}) });
  const cutShape = full.shapes.get(cut)!;
  const featureShape: ImageShape = cutShape.length === 3 ? [cutShape[0]!, cutShape[1]!, cutShape[2]!] : [1, 1, cutShape[0]!];
  return { full, base, head: headGraph(spec.name, headSpecList, cut, cutShape.length, featureShape, outputs), cut, featureShape, headNames: headSpecList.map((n) => n.name) };
}

/** The head as a graph of its own, reading the features where it read `cut`. */
function headGraph(name: string, nodes: NodeSpec[], cut: string, cutRank: number, featureShape: ImageShape, outputs: string[]): Graph {
  const taken = new Set(nodes.map((n) => n.name));
  const input = fresh(taken, 'features');
  const lead: NodeSpec[] = cutRank === 3 ? [] : [{ name: fresh(taken, 'features_flatten'), op: 'Flatten', inputs: [input], attrs: {} }];
  const from = lead[0]?.name ?? input;
  const spec: GraphSpec = {
    name: `${name}_head`,
    inputs: [{ name: input, shape: [...featureShape] }],
    nodes: [...lead, ...nodes.map((n) => ({ ...n, inputs: n.inputs.map((i) => (i === cut ? from : i)) }))],
    outputs,
  };
  return resolveGraph(spec);
}
