/**
 * The functional builder. Reads like Keras' functional API: each call adds one named node and
 * returns a tensor handle with its inferred shape, so block functions can look at `x.shape`.
 */
import type { ActivationFn, OpType } from '../ops/types.js';
import { SpecError } from '../core/errors.js';
import { atNode, messages } from '../core/messages.js';
import { resolveNode, type ResolvedNode } from './graph.js';
import type { AttrValue, GraphSpec, NodeSpec, Shape } from './types.js';

/** A handle on a tensor in the graph being built. */
export interface Tensor {
  readonly name: string;
  readonly shape: Shape;
}

type Pair = number | [number, number];
type PaddingOpt = 'valid' | 'same' | number | [number, number] | [number, number, number, number];

/** Options common to every node. */
export interface NodeOptions {
  name?: string;
  trainable?: boolean;
}
export interface ConvOptions extends NodeOptions {
  filters: number;
  kernelSize: Pair;
  strides?: Pair;
  padding?: PaddingOpt;
  dilation?: Pair;
  groups?: number;
  useBias?: boolean;
  activation?: ActivationFn;
}
export interface DepthwiseOptions extends NodeOptions {
  kernelSize: Pair;
  strides?: Pair;
  padding?: PaddingOpt;
  dilation?: Pair;
  depthMultiplier?: number;
  useBias?: boolean;
  activation?: ActivationFn;
}
export interface SeparableOptions extends DepthwiseOptions {
  filters: number;
}
export interface DenseOptions extends NodeOptions {
  units: number;
  useBias?: boolean;
  activation?: ActivationFn;
}
export interface PoolOptions extends NodeOptions {
  poolSize: Pair;
  strides?: Pair;
  padding?: PaddingOpt;
  dilation?: Pair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}
export interface BatchNormOptions extends NodeOptions {
  epsilon?: number;
  momentum?: number;
  center?: boolean;
  scale?: boolean;
}

/** Builds a GraphSpec node by node, inferring shapes as it goes. */
export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly inputs: { name: string; shape: Shape }[] = [];
  private readonly shapes = new Map<string, Shape>();
  private readonly counters = new Map<string, number>();
  /** The blocks being built, outermost first; every node added records them. */
  private readonly scopes: string[] = [];

  constructor(readonly name: string) {}

  /** Declares a graph input of shape [H, W, C] (no batch). */
  input(shape: Shape, name = 'input'): Tensor {
    if (this.shapes.has(name)) throw new SpecError(messages.duplicateName(name), { node: name });
    if (!shape.every((d) => Number.isInteger(d) && d > 0)) throw new SpecError(messages.graphInputShape(name, shape), { node: name });
    this.inputs.push({ name, shape: [...shape] });
    this.shapes.set(name, [...shape]);
    return { name, shape: [...shape] };
  }

  /** A fresh Keras-style name: `conv2d`, `conv2d_1`, ... */
  uniqueName(prefix: string): string {
    for (;;) {
      const k = this.counters.get(prefix) ?? 0;
      this.counters.set(prefix, k + 1);
      const candidate = k === 0 ? prefix : `${prefix}_${k}`;
      if (!this.shapes.has(candidate)) return candidate;
    }
  }

  /** Adds a node of any op; attrs are checked and the output shape inferred immediately. */
  node(op: OpType, inputs: Tensor | Tensor[], attrs: Record<string, AttrValue | undefined> = {}, name?: string): Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const nodeName = name ?? this.uniqueName(defaultPrefix(op));
    if (this.shapes.has(nodeName)) throw new SpecError(atNode(nodeName, op, messages.duplicateName(nodeName)), { node: nodeName });
    const clean: Record<string, AttrValue> = {};
    for (const [k, val] of Object.entries(attrs)) if (val !== undefined) clean[k] = val;
    const spec: NodeSpec = { name: nodeName, op, inputs: list.map((t) => t.name), attrs: clean, ...(this.scopes.length ? { block: [...this.scopes] } : {}) };
    const resolved: ResolvedNode = resolveNode(spec, list.map((t) => this.shapes.get(t.name) ?? t.shape));
    this.nodes.push(spec);
    this.shapes.set(nodeName, resolved.outputShape);
    return { name: nodeName, shape: resolved.outputShape };
  }

  conv2d(x: Tensor, o: ConvOptions): Tensor {
    const { name, ...attrs } = o;
    return this.node('Conv2D', x, attrs as Record<string, AttrValue>, name);
  }
  depthwiseConv2d(x: Tensor, o: DepthwiseOptions): Tensor {
    const { name, ...attrs } = o;
    return this.node('DepthwiseConv2D', x, attrs as Record<string, AttrValue>, name);
  }
  separableConv2d(x: Tensor, o: SeparableOptions): Tensor {
    const { name, ...attrs } = o;
    return this.node('SeparableConv2D', x, attrs as Record<string, AttrValue>, name);
  }
  dense(x: Tensor, o: DenseOptions): Tensor {
    const { name, ...attrs } = o;
    return this.node('Dense', x, attrs as Record<string, AttrValue>, name);
  }
  maxPool(x: Tensor, o: PoolOptions): Tensor {
    const { name, ...attrs } = o;
    return this.node('MaxPool2D', x, attrs as Record<string, AttrValue>, name);
  }
  avgPool(x: Tensor, o: PoolOptions): Tensor {
    const { name, ...attrs } = o;
    return this.node('AvgPool2D', x, attrs as Record<string, AttrValue>, name);
  }
  globalAvgPool(x: Tensor, o: NodeOptions & { keepDims?: boolean } = {}): Tensor {
    const { name, ...attrs } = o;
    return this.node('GlobalAvgPool', x, attrs, name);
  }
  globalMaxPool(x: Tensor, o: NodeOptions & { keepDims?: boolean } = {}): Tensor {
    const { name, ...attrs } = o;
    return this.node('GlobalMaxPool', x, attrs, name);
  }
  batchNorm(x: Tensor, o: BatchNormOptions = {}): Tensor {
    const { name, ...attrs } = o;
    return this.node('BatchNorm', x, attrs, name);
  }
  activation(x: Tensor, fn: ActivationFn, name?: string): Tensor {
    return this.node('Activation', x, { fn }, name ?? this.uniqueName(fn === 'softmax' ? 'softmax' : 'activation'));
  }
  add(xs: Tensor[], name?: string): Tensor {
    return this.node('Add', xs, {}, name);
  }
  multiply(xs: Tensor[], name?: string): Tensor {
    return this.node('Multiply', xs, {}, name);
  }
  concat(xs: Tensor[], o: NodeOptions & { axis?: number } = {}): Tensor {
    const { name, ...attrs } = o;
    return this.node('Concat', xs, attrs, name);
  }
  flatten(x: Tensor, name?: string): Tensor {
    return this.node('Flatten', x, {}, name);
  }
  reshape(x: Tensor, shape: number[], name?: string): Tensor {
    return this.node('Reshape', x, { shape }, name);
  }
  dropout(x: Tensor, rate: number, name?: string): Tensor {
    return this.node('Dropout', x, { rate }, name);
  }
  zeroPad(x: Tensor, padding: PaddingOpt, name?: string): Tensor {
    return this.node('ZeroPadding2D', x, { padding: padding as AttrValue }, name);
  }
  crop(x: Tensor, cropping: PaddingOpt, name?: string): Tensor {
    return this.node('Cropping2D', x, { cropping: cropping as AttrValue }, name);
  }

  /**
   * Builds the nodes `body` adds inside a block named `name`, nested in any block being built,
   * as Keras' name scopes and nested models do: stage → block → branch. Reports group by it.
   */
  scope<T>(name: string, body: () => T): T {
    this.scopes.push(name);
    try {
      return body();
    } finally {
      this.scopes.pop();
    }
  }

  /** Shape of a named tensor built so far. */
  shapeOf(name: string): Shape | undefined {
    return this.shapes.get(name);
  }

  /** Finishes the graph with the given outputs. */
  build(outputs: Tensor | Tensor[], meta?: Record<string, unknown>): GraphSpec {
    const outs = (Array.isArray(outputs) ? outputs : [outputs]).map((t) => t.name);
    const spec: GraphSpec = {
      name: this.name,
      inputs: this.inputs.map((i) => ({ name: i.name, shape: [...i.shape] })),
      nodes: this.nodes.map((n) => ({ ...n, inputs: [...n.inputs], attrs: { ...n.attrs }, ...(n.block ? { block: [...n.block] } : {}) })),
      outputs: outs,
    };
    if (meta) spec.meta = meta;
    return spec;
  }
}

const PREFIX: Record<OpType, string> = {
  Conv2D: 'conv2d',
  DepthwiseConv2D: 'depthwise_conv2d',
  SeparableConv2D: 'separable_conv2d',
  Dense: 'dense',
  MaxPool2D: 'max_pooling2d',
  AvgPool2D: 'average_pooling2d',
  GlobalAvgPool: 'global_average_pooling2d',
  GlobalMaxPool: 'global_max_pooling2d',
  BatchNorm: 'batch_normalization',
  LRN: 'lrn',
  Dropout: 'dropout',
  Flatten: 'flatten',
  Reshape: 'reshape',
  Permute: 'permute',
  ZeroPadding2D: 'zero_padding2d',
  Cropping2D: 'cropping2d',
  Add: 'add',
  Concat: 'concatenate',
  Multiply: 'multiply',
  ScaledAdd: 'scaled_add',
  Rescaling: 'rescaling',
  Normalization: 'normalization',
  Activation: 'activation',
  PReLU: 'p_re_lu',
  Conv2DTranspose: 'conv2d_transpose',
  ConstantPad2D: 'constant_pad2d',
  BorderPad2D: 'border_pad2d',
  Resize: 'up_sampling2d',
  Split: 'split',
  AdaptiveAvgPool: 'adaptive_avg_pool',
};

const defaultPrefix = (op: OpType): string => PREFIX[op];
