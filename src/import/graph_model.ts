/**
 * Reads TensorFlow.js graph models (model.json with `format: "graph-model"`: TensorFlow NodeDefs
 * in modelTopology.node, constants in the weights manifest) into a convlab graph with weights.
 * The layers TensorFlow's converter writes are rebuilt from the ops that compute them: convs
 * (plain and _Fused with a bias or a batch norm and an activation), depthwise convs, MatMul,
 * pooling, Mean over height and width, ConcatV2, elementwise arithmetic, padding, reshapes,
 * softmax and batch norm. An op convlab has no layer for is refused with its node and op.
 * Browser-safe: constants come in as decoded tensors.
 */
import { ConvlabError, SpecError } from '../core/errors.js';
import { messages as m } from '../core/messages.js';
import { numel } from '../core/numel.js';
import { resolveGraph, resolveNode, type Graph } from '../graph/graph.js';
import type { AttrValue, InputSpec, NodeSpec, Shape } from '../graph/types.js';
import type { ActivationFn, OpType } from '../ops/types.js';
import type { StoredTensor } from '../weights/manifest.js';
import { weightKey, type WeightMap } from '../weights/map.js';

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** One TensorFlow NodeDef as the converter writes it in JSON. */
interface NodeDef {
  name: string;
  op: string;
  input: string[];
  attr: Json;
}

type Value = { kind: 'tensor'; name: string; shape: Shape } | { kind: 'const'; dims: number[]; data: Float32Array };
type Tensor = Extract<Value, { kind: 'tensor' }>;

/** True when parsed model.json content is a graph model rather than a layers model. */
export function isGraphModel(json: unknown): boolean {
  return isObj(json) && (json.format === 'graph-model' || (isObj(json.modelTopology) && Array.isArray(json.modelTopology.node)));
}

/** Decodes a base64 string attribute (TensorFlow writes bytes). */
const decode = (s: unknown): string => (typeof s === 'string' ? new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0))) : '');

/** Activation functions TensorFlow fuses or writes as ops, by op name. */
const TF_ACTIVATIONS: Record<string, ActivationFn> = { Relu: 'relu', Relu6: 'relu6', Elu: 'elu', Selu: 'selu', LeakyRelu: 'leaky_relu', Sigmoid: 'sigmoid', Tanh: 'tanh' };

/** Reads the NodeDefs' attributes and constants, and emits convlab nodes. */
class Reader {
  readonly nodes: NodeSpec[] = [];
  readonly inputs: InputSpec[] = [];
  readonly weights: WeightMap = new Map();
  private readonly values = new Map<string, Value>();
  private readonly shapes = new Map<string, Shape>();
  private readonly used = new Set<string>();
  private readonly uses = new Map<string, number>();
  /** The NodeDef being converted; messages name it. */
  node!: NodeDef;

  constructor(private readonly file: string, private readonly consts: Map<string, StoredTensor>, defs: NodeDef[]) {
    for (const d of defs) for (const i of d.input) this.uses.set(i, (this.uses.get(i) ?? 0) + 1);
  }

  fail(what: string): never {
    throw new SpecError(m.graphAtNode(this.file, this.node.name, this.node.op, what), { node: this.node.name });
  }

  private attr(name: string): Json | undefined {
    const a = this.node.attr[name];
    return isObj(a) ? a : undefined;
  }
  ints(name: string, fallback: number[]): number[] {
    const list = this.attr(name)?.list;
    return isObj(list) && Array.isArray(list.i) ? list.i.map(Number) : fallback;
  }
  str(name: string, fallback: string): string {
    const a = this.attr(name);
    return a && typeof a.s === 'string' ? decode(a.s) : fallback;
  }
  strs(name: string): string[] {
    const list = this.attr(name)?.list;
    return isObj(list) && Array.isArray(list.s) ? list.s.map(decode) : [];
  }
  float(name: string, fallback: number): number {
    const a = this.attr(name);
    return a && a.f !== undefined ? Number(a.f) : fallback;
  }
  bool(name: string): boolean {
    return this.attr(name)?.b === true;
  }

  /** Input `i` of the current node. */
  value(i: number): Value {
    const ref = this.node.input[i];
    if (ref === undefined) return this.fail(m.graphMissingInput(`#${i}`));
    const v = this.values.get(ref.replace(/:0$/, ''));
    return v ?? this.fail(m.graphMissingInput(ref));
  }
  tensor(i: number, role: string): Tensor {
    const v = this.value(i);
    return v.kind === 'tensor' ? v : this.fail(m.graphNeedsTensor(role, this.node.input[i]!));
  }
  constant(i: number, role: string): Extract<Value, { kind: 'const' }> {
    const v = this.value(i);
    return v.kind === 'const' ? v : this.fail(m.graphNeedsConst(role, this.node.input[i]!));
  }

  /** The convlab tensor a graph output names; a constant output is refused. */
  output(name: string): string {
    const v = this.values.get(name);
    if (!v) throw new SpecError(m.graphAtNode(this.file, name, 'output', m.graphMissingInput(name)), { node: name });
    if (v.kind !== 'tensor') throw new SpecError(m.graphAtNode(this.file, name, 'output', m.graphNeedsTensor('output', name)), { node: name });
    return v.name;
  }

  /** Binds the current node's first output. */
  bind(v: Value): void {
    this.values.set(this.node.name, v);
  }

  /** A Const node's values: from the weights manifest, else from its value attribute. */
  readConst(): Value {
    const stored = this.consts.get(this.node.name);
    if (stored) return { kind: 'const', dims: stored.shape, data: stored.data };
    const t = this.attr('value')?.tensor;
    if (!isObj(t)) return this.fail(m.graphNoValues(this.node.name));
    const dims = isObj(t.tensorShape) && Array.isArray(t.tensorShape.dim) ? t.tensorShape.dim.map((d) => Number((d as Json).size ?? 1)) : [];
    const list = (t.floatVal ?? t.intVal ?? t.int64Val) as unknown[] | undefined;
    let data: Float32Array;
    if (typeof t.tensorContent === 'string') {
      const bytes = Uint8Array.from(atob(t.tensorContent), (c) => c.charCodeAt(0));
      data = t.dtype === 'DT_INT32' ? Float32Array.from(new Int32Array(bytes.buffer)) : new Float32Array(bytes.buffer);
    } else if (Array.isArray(list)) {
      const n = numel(dims);
      data = Float32Array.from({ length: n }, (_, k) => Number(list[Math.min(k, list.length - 1)]));
    } else {
      return this.fail(m.graphNoValues(this.node.name));
    }
    return { kind: 'const', dims, data };
  }

  /** A graph input from a Placeholder's shape. */
  placeholder(): Value {
    const dims = (this.attr('shape')?.shape as Json | undefined)?.dim;
    const sizes = Array.isArray(dims) ? dims.map((d) => Number((d as Json).size)) : [];
    const shape = sizes.slice(1);
    if (sizes.length < 2 || !shape.every((d) => Number.isInteger(d) && d > 0)) this.fail(m.graphShape(this.node.name, sizes));
    const name = this.unique(this.node.name);
    this.inputs.push({ name, shape });
    this.shapes.set(name, shape);
    return { kind: 'tensor', name, shape };
  }

  private unique(raw: string): string {
    const base = raw.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'node';
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Emits a convlab node named after the current NodeDef (with a suffix for helpers) and infers its shape. */
  emit(op: OpType, inputs: Tensor[], attrs: Record<string, AttrValue>, weights: Record<string, Float32Array> = {}, suffix = ''): Tensor {
    const name = this.unique(this.node.name + suffix);
    const spec: NodeSpec = { name, op, inputs: inputs.map((t) => t.name), attrs };
    let shape: Shape;
    try {
      shape = resolveNode(spec, inputs.map((t) => t.shape)).outputShape;
    } catch (e) {
      if (e instanceof ConvlabError) this.fail(e.message);
      throw e;
    }
    this.nodes.push(spec);
    for (const [k, v] of Object.entries(weights)) this.weights.set(weightKey(name, k), v);
    return { kind: 'tensor', name, shape };
  }

  /** The emitted node computing `t`, when the current node is its only reader (so it may take a bias). */
  soleProducer(t: Tensor, tfName: string): NodeSpec | undefined {
    if ((this.uses.get(tfName) ?? 0) + (this.uses.get(`${tfName}:0`) ?? 0) !== 1) return undefined;
    return this.nodes.find((n) => n.name === t.name);
  }
}

/** Strides, padding and dilation of a windowed NodeDef (NHWC). */
function window(r: Reader): { strides: number[]; padding: AttrValue; dilation: number[] } {
  if (r.str('data_format', 'NHWC') !== 'NHWC') r.fail(m.graphNchw());
  const s = r.ints('strides', [1, 1, 1, 1]);
  const d = r.ints('dilations', [1, 1, 1, 1]);
  const pad = r.str('padding', 'VALID');
  let padding: AttrValue;
  if (pad === 'SAME') padding = 'same';
  else if (pad === 'VALID') padding = 'valid';
  else if (pad === 'EXPLICIT') {
    const e = r.ints('explicit_paddings', []);
    if (e.length !== 8) r.fail(m.graphAttr('explicit_paddings', e, 'expected 8 values [0, 0, top, bottom, left, right, 0, 0]'));
    padding = [e[2]!, e[3]!, e[4]!, e[5]!];
  } else return r.fail(m.graphAttr('padding', pad, 'expected SAME, VALID or EXPLICIT'));
  return { strides: [s[1]!, s[2]!], padding, dilation: [d[1]!, d[2]!] };
}

/** Applies the fused ops of _FusedConv2D / FusedDepthwiseConv2dNative / _FusedMatMul to the layer just emitted. */
function fused(r: Reader, y: Tensor, layer: NodeSpec, channels: number): Tensor {
  const ops = r.strs('fused_ops');
  const args = r.node.input.length;
  let i = 2;
  let out = y;
  const [first, act, ...rest] = ops;
  if (rest.length > 0 || (first !== 'BiasAdd' && first !== 'FusedBatchNorm')) r.fail(m.graphFusedOp(ops));
  const vec = (k: number, role: string) => {
    const c = r.constant(k, role);
    if (c.data.length !== channels) r.fail(m.graphConstShape(role, `[${channels}]`, c.dims));
    return c.data;
  };
  if (first === 'BiasAdd') {
    layer.attrs = { ...layer.attrs, useBias: true };
    r.weights.set(weightKey(layer.name, 'bias'), vec(i++, 'bias'));
  } else {
    const w = { gamma: vec(i, 'scale'), beta: vec(i + 1, 'offset'), moving_mean: vec(i + 2, 'mean'), moving_variance: vec(i + 3, 'variance') };
    i += 4;
    out = r.emit('BatchNorm', [out], { epsilon: r.float('epsilon', 1e-3) }, w, '_bn');
  }
  if (act === undefined) return out;
  const fn = TF_ACTIVATIONS[act];
  if (!fn || i > args) r.fail(m.graphFusedOp(ops));
  const alpha = fn === 'leaky_relu' ? { alpha: r.float('leakyrelu_alpha', 0.2) } : fn === 'elu' ? { alpha: 1 } : {};
  return r.emit('Activation', [out], { fn, ...alpha }, {}, `_${fn}`);
}

/** A per-channel constant added to `x`: the bias of the layer that computes it. */
function addBias(r: Reader, x: Tensor, b: Extract<Value, { kind: 'const' }>, tfName: string): Tensor {
  const layer = r.soleProducer(x, tfName);
  const c = x.shape[x.shape.length - 1]!;
  if (!layer || !['Conv2D', 'DepthwiseConv2D', 'Dense'].includes(layer.op) || layer.attrs?.useBias !== false || (layer.attrs.activation ?? 'linear') !== 'linear' || b.data.length !== c) {
    return r.fail(m.graphFreeBias());
  }
  layer.attrs = { ...layer.attrs, useBias: true };
  r.weights.set(weightKey(layer.name, 'bias'), Float32Array.from(b.data));
  return x;
}

type Converter = (r: Reader) => Value;

const conv: Converter = (r) => {
  const x = r.tensor(0, 'input');
  const f = r.constant(1, 'filter');
  if (f.dims.length !== 4) r.fail(m.graphConstShape('filter', '[kh, kw, cin, K]', f.dims));
  const [kh, kw, cin, K] = f.dims as [number, number, number, number];
  const groups = x.shape[2]! / cin;
  const y = r.emit('Conv2D', [x], { filters: K, kernelSize: [kh, kw], ...window(r), groups, useBias: false }, { kernel: f.data });
  return r.node.op === '_FusedConv2D' ? fused(r, y, r.nodes[r.nodes.length - 1]!, K) : y;
};

const depthwise: Converter = (r) => {
  const x = r.tensor(0, 'input');
  const f = r.constant(1, 'filter');
  if (f.dims.length !== 4 || f.dims[2] !== x.shape[2]) r.fail(m.graphConstShape('filter', `[kh, kw, ${x.shape[2]}, multiplier]`, f.dims));
  const [kh, kw, cin, dm] = f.dims as [number, number, number, number];
  const y = r.emit('DepthwiseConv2D', [x], { kernelSize: [kh, kw], ...window(r), depthMultiplier: dm, useBias: false }, { depthwise_kernel: f.data });
  return r.node.op === 'FusedDepthwiseConv2dNative' ? fused(r, y, r.nodes[r.nodes.length - 1]!, cin * dm) : y;
};

const matMul: Converter = (r) => {
  const x = r.tensor(0, 'a');
  const w = r.constant(1, 'b');
  if (r.bool('transpose_a')) r.fail(m.graphAttr('transpose_a', true, 'the batch must stay the leading axis'));
  if (w.dims.length !== 2) r.fail(m.graphConstShape('b', '[nin, nout]', w.dims));
  const tb = r.bool('transpose_b');
  const [nin, nout] = (tb ? [w.dims[1], w.dims[0]] : w.dims) as [number, number];
  if (nin !== x.shape[x.shape.length - 1]) r.fail(m.graphConstShape('b', `[${x.shape[x.shape.length - 1]}, nout]`, w.dims));
  const kernel = tb ? Float32Array.from({ length: nin * nout }, (_, k) => w.data[(k % nout) * nin + Math.floor(k / nout)]!) : w.data;
  const y = r.emit('Dense', [x], { units: nout, useBias: false }, { kernel });
  return r.node.op === '_FusedMatMul' ? fused(r, y, r.nodes[r.nodes.length - 1]!, nout) : y;
};

const pool = (op: 'MaxPool2D' | 'AvgPool2D'): Converter => (r) => {
  const x = r.tensor(0, 'input');
  const k = r.ints('ksize', [1, 1, 1, 1]);
  const { strides, padding } = window(r);
  return r.emit(op, [x], { poolSize: [k[1]!, k[2]!], strides, padding });
};

const mean: Converter = (r) => {
  const x = r.tensor(0, 'input');
  const axes = Array.from(r.constant(1, 'reduction_indices').data).map((a) => (a < 0 ? a + 4 : a)).sort();
  if (x.shape.length !== 3 || axes.join() !== '1,2') r.fail(m.graphAttr('reduction_indices', axes, 'convlab averages over height and width (axes 1 and 2) of a feature map'));
  return r.emit('GlobalAvgPool', [x], { keepDims: r.bool('keep_dims') });
};

const concat: Converter = (r) => {
  const n = r.node.input.filter((i) => !i.startsWith('^')).length - 1;
  const xs = Array.from({ length: n }, (_, i) => r.tensor(i, `values[${i}]`));
  const raw = r.constant(n, 'axis').data[0]!;
  const rank = xs[0]!.shape.length + 1;
  const axis = raw < 0 ? raw + rank : raw;
  if (axis < 1 || axis >= rank) r.fail(m.graphAttr('axis', raw, 'convlab concatenates along an axis other than the batch'));
  return r.emit('Concat', xs, { axis: axis === rank - 1 ? -1 : axis - 1 });
};

/** Add, AddV2, Sub, Mul of two tensors or a tensor and a constant. */
const arithmetic = (kind: 'add' | 'sub' | 'mul'): Converter => (r) => {
  const a = r.value(0);
  const b = r.value(1);
  if (a.kind === 'tensor' && b.kind === 'tensor') {
    if (kind === 'sub') r.fail(m.graphAttr('op', 'Sub', 'the difference of two computed tensors has no convlab op'));
    return r.emit(kind === 'add' ? 'Add' : 'Multiply', [a, b], {});
  }
  const [x, c, tfName] = a.kind === 'tensor' ? [a, b as Extract<Value, { kind: 'const' }>, r.node.input[0]!] : [b as Tensor, a, r.node.input[1]!];
  if (c.data.length === 1) {
    const v = c.data[0]!;
    if (kind === 'mul') return r.emit('Rescaling', [x], { scale: v, offset: 0 });
    // x - c; c - x is -x + c.
    const flip = kind === 'sub' && a.kind === 'const';
    return r.emit('Rescaling', [x], { scale: flip ? -1 : 1, offset: kind === 'sub' && !flip ? -v : v });
  }
  if (kind === 'mul' || a.kind === 'const' && kind === 'sub') r.fail(m.graphAttr('op', r.node.op, 'a per-channel constant here has no convlab op; only a bias after a conv or MatMul does'));
  return addBias(r, x, kind === 'sub' ? { ...c, data: c.data.map((v) => -v) } : c, tfName.replace(/:0$/, ''));
};

const pad: Converter = (r) => {
  const x = r.tensor(0, 'input');
  const p = r.constant(1, 'paddings').data;
  if (p.length !== 8 || p[0] || p[1] || p[6] || p[7]) r.fail(m.graphConstShape('paddings', '[[0, 0], [top, bottom], [left, right], [0, 0]]', [p.length]));
  const padding = [p[2]!, p[3]!, p[4]!, p[5]!];
  const value = r.node.op === 'PadV2' ? r.constant(2, 'constant_values').data[0]! : 0;
  return value === 0 ? r.emit('ZeroPadding2D', [x], { padding }) : r.emit('ConstantPad2D', [x], { padding, value });
};

const reshape: Converter = (r) => {
  const x = r.tensor(0, 'tensor');
  const dims = Array.from(r.constant(1, 'shape').data);
  // The leading entry is the batch (-1 or its size); convlab shapes leave it out.
  const to = dims.slice(1);
  const known = numel(to.filter((d) => d !== -1));
  const shape = to.map((d) => (d === -1 ? numel(x.shape) / known : d));
  if (shape.length === x.shape.length && shape.every((d, i) => d === x.shape[i])) return x;
  return r.emit('Reshape', [x], { shape });
};

const squeeze: Converter = (r) => {
  const x = r.tensor(0, 'input');
  const rank = x.shape.length + 1;
  const raw = r.ints('squeeze_dims', r.ints('axis', []));
  const drop = new Set((raw.length > 0 ? raw : x.shape.flatMap((d, i) => (d === 1 ? [i + 1] : []))).map((a) => (a < 0 ? a + rank : a)));
  if (drop.has(0) || [...drop].some((a) => x.shape[a - 1] !== 1)) r.fail(m.graphAttr('squeeze_dims', raw, 'only axes of size 1 other than the batch can be dropped'));
  const shape = x.shape.filter((_, i) => !drop.has(i + 1));
  return r.emit('Reshape', [x], { shape });
};

const batchNorm: Converter = (r) => {
  const x = r.tensor(0, 'x');
  if (r.bool('is_training')) r.fail(m.graphAttr('is_training', true, 'convlab reads inference graphs'));
  if (r.str('data_format', 'NHWC') !== 'NHWC') r.fail(m.graphNchw());
  const c = x.shape[x.shape.length - 1]!;
  const vec = (i: number, role: string) => {
    const v = r.constant(i, role);
    if (v.data.length !== c) r.fail(m.graphConstShape(role, `[${c}]`, v.dims));
    return v.data;
  };
  return r.emit('BatchNorm', [x], { epsilon: r.float('epsilon', 1e-3) }, { gamma: vec(1, 'scale'), beta: vec(2, 'offset'), moving_mean: vec(3, 'mean'), moving_variance: vec(4, 'variance') });
};

const activation = (fn: ActivationFn): Converter => (r) => {
  const alpha = fn === 'leaky_relu' ? { alpha: r.float('alpha', 0.2) } : fn === 'elu' ? { alpha: 1 } : {};
  return r.emit('Activation', [r.tensor(0, 'features')], { fn, ...alpha });
};

const passThrough: Converter = (r) => r.value(0);

const CONVERTERS: Record<string, Converter> = {
  Conv2D: conv, _FusedConv2D: conv,
  DepthwiseConv2dNative: depthwise, FusedDepthwiseConv2dNative: depthwise,
  MatMul: matMul, _FusedMatMul: matMul,
  BiasAdd: (r) => addBias(r, r.tensor(0, 'value'), r.constant(1, 'bias'), r.node.input[0]!.replace(/:0$/, '')),
  ...Object.fromEntries(Object.entries(TF_ACTIVATIONS).map(([op, fn]) => [op, activation(fn)])),
  Softmax: activation('softmax'),
  MaxPool: pool('MaxPool2D'), AvgPool: pool('AvgPool2D'),
  Mean: mean,
  ConcatV2: concat,
  Add: arithmetic('add'), AddV2: arithmetic('add'), Sub: arithmetic('sub'), Mul: arithmetic('mul'),
  Pad: pad, PadV2: pad,
  MirrorPad: (r) => r.fail(m.graphMirrorPad()),
  Reshape: reshape, Squeeze: squeeze,
  FusedBatchNorm: batchNorm, FusedBatchNormV2: batchNorm, FusedBatchNormV3: batchNorm,
  Identity: passThrough, StopGradient: passThrough, Snapshot: passThrough,
};

/** TensorFlow ops the graph-model reader maps, besides Placeholder, Const and NoOp (for docs and messages). */
export const GRAPH_MODEL_OPS: readonly string[] = Object.keys(CONVERTERS).sort();

/** Checks the NodeDef list and orders it so every node comes after its inputs. */
function orderNodes(raw: unknown, file: string): NodeDef[] {
  const top = isObj(raw) ? raw.modelTopology : undefined;
  const list = isObj(top) ? top.node : undefined;
  if (!Array.isArray(list)) throw new SpecError(m.graphNoNodes(file));
  const defs = list.map((n, i): NodeDef => {
    if (!isObj(n) || typeof n.name !== 'string' || typeof n.op !== 'string') throw new SpecError(m.graphNodeEntry(file, i));
    const input = Array.isArray(n.input) ? n.input.filter((x): x is string => typeof x === 'string' && !x.startsWith('^')) : [];
    return { name: n.name, op: n.op, input, attr: isObj(n.attr) ? n.attr : {} };
  });
  const byName = new Map(defs.map((d) => [d.name, d]));
  const done = new Set<string>();
  const order: NodeDef[] = [];
  const visiting = new Set<string>();
  const visit = (d: NodeDef): void => {
    if (done.has(d.name)) return;
    if (visiting.has(d.name)) throw new SpecError(m.graphAtNode(file, d.name, d.op, m.cycle([d.name])), { node: d.name });
    visiting.add(d.name);
    for (const ref of d.input) {
      const dep = byName.get(ref.replace(/:\d+$/, ''));
      if (!dep) throw new SpecError(m.graphAtNode(file, d.name, d.op, m.graphMissingInput(ref)), { node: d.name });
      visit(dep);
    }
    visiting.delete(d.name);
    done.add(d.name);
    order.push(d);
  };
  defs.forEach(visit);
  return order;
}

/** The graph's outputs: the signature's, else every computing node whose result nothing reads. */
function outputNames(json: Json, defs: NodeDef[], file: string): string[] {
  const sig = isObj(json.signature) && isObj(json.signature.outputs) ? Object.values(json.signature.outputs) : [];
  const named = sig.flatMap((o) => (isObj(o) && typeof o.name === 'string' ? [o.name.replace(/:0$/, '')] : []));
  if (named.length > 0) return named;
  const read = new Set(defs.flatMap((d) => d.input.map((i) => i.replace(/:\d+$/, ''))));
  const outs = defs.filter((d) => !read.has(d.name) && !['Const', 'NoOp', 'Placeholder'].includes(d.op)).map((d) => d.name);
  if (outs.length === 0) throw new SpecError(m.graphNoOutputs(file));
  return outs;
}

/** Converts a parsed graph-model model.json and its decoded constants to a resolved graph and its weights. */
export function graphModelToGraph(json: unknown, consts: Map<string, StoredTensor>, file = 'model.json'): { graph: Graph; weights: WeightMap } {
  const defs = orderNodes(json, file);
  const r = new Reader(file, consts, defs);
  for (const d of defs) {
    r.node = d;
    if (d.op === 'NoOp') continue;
    if (d.op === 'Placeholder') r.bind(r.placeholder());
    else if (d.op === 'Const') r.bind(r.readConst());
    else {
      const convert = CONVERTERS[d.op] ?? r.fail(m.graphUnknownOp(d.op));
      r.bind(convert(r));
    }
  }
  const outputs = outputNames(json as Json, defs, file).map((name) => r.output(name));
  const spec = { name: file.replace(/^.*[\\/]/, '').replace(/\.json$/, ''), inputs: r.inputs, nodes: r.nodes, outputs, meta: { source: { format: 'tfjs-graph', file } } };
  return { graph: resolveGraph(spec), weights: r.weights };
}
