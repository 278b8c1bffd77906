/**
 * The lecture's moves on one convolution: factorize a k×k into stacked 3×3 (VGG, InceptionV3),
 * split an n×n into 1×n then n×1, put a 1×1 bottleneck before a k×k (GoogLeNet), and make a conv
 * depthwise-separable (MobileNet). Each keeps the layer's output shape; inserted layers get the
 * same BatchNorm and nonlinearity as the layer they come from.
 */
import type { Graph, ResolvedNode } from '../graph/graph.js';
import type { AttrValue, NodeSpec } from '../graph/types.js';
import type { Conv2DAttrs, DepthwiseConv2DAttrs } from '../ops/conv.js';
import type { Padding } from '../ops/types.js';
import { NO_ARG, noArg, numberArg } from './args.js';
import { innerTail, tailOf, withAttrs, type SpecEdit } from './edit.js';
import { messages } from '../core/messages.js';
import { MoveName, type Change, type LayerMove } from './types.js';

/** A kernel as the lecture writes it: `5×5`, `1×7`, `3×3/2` when strided. */
export const kernelText = (k: readonly number[], s: readonly number[] = [1, 1]): string =>
  `${k[0]}×${k[1]}${s[0] !== 1 || s[1] !== 1 ? `/${s[0] === s[1] ? s[0] : `${s[0]}×${s[1]}`}` : ''}`;

type ConvLike = Conv2DAttrs | (DepthwiseConv2DAttrs & { groups?: undefined });

const attrsOf = (n: ResolvedNode) => n.attrs as unknown as ConvLike;
const isConv = (n: ResolvedNode) => n.op === 'Conv2D';
const square = (n: ResolvedNode) => attrsOf(n).kernelSize[0] === attrsOf(n).kernelSize[1];
const strided = (a: ConvLike) => a.strides[0] !== 1 || a.strides[1] !== 1;
const dilated = (a: ConvLike) => a.dilation[0] !== 1 || a.dilation[1] !== 1;
/** How the tables name a layer: `Conv2D 5×5/2`. */
export const layerWhat = (n: ResolvedNode): string =>
  'kernelSize' in n.attrs ? `${n.op} ${kernelText(attrsOf(n).kernelSize, attrsOf(n).strides)}` : n.op;

/** Explicit padding spread over `count` stacked convs so that the sides add up to the original's. */
function splitPadding(p: Padding, count: number, i: number): AttrValue {
  if (p === 'same' || p === 'valid') return p;
  return p.map((side) => Math.floor(side / count) + (i < side % count ? 1 : 0));
}

/** Names claimed within one rewrite, so two inserted nodes never take the same fresh name. */
const claimer = (edit: SpecEdit, taken: Set<string>) => (base: string): string => {
  const name = edit.fresh(base, taken);
  taken.add(name);
  return name;
};

/**
 * Replaces `name` by a chain of layers: each but the last is followed by copies of the original's
 * BatchNorm and activation; the last takes the original's place before them.
 */
function chain(edit: SpecEdit, name: string, layers: Array<(input: string) => NodeSpec>): string[] {
  const taken = new Set<string>();
  const tail = tailOf(edit, name);
  const nodes: NodeSpec[] = [];
  let input = edit.node(name).inputs[0]!;
  layers.forEach((make, i) => {
    const layer = make(input);
    layer.name = claimer(edit, taken)(layer.name);
    nodes.push(layer);
    input = layer.name;
    if (i < layers.length - 1) {
      const inner = innerTail(edit, tail, layer.name, taken);
      nodes.push(...inner.nodes);
      input = inner.exit;
    }
  });
  edit.replace(name, nodes, input);
  return nodes.map((n) => n.name);
}

export const factorize: LayerMove<undefined> = {
  name: MoveName.factorize,
  scope: 'layers',
  doc: 'k×k conv → (k−1)/2 stacked 3×3 convs with the same receptive field (VGG, InceptionV3)',
  claim: 'two 3×3 layers see the same 5×5 field with 18/25 of the parameters and MACs of one 5×5',
  arg: NO_ARG,
  parse: noArg(MoveName.factorize),
  targets: 'square k×k Conv2D or DepthwiseConv2D with k ≥ 5',
  select: (n) => (isConv(n) || n.op === 'DepthwiseConv2D') && square(n) && attrsOf(n).kernelSize[0] >= 5,
  check(n) {
    const a = attrsOf(n);
    const k = a.kernelSize[0];
    if (k % 2 === 0) return messages.evenKernel(k);
    if (strided(a)) return messages.strided(k);
    if (dilated(a)) return messages.dilated();
    if (isConv(n) && (a as Conv2DAttrs).groups !== 1) return messages.grouped((a as Conv2DAttrs).groups);
    if (n.op === 'DepthwiseConv2D' && (a as DepthwiseConv2DAttrs).depthMultiplier !== 1) {
      return messages.depthMultiplier((a as DepthwiseConv2DAttrs).depthMultiplier);
    }
    return undefined;
  },
  rewrite(edit, n): Change {
    const k = attrsOf(n).kernelSize[0];
    const count = (k - 1) / 2;
    const raw = edit.node(n.name);
    const layers = Array.from({ length: count }, (_, i) => (input: string): NodeSpec => ({
      name: `${n.name}_3x3_${i + 1}`,
      op: raw.op,
      inputs: [input],
      attrs: withAttrs(raw, { kernelSize: 3, padding: splitPadding(attrsOf(n).padding, count, i) }),
    }));
    return { label: n.name, detail: `${k}×${k} → ${count} × 3×3`, from: [n.name], to: chain(edit, n.name, layers) };
  },
};

export const asymmetric: LayerMove<undefined> = {
  name: MoveName.asymmetric,
  scope: 'layers',
  doc: 'n×n conv → 1×n then n×1 (InceptionV3’s spatial factorization)',
  claim: 'a 1×3 then 3×1 pair sees the 3×3 field for 2/3 of the MACs when channels stay equal',
  arg: NO_ARG,
  parse: noArg(MoveName.asymmetric),
  targets: 'square n×n Conv2D with n ≥ 3',
  select: (n) => isConv(n) && square(n) && attrsOf(n).kernelSize[0] >= 3,
  check(n) {
    const a = attrsOf(n) as Conv2DAttrs;
    return a.groups !== 1 ? messages.grouped(a.groups) : undefined;
  },
  rewrite(edit, n): Change {
    const a = attrsOf(n);
    const k = a.kernelSize[0];
    const raw = edit.node(n.name);
    const pad = (keep: 'h' | 'w'): AttrValue => {
      if (a.padding === 'same' || a.padding === 'valid') return a.padding;
      const [t, b, l, r] = a.padding;
      return keep === 'w' ? [0, 0, l, r] : [t, b, 0, 0];
    };
    const along = (keep: 'h' | 'w') => (input: string): NodeSpec => {
      const kernel = keep === 'w' ? [1, k] : [k, 1];
      const strides = keep === 'w' ? [1, a.strides[1]] : [a.strides[0], 1];
      const dilation = keep === 'w' ? [1, a.dilation[1]] : [a.dilation[0], 1];
      return { name: `${n.name}_${kernel[0]}x${kernel[1]}`, op: 'Conv2D', inputs: [input], attrs: withAttrs(raw, { kernelSize: kernel, strides, dilation, padding: pad(keep) }) };
    };
    return { label: n.name, detail: `${k}×${k} → 1×${k} then ${k}×1`, from: [n.name], to: chain(edit, n.name, [along('w'), along('h')]) };
  },
};

/** Ops between the image and the stem that leave its channels as they are. */
const IMAGE_OPS = new Set(['ZeroPadding2D', 'Cropping2D', 'Rescaling', 'Normalization']);

/** Most channels an image has (gray, RGB, RGBA); a graph input with more is a feature map. */
const IMAGE_CHANNELS = 4;

/** True when a layer reads the image itself, through padding or normalization at most. */
function readsImage(n: ResolvedNode, graph: Graph): boolean {
  let at = n.inputs[0]!;
  for (;;) {
    const input = graph.inputs.find((i) => i.name === at);
    if (input) return (input.shape[2] ?? 0) <= IMAGE_CHANNELS;
    const prev = graph.nodes.find((x) => x.name === at);
    if (!prev || !IMAGE_OPS.has(prev.op)) return false;
    at = prev.inputs[0]!;
  }
}

/** `bottleneck=R`: the reduction factor R of the input channels. */
const BOTTLENECK_ARG = { kind: 'number', min: 1, max: 1024, openMin: true, example: 'bottleneck=2' } as const;

export const bottleneck: LayerMove<number> = {
  name: MoveName.bottleneck,
  scope: 'layers',
  doc: 'a 1×1 conv reducing the input channels to Cin/R before each k×k conv with k ≥ 3 (GoogLeNet)',
  claim: 'shrinking 192 channels to 96 first takes the inception 3×3 branch from 173.4 M to about 101 M MACs',
  arg: BOTTLENECK_ARG,
  parse: numberArg(MoveName.bottleneck, BOTTLENECK_ARG),
  // A 1×1 before the stem would mix the colour channels of the image: the stem is never a target.
  targets: 'Conv2D with a kernel of 3 or more on a side that does not read the image itself (an input of up to 4 channels)',
  select: (n, graph) => isConv(n) && Math.max(...attrsOf(n).kernelSize) >= 3 && !readsImage(n, graph),
  check(n, _graph: Graph, r) {
    const a = attrsOf(n) as Conv2DAttrs;
    const cin = n.inputShapes[0]![2]!;
    if (a.groups !== 1) return messages.grouped(a.groups);
    const reduced = cin / r;
    return Math.abs(reduced - Math.round(reduced)) > 1e-9 || Math.round(reduced) < 1 ? messages.channelsDivide(cin, r) : undefined;
  },
  rewrite(edit, n, _graph, r): Change {
    const cin = n.inputShapes[0]![2]!;
    const raw = edit.node(n.name);
    const taken = new Set<string>();
    const reduce = claimer(edit, taken)(`${n.name}_reduce`);
    const a = raw.attrs ?? {};
    const pick = (key: string) => (a[key] !== undefined ? { [key]: a[key]! } : {});
    const layer: NodeSpec = {
      name: reduce, op: 'Conv2D', inputs: [...raw.inputs],
      attrs: { filters: Math.round(cin / r), kernelSize: 1, ...pick('useBias'), ...pick('activation'), ...pick('trainable') },
    };
    const inner = innerTail(edit, tailOf(edit, n.name), reduce, taken);
    edit.insertBefore(n.name, [layer, ...inner.nodes]);
    raw.inputs = [inner.exit];
    return {
      label: n.name,
      detail: `1×1 reduction ${cin} → ${Math.round(cin / r)} before the ${kernelText(attrsOf(n).kernelSize)}`,
      from: [n.name],
      to: [reduce, ...inner.nodes.map((x) => x.name), n.name],
    };
  },
};

export const separable: LayerMove<undefined> = {
  name: MoveName.separable,
  scope: 'layers',
  doc: 'k×k conv → depthwise k×k + pointwise 1×1, BatchNorm and activation after each as MobileNet',
  claim: 'a depthwise-separable 3×3 costs 1/K + 1/9 of the MACs of the full conv (1/128 + 1/9 for 64 → 128)',
  arg: NO_ARG,
  parse: noArg(MoveName.separable),
  targets: 'Conv2D with a kernel larger than 1×1',
  select: (n) => isConv(n) && attrsOf(n).kernelSize[0] * attrsOf(n).kernelSize[1] > 1,
  check(n) {
    const a = attrsOf(n) as Conv2DAttrs;
    return a.groups !== 1 ? messages.grouped(a.groups) : undefined;
  },
  rewrite(edit, n): Change {
    const raw = edit.node(n.name);
    const a = raw.attrs ?? {};
    const keep = (keys: string[]) => Object.fromEntries(keys.filter((k) => a[k] !== undefined).map((k) => [k, a[k]!]));
    const shared = keep(['useBias', 'activation', 'trainable']);
    const depthwise = (input: string): NodeSpec => ({
      name: `${n.name}_dw`, op: 'DepthwiseConv2D', inputs: [input], attrs: { ...keep(['kernelSize', 'strides', 'padding', 'dilation']), ...shared },
    });
    const pointwise = (input: string): NodeSpec => ({
      name: `${n.name}_pw`, op: 'Conv2D', inputs: [input], attrs: { filters: (attrsOf(n) as Conv2DAttrs).filters, kernelSize: 1, ...shared },
    });
    const k = kernelText(attrsOf(n).kernelSize);
    return { label: n.name, detail: `${k} conv → depthwise ${k} + pointwise 1×1`, from: [n.name], to: chain(edit, n.name, [depthwise, pointwise]) };
  },
};
