/**
 * Reads Keras / TensorFlow.js layers-format models (`model.json`) into a convlab graph.
 * Browser-safe: takes parsed JSON and, for weights, the bytes of each weights file.
 * Handles Keras 2 / tfjs inbound_nodes (nested lists) and Keras 3 (args with keras_history),
 * Sequential and Functional models, and nested models, which are inlined.
 */
import { SpecError, UsageError } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { ConvlabError } from '../core/errors.js';
import { resolveGraph, resolveNode, type Graph } from '../graph/graph.js';
import type { AttrValue, GraphSpec, InputSpec, NodeSpec, Shape } from '../graph/types.js';
import type { ActivationFn, OpType } from '../ops/types.js';
import type { ImportSource } from './types.js';

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A layer Keras wrote: class, config and (in functional models) where its inputs come from. */
interface KerasLayer {
  class_name: string;
  name?: string;
  config: Json;
  inbound_nodes?: unknown[];
}

/** Thrown for anything the importer cannot map; names the layer, its class and the file. */
function unsupported(file: string, layer: string, cls: string, why: string): never {
  throw new SpecError(messages.kerasLayer(file, layer, cls, why), { node: layer });
}

const ACTIVATION_NAMES: Record<string, ActivationFn> = {
  linear: 'linear', relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid', hard_sigmoid: 'hard_sigmoid',
  swish: 'swish', silu: 'swish', hard_swish: 'hard_swish', hard_silu: 'hard_swish', tanh: 'tanh', softmax: 'softmax', gelu: 'gelu',
  leaky_relu: 'leaky_relu', elu: 'elu', selu: 'selu',
};

/** Keras' default slope of the LeakyReLU layer (alpha in Keras 2 and tfjs, negative_slope in Keras 3). */
const KERAS_LEAKY_SLOPE = 0.3;

/** PReLU is per channel in convlab: every axis but the channels must be shared (Keras shared_axes). */
function preluAttrs(c: Json, file: string, name: string, cls: string): Record<string, AttrValue> {
  const shared = Array.isArray(c.shared_axes) ? (c.shared_axes as number[]) : c.shared_axes == null ? [] : [c.shared_axes as number];
  if (!(shared.includes(1) && shared.includes(2))) unsupported(file, name, cls, `shared_axes ${JSON.stringify(c.shared_axes ?? null)}: convlab's PReLU has one slope per channel; set shared_axes=[1, 2]`);
  return {};
}

/** Reads an activation as Keras serializes it: a string, or an object naming it. */
function activationOf(raw: unknown, file: string, layer: string, cls: string): ActivationFn {
  let name: unknown = raw ?? 'linear';
  if (isObj(name)) name = isObj(name.config) ? name.config.name ?? name.class_name : name.config ?? name.class_name;
  if (typeof name !== 'string') unsupported(file, layer, cls, `cannot read activation ${JSON.stringify(raw)}`);
  const fn = ACTIVATION_NAMES[name.toLowerCase()];
  if (!fn) unsupported(file, layer, cls, `activation ${JSON.stringify(name)} is not supported; supported: ${Object.keys(ACTIVATION_NAMES).join(', ')}`);
  return fn;
}

const pair = (x: unknown): AttrValue => (Array.isArray(x) ? (x as number[]) : (x as number));

/** Keras ZeroPadding2D / Cropping2D amounts: n, (h, w) or ((t, b), (l, r)) to [t, b, l, r]. */
function fourSides(x: unknown): number[] {
  if (typeof x === 'number') return [x, x, x, x];
  if (Array.isArray(x) && x.length === 2) {
    if (Array.isArray(x[0]) && Array.isArray(x[1])) return [x[0][0], x[0][1], x[1][0], x[1][1]];
    return [x[0], x[0], x[1], x[1]];
  }
  return x as number[];
}

interface Converted {
  op: OpType;
  attrs: Record<string, AttrValue>;
}

/**
/**
 * A Keras axis as convlab's, for an input of convlab rank `rank`. Keras counts the batch as axis
 * 0; convlab shapes exclude it, so a positive axis moves down by one and a negative one stays.
 */
function kerasAxis(raw: unknown, rank: number, file: string, layer: string, cls: string): number {
  const axis = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis === 0 || axis > rank || axis < -rank) unsupported(file, layer, cls, messages.kerasAxis(axis, rank));
  return axis < 0 ? axis : axis - 1;
}

/** True when a convlab axis is the last (channel) axis of a rank-`rank` tensor. */
const isLast = (axis: number, rank: number): boolean => axis === -1 || axis === rank - 1;

/**
 * Maps one Keras layer to a convlab node (op + attrs); `ranks` are its inputs' convlab ranks
 * (batch excluded). `tfjs` says the file was written by TensorFlow.js, whose bilinear
 * UpSampling2D takes asymmetric positions (Keras: half pixel).
 */
function convertLayer(l: KerasLayer, file: string, ranks: readonly number[], tfjs: boolean): Converted {
  const c = l.config;
  const name = String(c.name ?? l.name);
  const cls = l.class_name;
  const rank = ranks[0] ?? 3;
  if (c.data_format === 'channels_first') unsupported(file, name, cls, 'channels_first layout is not supported; convlab is NHWC (channels_last)');
  const act = () => activationOf(c.activation, file, name, cls);
  const padding = () => {
    if (c.padding !== undefined && c.padding !== 'valid' && c.padding !== 'same') unsupported(file, name, cls, `padding ${JSON.stringify(c.padding)} is not supported`);
    return (c.padding ?? 'valid') as string;
  };
  const trainable: Record<string, AttrValue> = c.trainable === false ? { trainable: false } : {};
  switch (cls) {
    case 'Conv2D':
    case 'Convolution2D':
      return { op: 'Conv2D', attrs: { filters: c.filters as number, kernelSize: pair(c.kernel_size), strides: pair(c.strides ?? 1), padding: padding(), dilation: pair(c.dilation_rate ?? 1), groups: (c.groups as number) ?? 1, useBias: c.use_bias !== false, activation: act(), ...trainable } };
    case 'DepthwiseConv2D':
      return { op: 'DepthwiseConv2D', attrs: { kernelSize: pair(c.kernel_size), strides: pair(c.strides ?? 1), padding: padding(), dilation: pair(c.dilation_rate ?? 1), depthMultiplier: (c.depth_multiplier as number) ?? 1, useBias: c.use_bias !== false, activation: act(), ...trainable } };
    case 'SeparableConv2D':
    case 'SeparableConvolution2D':
      return { op: 'SeparableConv2D', attrs: { filters: c.filters as number, kernelSize: pair(c.kernel_size), strides: pair(c.strides ?? 1), padding: padding(), dilation: pair(c.dilation_rate ?? 1), depthMultiplier: (c.depth_multiplier as number) ?? 1, useBias: c.use_bias !== false, activation: act(), ...trainable } };
    case 'Dense':
      return { op: 'Dense', attrs: { units: c.units as number, useBias: c.use_bias !== false, activation: act(), ...trainable } };
    case 'MaxPooling2D':
    case 'MaxPool2D':
    case 'AveragePooling2D':
    case 'AvgPool2D':
      return { op: cls.startsWith('Max') ? 'MaxPool2D' : 'AvgPool2D', attrs: { poolSize: pair(c.pool_size ?? 2), strides: c.strides == null ? null : pair(c.strides), padding: padding() } };
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return { op: cls.startsWith('GlobalMax') ? 'GlobalMaxPool' : 'GlobalAvgPool', attrs: { keepDims: c.keepdims === true } };
    case 'BatchNormalization': {
      if (!isLast(kerasAxis(c.axis ?? -1, rank, file, name, cls), rank)) unsupported(file, name, cls, messages.kerasChannelAxis('normalizes', c.axis, rank));
      return { op: 'BatchNorm', attrs: { epsilon: (c.epsilon as number) ?? 1e-3, momentum: (c.momentum as number) ?? 0.99, center: c.center !== false, scale: c.scale !== false, ...trainable } };
    }
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'GaussianDropout':
      return { op: 'Dropout', attrs: { rate: (c.rate as number) ?? 0 } };
    case 'Flatten':
      return { op: 'Flatten', attrs: {} };
    case 'Reshape':
      // tfjs writes the one free size (-1) of a target shape as null.
      return { op: 'Reshape', attrs: { shape: Array.isArray(c.target_shape) ? c.target_shape.map((d) => (d === null ? -1 : d)) : (c.target_shape as number[]) } };
    case 'ZeroPadding2D':
      return { op: 'ZeroPadding2D', attrs: { padding: fourSides(c.padding ?? 1) } };
    case 'Cropping2D':
      return { op: 'Cropping2D', attrs: { cropping: fourSides(c.cropping ?? 0) } };
    case 'Add':
      return { op: 'Add', attrs: {} };
    case 'Multiply':
      return { op: 'Multiply', attrs: {} };
    case 'Concatenate':
      return { op: 'Concat', attrs: { axis: kerasAxis(c.axis ?? -1, rank, file, name, cls) } };
    case 'Activation':
      return { op: 'Activation', attrs: { fn: act() } };
    case 'Softmax':
      return { op: 'Activation', attrs: { fn: 'softmax', axis: kerasAxis(c.axis ?? -1, rank, file, name, cls) } };
    case 'Permute': {
      const dims = c.dims;
      // Keras numbers the permuted axes from 1 (the batch stays first); convlab from 0.
      const ok = Array.isArray(dims) && dims.length === rank && [...dims].sort().every((d, i) => d === i + 1);
      if (!ok) unsupported(file, name, cls, messages.kerasPermute(dims, rank));
      return { op: 'Permute', attrs: { dims: (dims as number[]).map((d) => d - 1) } };
    }
    case 'ReLU': {
      if ((c.threshold ?? 0) !== 0) unsupported(file, name, cls, 'thresholded ReLU is not supported');
      const max = c.max_value as number | null | undefined;
      if ((c.negative_slope ?? 0) !== 0) {
        if (max != null) unsupported(file, name, cls, 'a leaky ReLU with max_value is not supported');
        return { op: 'Activation', attrs: { fn: 'leaky_relu', alpha: c.negative_slope as number } };
      }
      if (max != null && max !== 6) unsupported(file, name, cls, `ReLU with max_value ${max} is not supported (only 6)`);
      return { op: 'Activation', attrs: { fn: max === 6 ? 'relu6' : 'relu' } };
    }
    case 'LeakyReLU':
      return { op: 'Activation', attrs: { fn: 'leaky_relu', alpha: (c.negative_slope ?? c.alpha ?? KERAS_LEAKY_SLOPE) as number } };
    case 'ELU':
      return { op: 'Activation', attrs: { fn: 'elu', alpha: (c.alpha as number) ?? 1 } };
    case 'PReLU':
      return { op: 'PReLU', attrs: { ...preluAttrs(c, file, name, cls), ...trainable } };
    case 'Conv2DTranspose':
    case 'Convolution2DTranspose':
      return { op: 'Conv2DTranspose', attrs: {
        filters: c.filters as number, kernelSize: pair(c.kernel_size), strides: pair(c.strides ?? 1), padding: padding(), dilation: pair(c.dilation_rate ?? 1),
        outputPadding: c.output_padding == null ? null : pair(c.output_padding), useBias: c.use_bias !== false, activation: act(), ...trainable,
      } };
    case 'UpSampling2D': {
      const mode = (c.interpolation ?? 'nearest') as string;
      if (mode !== 'nearest' && mode !== 'bilinear') unsupported(file, name, cls, `interpolation ${JSON.stringify(mode)} is not supported; convlab resizes by nearest or bilinear`);
      // Nearest repeats units (⌊o/s⌋, convlab's plain nearest); bilinear places samples as tfjs (asymmetric) or TensorFlow (half pixel) does.
      return { op: 'Resize', attrs: { scale: pair(c.size ?? 2), mode, ...(mode === 'bilinear' ? { coordinates: tfjs ? 'asymmetric' : 'half_pixel' } : {}) } };
    }
    case 'Rescaling':
      return { op: 'Rescaling', attrs: { scale: c.scale as number, offset: (c.offset as number) ?? 0 } };
    case 'Normalization':
      return { op: 'Normalization', attrs: { mean: (c.mean as number[]) ?? null, variance: (c.variance as number[]) ?? null } };
    case 'CustomScaleLayer':
      return { op: 'ScaledAdd', attrs: { scale: c.scale as number } };
    default:
      return unsupported(file, name, cls, `Keras layer class ${JSON.stringify(cls)} has no convlab op`);
  }
}

/** Collects [layer, nodeIndex, tensorIndex] references from one inbound-node entry (Keras 2 or 3). */
function inboundRefs(entry: unknown): Array<[string, number, number]> {
  const refs: Array<[string, number, number]> = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      if (x.length >= 3 && typeof x[0] === 'string' && typeof x[1] === 'number' && typeof x[2] === 'number') {
        refs.push([x[0], x[1], x[2]]);
        return;
      }
      x.forEach(walk);
    } else if (isObj(x)) {
      if (isObj(x.config) && Array.isArray(x.config.keras_history)) {
        const [n, i, t] = x.config.keras_history as [string, number, number];
        refs.push([n, i, t]);
        return;
      }
      if ('args' in x) walk(x.args);
    }
  };
  walk(isObj(entry) ? entry.args : entry);
  return refs;
}

/** [name, node, tensor] triples of a model's input_layers / output_layers in either format. */
function layerRefs(x: unknown): Array<[string, number, number]> {
  if (!Array.isArray(x)) return [];
  if (x.length >= 1 && typeof x[0] === 'string') return [[x[0], (x[1] as number) ?? 0, (x[2] as number) ?? 0]];
  return x.map((r) => [r[0], r[1] ?? 0, r[2] ?? 0] as [string, number, number]);
}

const shapeOf = (c: Json): number[] | undefined => {
  const s = (c.batch_input_shape ?? c.batch_shape ?? (c.input_shape ? [null, ...(c.input_shape as number[])] : undefined)) as Array<number | null> | undefined;
  return s ? (s.slice(1) as number[]) : undefined;
};

/** Emits nodes for a model; returns the convlab tensor names of its outputs. */
class Converter {
  readonly nodes: NodeSpec[] = [];
  readonly inputs: InputSpec[] = [];
  private readonly used = new Set<string>();
  /** Shape (batch excluded) of every tensor emitted so far. */
  private readonly shapes = new Map<string, Shape>();
  /** Nested models being inlined, outermost first: the blocks of the nodes they hold. */
  private readonly scopes: string[] = [];
  constructor(private readonly file: string, private readonly tfjs: boolean) {}

  private uniq(name: string): string {
    let n = name;
    for (let k = 1; this.used.has(n); k++) n = `${name}_${k}`;
    this.used.add(n);
    return n;
  }

  /** Converts a model; `bound` maps its inputs onto tensors of an enclosing model. */
  model(m: KerasLayer, bound?: string[]): string[] {
    if (m.class_name === 'Sequential') return this.sequential(m, bound);
    if (m.class_name === 'Model' || m.class_name === 'Functional') return this.functional(m, bound);
    return unsupported(this.file, String(m.config?.name ?? '?'), m.class_name, 'expected a Sequential, Model or Functional model');
  }

  private layerList(m: KerasLayer): KerasLayer[] {
    const cfg = m.config as unknown;
    const layers = Array.isArray(cfg) ? cfg : isObj(cfg) ? cfg.layers : undefined;
    if (!Array.isArray(layers)) throw new SpecError(messages.kerasNoLayerList(this.file, m.class_name));
    return layers.map((l, i) => {
      if (!isObj(l) || typeof l.class_name !== 'string' || !isObj(l.config)) throw new SpecError(messages.kerasLayerEntry(this.file, i));
      return l as unknown as KerasLayer;
    });
  }

  private emit(l: KerasLayer, inputs: string[]): string {
    const name = String(l.config.name ?? l.name);
    if (['Sequential', 'Model', 'Functional'].includes(l.class_name)) {
      // A nested model is inlined; its name becomes the block of every node it holds.
      this.scopes.push(name);
      try {
        return this.model(l, inputs)[0]!;
      } finally {
        this.scopes.pop();
      }
    }
    const inputShapes = inputs.map((i) => this.shapes.get(i)!);
    const conv = convertLayer(l, this.file, inputShapes.map((s) => s.length), this.tfjs);
    const nodeName = this.uniq(name);
    // Layer names written under name scopes (`block1/conv`) carry their scopes before the last `/`.
    const block = [...this.scopes, ...name.split('/').slice(0, -1).filter((s) => s !== '')];
    const node = { name: nodeName, op: conv.op, inputs, attrs: conv.attrs, ...(block.length ? { block } : {}) };
    // Shapes are inferred as layers convert, so each axis is read against its input's rank.
    try {
      this.shapes.set(nodeName, resolveNode(node, inputShapes).outputShape);
    } catch (e) {
      if (!(e instanceof ConvlabError)) throw e;
      unsupported(this.file, name, l.class_name, e.message);
    }
    this.nodes.push(node);
    return nodeName;
  }

  private input(name: string, shape: number[] | undefined, cls: string): string {
    if (!shape || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      unsupported(this.file, name, cls, `input shape ${JSON.stringify(shape)} must be fully known (no batch)`);
    }
    const n = this.uniq(name);
    this.inputs.push({ name: n, shape });
    this.shapes.set(n, shape);
    return n;
  }

  private sequential(m: KerasLayer, bound?: string[]): string[] {
    const layers = this.layerList(m);
    let cur: string | undefined = bound?.[0];
    for (const l of layers) {
      if (l.class_name === 'InputLayer') {
        if (cur === undefined) cur = this.input(String(l.config.name), shapeOf(l.config), l.class_name);
        continue;
      }
      if (cur === undefined) cur = this.input(`${String(l.config.name)}_input`, shapeOf(l.config), l.class_name);
      cur = this.emit(l, [cur]);
    }
    if (cur === undefined) throw new SpecError(messages.kerasEmptySequential(this.file));
    return [cur];
  }

  private functional(m: KerasLayer, bound?: string[]): string[] {
    const layers = this.layerList(m);
    const cfg = m.config as Json;
    const inputRefs = layerRefs(cfg.input_layers);
    const tensors = new Map<string, string>();
    const key = (n: string, i: number, t: number) => `${n}:${i}:${t}`;
    inputRefs.forEach(([n, i, t], k) => {
      const layer = layers.find((l) => String(l.config.name ?? l.name) === n);
      if (bound) {
        if (bound[k] === undefined) throw new SpecError(messages.kerasUnboundInput(this.file, n));
        tensors.set(key(n, i, t), bound[k]!);
      } else {
        tensors.set(key(n, i, t), this.input(n, layer ? shapeOf(layer.config) : undefined, 'InputLayer'));
      }
    });
    // Layers may be listed before their inputs in hand-edited files: resolve until no progress.
    let pending = layers.filter((l) => l.class_name !== 'InputLayer');
    while (pending.length > 0) {
      const next: KerasLayer[] = [];
      for (const l of pending) {
        const name = String(l.config.name ?? l.name);
        const calls = l.inbound_nodes ?? [];
        if (!Array.isArray(calls)) unsupported(this.file, name, l.class_name, `inbound_nodes must be a list of calls; received ${JSON.stringify(calls)}`);
        if (calls.length === 0) unsupported(this.file, name, l.class_name, 'has no inbound nodes');
        const ready = calls.every((call) => inboundRefs(call).every(([n, i, t]) => tensors.has(key(n, i, t))));
        if (!ready) {
          next.push(l);
          continue;
        }
        calls.forEach((call, callIndex) => {
          const ins = inboundRefs(call).map(([n, i, t]) => tensors.get(key(n, i, t))!);
          tensors.set(key(name, callIndex, 0), this.emit(l, ins));
        });
      }
      if (next.length === pending.length) {
        const stuck = next[0]!;
        const missing = (stuck.inbound_nodes ?? []).flatMap(inboundRefs).find(([n, i, t]) => !tensors.has(key(n, i, t)));
        unsupported(this.file, String(stuck.config.name ?? stuck.name), stuck.class_name,
          `input ${JSON.stringify(missing?.[0])} is never produced (a dangling reference or a cycle)`);
      }
      pending = next;
    }
    return layerRefs(cfg.output_layers).map(([n, i, t]) => {
      const out = tensors.get(key(n, i, t));
      if (!out) throw new SpecError(messages.kerasMissingOutput(this.file, n));
      return out;
    });
  }
}

/** The topology object inside any of the shapes a model.json takes. */
function kerasTopology(json: unknown, file: string): KerasLayer {
  if (!isObj(json)) throw new SpecError(messages.kerasNotObject(file));
  let t: unknown = json.modelTopology ?? json;
  if (isObj(t) && isObj(t.model_config)) t = t.model_config;
  if (!isObj(t) || typeof t.class_name !== 'string') throw new SpecError(messages.kerasNoTopology(file));
  return t as unknown as KerasLayer;
}

/** Converts parsed model.json content to a resolved graph; `input` replaces the single input's shape. */
export function kerasToGraph(json: unknown, file = 'model.json', o: { input?: Shape } = {}): Graph {
  const topology = kerasTopology(json, file);
  const generatedBy = isObj(json) ? json.generatedBy : undefined;
  const conv = new Converter(file, typeof generatedBy === 'string' && generatedBy.startsWith('TensorFlow.js'));
  const outputs = conv.model(topology);
  const name = String((isObj(topology.config) && topology.config.name) || 'imported');
  const source: ImportSource = { format: 'keras', file };
  const spec: GraphSpec = { name, inputs: conv.inputs, nodes: conv.nodes, outputs, meta: { source } };
  if (o.input) {
    if (spec.inputs.length !== 1) throw new UsageError(messages.inputOverride(file, spec.inputs.length));
    spec.inputs[0]!.shape = [...o.input];
  }
  return resolveGraph(spec);
}

/** Converts parsed model.json content to a validated convlab spec (the JSON form of kerasToGraph). */
export const kerasToSpec = (json: unknown, file = 'model.json'): GraphSpec => kerasToGraph(json, file).spec;
