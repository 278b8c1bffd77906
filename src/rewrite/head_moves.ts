/**
 * Moves on the head and the normalization layers: replace a flatten + dense head by global
 * average pooling (Network in Network, GoogLeNet), drop LRN or replace it by batch norm, and fold
 * batch norm into the layer before it for inference.
 */
import { resolveGraph, type Graph, type ResolvedNode } from '../graph/graph.js';
import type { NodeSpec } from '../graph/types.js';
import { NO_ARG, noArg } from './args.js';
import { SpecEdit } from './edit.js';
import { messages } from '../core/messages.js';
import { MoveName, type Change, type LayerMove, type ModelMove } from './types.js';
import { RefusedError } from './refused.js';

/** Ops a classifier head may hold between its flatten and its output. */
const HEAD_OPS = new Set(['Dense', 'Dropout', 'Activation']);

/** From a Flatten, the chain of head ops it feeds one by one, ending at a graph output; undefined if it branches or ends elsewhere. */
function headChain(edit: SpecEdit, flatten: string): NodeSpec[] | undefined {
  const chain: NodeSpec[] = [];
  let at = flatten;
  while (!edit.isOutput(at)) {
    const users = edit.consumers(at);
    if (users.length !== 1 || !HEAD_OPS.has(users[0]!.op)) return undefined;
    chain.push(users[0]!);
    at = users[0]!.name;
  }
  return chain.some((n) => n.op === 'Dense') ? chain : undefined;
}

export const gapHead: ModelMove<undefined> = {
  name: MoveName.gapHead,
  scope: 'model',
  doc: 'flatten + dense stack → global average pooling + the last dense (Network in Network)',
  claim: 'VGG16 loses the 123 M parameters of its fully connected layers',
  arg: NO_ARG,
  parse: noArg(MoveName.gapHead),
  apply(spec) {
    const graph = resolveGraph(spec);
    const edit = new SpecEdit(spec);
    const heads = graph.nodes
      .filter((n) => n.op === 'Flatten' && n.inputShapes[0]!.length === 3)
      .map((f) => ({ flatten: f.name, chain: headChain(edit, f.name) }))
      .filter((h): h is { flatten: string; chain: NodeSpec[] } => h.chain !== undefined);
    if (heads.length === 0) {
      const pooled = graph.nodes.find((n) => n.op === 'GlobalAvgPool' || n.op === 'GlobalMaxPool');
      throw new RefusedError(MoveName.gapHead, messages.noFlattenHead(spec.name, pooled?.name));
    }
    const changes = heads.map(({ flatten, chain }): Change => {
      const last = chain.map((n) => n.op).lastIndexOf('Dense');
      const classifier = chain[last]!;
      const dropped = chain.slice(0, last);
      const pool = edit.fresh('avg_pool');
      const from = edit.node(flatten).inputs[0]!;
      edit.replace(flatten, [{ name: pool, op: 'GlobalAvgPool', inputs: [from] }], pool);
      for (const n of dropped) edit.remove(n.name);
      const denses = dropped.filter((n) => n.op === 'Dense').length;
      return {
        label: `${flatten} … ${classifier.name}`,
        detail: `flatten${denses ? ` + ${denses} dense` : ''} → global average pool before ${classifier.name}`,
        from: [flatten, ...dropped.map((n) => n.name), classifier.name],
        to: [pool, classifier.name],
      };
    });
    return { spec: edit.spec, changes, notes: [] };
  },
};

const isLrn = (n: ResolvedNode) => n.op === 'LRN';

export const lrnToBn: LayerMove<undefined> = {
  name: MoveName.lrnToBn,
  scope: 'layers',
  doc: 'each LRN → BatchNorm over the same channels',
  claim: 'batch norm replaced local response normalization after AlexNet, ZFNet and GoogLeNet',
  arg: NO_ARG,
  parse: noArg(MoveName.lrnToBn),
  targets: 'LRN layers',
  select: isLrn,
  check: () => undefined,
  rewrite(edit, n): Change {
    const raw = edit.node(n.name);
    raw.op = 'BatchNorm';
    raw.attrs = raw.attrs?.trainable !== undefined ? { trainable: raw.attrs.trainable } : {};
    return { label: n.name, detail: 'LRN → BatchNorm', from: [n.name], to: [n.name] };
  },
};

export const noLrn: LayerMove<undefined> = {
  name: MoveName.noLrn,
  scope: 'layers',
  doc: 'each LRN removed',
  claim: 'VGG found LRN does not improve accuracy but costs memory and time',
  arg: NO_ARG,
  parse: noArg(MoveName.noLrn),
  targets: 'LRN layers',
  select: isLrn,
  check: () => undefined,
  rewrite(edit, n): Change {
    edit.remove(n.name);
    return { label: n.name, detail: 'LRN removed', from: [n.name], to: [] };
  },
};

/** Layers whose output a BatchNorm can fold into: a scale per output channel and a bias. */
const FOLDS_INTO = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Dense']);

const producer = (n: ResolvedNode, graph: Graph) => graph.nodes.find((p) => p.name === n.inputs[0]);

export const foldBn: LayerMove<undefined> = {
  name: MoveName.foldBn,
  scope: 'layers',
  doc: 'each BatchNorm after a conv or dense layer folded into its weights and bias, for inference',
  claim: 'at inference a batch norm is a per-channel scale and shift, free to fold into the conv before it',
  arg: NO_ARG,
  parse: noArg(MoveName.foldBn),
  targets: 'BatchNorm right after a Conv2D, DepthwiseConv2D, SeparableConv2D or Dense',
  select: (n, graph) => n.op === 'BatchNorm' && FOLDS_INTO.has(producer(n, graph)?.op ?? ''),
  check(n, graph) {
    const p = producer(n, graph)!;
    const fn = String(p.attrs.activation ?? 'linear');
    if (fn !== 'linear') return messages.fusedActivation(p.name, fn);
    const readers = graph.nodes.filter((x) => x.inputs.includes(p.name)).length + (graph.outputs.includes(p.name) ? 1 : 0);
    return readers > 1 ? messages.sharedOutput(p.name) : undefined;
  },
  rewrite(edit, n): Change {
    const conv = edit.node(n.name).inputs[0]!;
    const raw = edit.node(conv);
    raw.attrs = { ...(raw.attrs ?? {}), useBias: true };
    edit.remove(n.name);
    return { label: conv, detail: `${n.name} folded into ${conv} (scaled weights and a bias)`, from: [conv, n.name], to: [conv] };
  },
};
