/**
 * Binds the layers of a Keras weights file to a graph's nodes, the way Keras' load_weights does,
 * and checks every shape. Legacy .h5 files match layers with weights by position in Keras' layer
 * order (names may differ: the published ResNet50 file calls its classifier `probs`), or by name
 * when every node's name is in the file (or when asked); Keras 3 .weights.h5 files match the n-th
 * layer of each class. Within a layer, weights follow Keras' legacy order (trainable, then
 * non-trainable), which is the order of each op's WeightSpec list.
 */
import { DataError } from '../core/errors.js';
import type { Graph } from '../graph/graph.js';
import { listWeights, type WeightEntry, type WeightMap } from './map.js';
import type { KerasWeightsFile, StoredLayer, StoredWeight } from './keras_h5.js';
import { kerasLayerOrder } from './keras_order.js';
import { messages } from '../core/messages.js';

/** How stored layers find their nodes: Keras' by-order rule, by name, or (auto) by name when every node's name is stored. */
export type MatchRule = 'auto' | 'order' | 'name';

/** Binding options. */
export interface BindOptions {
  match?: MatchRule;
  /** Ignore stored layers the graph has no node for (a full file on a headless model); by name they are always ignored. */
  skipExtra?: boolean;
  /** Keras 3 files saved with their config: the config's layers (name and class) in model.layers order. */
  configLayers?: ReadonlyArray<{ name: string; className: string }>;
}

/** What was bound and how. */
export interface BindResult {
  weights: WeightMap;
  rule: 'order' | 'name' | 'class';
  /** Layers bound (nodes with weights). */
  layers: number;
  /** Stored layers no node took. */
  skipped: string[];
}

/** Keras' naming.to_snake_case: `DepthwiseConv2D` → `depthwise_conv2d`. */
export const snakeCase = (name: string): string =>
  name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** The Keras class of each convlab op that holds weights, as Keras 3 files name it. */
const KERAS_CLASS: Record<string, string> = {
  Conv2D: 'conv2d',
  DepthwiseConv2D: 'depthwise_conv2d',
  SeparableConv2D: 'separable_conv2d',
  Dense: 'dense',
  BatchNorm: 'batch_normalization',
  Normalization: 'normalization',
};

/** Weights a Keras version may leave out of a layer, filled with their initial value (Keras 3's Normalization stores no count). */
const OPTIONAL_TRAILING = new Set(['count']);

interface NodeWeights {
  node: string;
  op: string;
  entries: WeightEntry[];
}

/** Graph nodes with weights, in Keras' layer order. */
function weightedNodes(graph: Graph): NodeWeights[] {
  const byNode = new Map<string, WeightEntry[]>();
  for (const e of listWeights(graph)) byNode.set(e.node, [...(byNode.get(e.node) ?? []), e]);
  const ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
  return kerasLayerOrder(graph).filter((n) => byNode.has(n)).map((node) => ({ node, op: ops.get(node)!, entries: byNode.get(node)! }));
}

/** The weight name without its layer prefix and `:0`: `conv1/kernel:0` → `kernel`. */
const baseName = (w: StoredWeight): string => w.name.replace(/:\d+$/, '').split('/').pop()!;

/** Two shapes agree when equal, or equal once size-1 axes are dropped (Keras versions store some vectors broadcast, as [1, 1, 1, C]). */
function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length === b.length && a.every((d, i) => d === b[i])) return true;
  const sa = a.filter((d) => d !== 1);
  const sb = b.filter((d) => d !== 1);
  return sa.length === sb.length && sa.every((d, i) => d === sb[i]) && a.reduce((x, y) => x * y, 1) === b.reduce((x, y) => x * y, 1);
}

/** Puts one stored layer's weights on one node, checking count, names (when they are Keras') and shapes. */
function bindLayer(file: string, layer: StoredLayer, n: NodeWeights, out: WeightMap): void {
  const expected = n.entries.map((e) => e.spec.name);
  let stored: Array<StoredWeight | undefined> = layer.weights;
  const names = layer.weights.map(baseName);
  if (names.every((x) => expected.includes(x)) && new Set(names).size === names.length) {
    stored = expected.map((e) => layer.weights[names.indexOf(e)]);
  }
  const missing = expected.filter((_, i) => stored[i] === undefined);
  if (stored.length > expected.length || missing.some((m) => !OPTIONAL_TRAILING.has(m))) {
    throw new DataError(messages.storedLayerCount(file, layer.name, n.node, n.op, layer.weights.map((w) => w.name), expected));
  }
  n.entries.forEach((e, i) => {
    const w = stored[i];
    if (w === undefined) {
      out.set(e.key, new Float32Array(e.size));
      return;
    }
    if (!sameShape(w.shape, e.shape)) throw new DataError(messages.storedLayerShape(file, layer.name, w.name, n.node, n.op, w.shape, e.shape));
    out.set(e.key, w.data);
  });
}

/** Stored layers of a Keras 3 file keyed the way a graph's nodes can ask for them. */
function keras3Key(layer: StoredLayer): string {
  const c = layer.kerasClass!;
  return c.index === 0 ? c.snake : `${c.snake}_${c.index}`;
}

/** Binds a Keras weights file to the graph; every node with weights gets them, shapes checked. */
export function bindKerasWeights(graph: Graph, stored: KerasWeightsFile, o: BindOptions = {}): BindResult {
  const nodes = weightedNodes(graph);
  const out: WeightMap = new Map();
  const file = stored.file;

  if (stored.layout === 'keras3-weights') {
    const byKey = new Map(stored.layers.map((l) => [keras3Key(l), l]));
    const used = new Set<string>();
    // With the archive's config, the n-th stored layer of a class is the config's n-th layer of that class.
    const counters = new Map<string, number>();
    const keyOfName = new Map<string, string>();
    const order = o.configLayers ?? kerasLayerOrder(graph).map((name) => ({ name, className: graph.nodes.find((x) => x.name === name)?.op ?? 'InputLayer' }));
    for (const l of order) {
      const snake = o.configLayers ? snakeCase(l.className) : KERAS_CLASS[l.className] ?? snakeCase(l.className);
      const k = counters.get(snake) ?? 0;
      counters.set(snake, k + 1);
      keyOfName.set(l.name, k === 0 ? snake : `${snake}_${k}`);
    }
    for (const n of nodes) {
      const key = keyOfName.get(n.node);
      const layer = key === undefined ? undefined : byKey.get(key);
      if (!layer) throw new DataError(messages.storedLayerMissing(file, n.node, n.op, `Keras 3 layers by class (${key ?? '?'})`));
      bindLayer(file, { ...layer, name: `layers/${key}` }, n, out);
      used.add(key!);
    }
    const skipped = stored.layers.map(keras3Key).filter((k) => !used.has(k));
    if (skipped.length > 0 && !o.skipExtra) throw new DataError(messages.weightsOnTopless(file, skipped));
    return { weights: out, rule: 'class', layers: nodes.length, skipped };
  }

  const storedNames = new Set(stored.layers.map((l) => l.name));
  const rule = o.match === 'name' || ((o.match ?? 'auto') === 'auto' && nodes.every((n) => storedNames.has(n.node))) ? 'name' : 'order';
  if (rule === 'name') {
    const byName = new Map(stored.layers.map((l) => [l.name, l]));
    for (const n of nodes) {
      const layer = byName.get(n.node);
      if (!layer) throw new DataError(messages.storedLayerMissing(file, n.node, n.op, 'by name'));
      bindLayer(file, layer, n, out);
    }
    const names = new Set(nodes.map((n) => n.node));
    return { weights: out, rule, layers: nodes.length, skipped: stored.layers.map((l) => l.name).filter((x) => !names.has(x)) };
  }

  const extra = stored.layers.length - nodes.length;
  if (extra < 0 || (extra > 0 && !o.skipExtra)) {
    const k = Math.min(stored.layers.length, nodes.length);
    throw new DataError(messages.storedLayersCount(file, stored.layers.length, nodes.length, stored.layers[k]?.name, nodes[k]?.node));
  }
  nodes.forEach((n, i) => bindLayer(file, stored.layers[i]!, n, out));
  return { weights: out, rule, layers: nodes.length, skipped: stored.layers.slice(nodes.length).map((l) => l.name) };
}
