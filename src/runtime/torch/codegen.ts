/**
 * A convlab graph as PyTorch source: one nn.Module class whose attributes and variables carry
 * the graph's node names, readable and runnable on its own, plus the table that maps every
 * Keras weight to its state-dict entry, so weights cross in both directions.
 */
import { contextOf } from '../../analysis/analyze.js';
import type { Graph } from '../../graph/graph.js';
import type { WeightSpec } from '../../ops/index.js';
import { weightKey } from '../../weights/map.js';
import type { TorchWeight } from './layout.js';
import { activate, TORCH_LOWERINGS } from './lowering.js';
import { className, PythonNames } from './names.js';
import { HELPERS, type HelperName } from './python.js';

/** One Keras weight and the PyTorch tensor it becomes. */
export interface MappedWeight {
  /** convlab's key, `node/weight`. */
  key: string;
  /** The state-dict name, `conv1.weight`. */
  name: string;
  kerasShape: number[];
  weight: TorchWeight;
  /** A parameter the optimizer updates (not a buffer, not frozen). */
  trainable: boolean;
  /** Weight decay applies: kernels, as in the tfjs engine; never biases or BatchNorm's γ and β. */
  decay: boolean;
}

/** A generated module. */
export interface TorchModule {
  source: string;
  className: string;
  weights: MappedWeight[];
  /** True when the single output is a softmax: `return_logits = True` makes forward stop before it. */
  logits: boolean;
}

const DECAYED = new Set(['kernel', 'depthwise_kernel', 'pointwise_kernel']);

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Checks a lowering's weight table against the op's WeightSpecs: a mismatch is a bug in the lowering. */
function checkWeights(node: string, specs: WeightSpec[], mapped: TorchWeight[]): void {
  const names = (xs: Array<{ name?: string; keras?: string }>) => xs.map((x) => x.name ?? x.keras).sort().join(', ');
  if (names(specs) !== names(mapped)) throw new Error(`torch lowering of ${node}: maps weights [${names(mapped)}], the op has [${names(specs)}]`);
  for (const w of mapped) {
    const spec = specs.find((s) => s.name === w.keras)!;
    const kerasSize = size(spec.dims.map(([, d]) => d));
    if (kerasSize !== size(w.shape)) throw new Error(`torch lowering of ${node}: ${w.keras} has ${kerasSize} values in Keras, ${size(w.shape)} as shaped for PyTorch`);
  }
}

/** Generates the PyTorch module of a graph. */
export function generateTorchModule(graph: Graph): TorchModule {
  const names = new PythonNames();
  const vars = new Map<string, string>();
  for (const i of graph.inputs) vars.set(i.name, names.of(i.name));
  const init: string[] = [];
  const forward: string[] = [];
  const helpers = new Set<HelperName>();
  const weights: MappedWeight[] = [];
  const frozenNorms: string[] = [];
  const outputNode = graph.outputs.length === 1 ? graph.nodes.find((n) => n.name === graph.outputs[0]) : undefined;
  let logits = false;
  // Where each value is read last: it is deleted there, so a tensor autograd does not keep is
  // freed as soon as a hand-written forward would free it (torch.fx's generated code does the same).
  const lastRead = new Map<string, string>();
  for (const node of graph.nodes) for (const i of node.inputs) lastRead.set(i, node.name);
  const kept = new Set(graph.outputs);

  for (const node of graph.nodes) {
    const id = names.of(node.name);
    const self = `self.${id}`;
    const lowered = TORCH_LOWERINGS[node.op]({ node, inputs: node.inputs.map((i) => vars.get(i)!), self });
    const specs = node.def.weights(contextOf(node)) as WeightSpec[];
    checkWeights(node.name, specs, lowered.weights ?? []);
    for (const h of lowered.helpers ?? []) helpers.add(h);
    if (lowered.module) {
      init.push(`self.${id} = ${lowered.module}`, ...(lowered.setup ?? []));
      if (!node.attrs.trainable && specs.length > 0) {
        init.push(`${self}.requires_grad_(False)  # "trainable": false in the spec`);
        if (node.op === 'BatchNorm') frozenNorms.push(self);
      }
    }
    for (const w of lowered.weights ?? []) {
      const spec = specs.find((s) => s.name === w.keras)!;
      weights.push({
        key: weightKey(node.name, w.keras),
        name: `${id}.${w.torch}`,
        kerasShape: spec.dims.map(([, d]) => d),
        weight: w,
        trainable: spec.trainable && !spec.buffer && node.attrs.trainable,
        decay: DECAYED.has(w.keras),
      });
    }
    const fn = lowered.activation ?? 'linear';
    if (node === outputNode && fn === 'softmax') {
      logits = true;
      forward.push(
        `${id} = ${lowered.forward}`,
        '# Training reads the logits: cross-entropy from them is the stable form of -log(softmax).',
        'if self.return_logits:',
        `    return ${id}`,
        `${id} = ${activate(fn, id, node.outputShape, lowered.alpha)}`,
      );
    } else {
      forward.push(`${id} = ${activate(fn, lowered.forward, node.outputShape, lowered.alpha)}`);
    }
    const done = [...new Set(node.inputs)].filter((i) => lastRead.get(i) === node.name && !kept.has(i)).map((i) => vars.get(i)!);
    if (done.length > 0) forward.push(`del ${done.join(', ')}`);
    vars.set(node.name, id);
  }

  const cls = className(graph.name);
  const ind = (lines: string[], depth: number) => lines.map((l) => `${'    '.repeat(depth)}${l}`);
  const outputs = graph.outputs.map((o) => vars.get(o)!).join(', ');
  const body = [
    `class ${cls}(nn.Module):`,
    `    """${graph.name} (convlab spec) as a PyTorch module."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...ind(init, 2),
    ...(logits ? ['        self.return_logits = False'] : []),
    ...(frozenNorms.length
      ? [
          '',
          '    def train(self, mode=True):',
          '        super().train(mode)',
          '        # A frozen BatchNorm runs in inference mode, as Keras runs it.',
          `        for norm in (${frozenNorms.join(', ')}${frozenNorms.length === 1 ? ',' : ''}):`,
          '            norm.eval()',
          '        return self',
        ]
      : []),
    '',
    `    def forward(self, ${graph.inputs.map((i) => vars.get(i.name)!).join(', ')}):`,
    ...ind(forward, 2),
    `        return ${outputs}`,
  ];
  const source = [
    `"""${graph.name}, generated by convlab from its spec.`,
    '',
    "Feature maps are NCHW: convlab's [H, W, C] tensors are [N, C, H, W] here; other tensors keep",
    "their order after the batch. Attributes and variables are convlab's node names. Weights come",
    'from Keras layout: conv kernels (fh, fw, cin, K) become (K, cin, fh, fw), dense kernels (nin, nout)',
    'become (nout, nin).',
    '"""',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    ...[...helpers].sort().map((h) => `\n${HELPERS[h].trimEnd()}`),
    '',
    '',
    ...body,
    '',
  ].join('\n');
  return { source, className: cls, weights, logits };
}
