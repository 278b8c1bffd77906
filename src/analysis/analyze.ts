/**
 * Per-layer analysis of a graph: shapes, params, MACs, FLOPs under a convention, activation
 * memory and receptive field, each with the formula that produced it. Totals are sums of the
 * rows, so a total can never disagree with its table.
 */
import { numel } from '../core/numel.js';
import { complete, type Steps } from '../core/steps.js';
import { DTYPE_BYTES, type ParamConvention } from '../core/sets.js';
import type { Graph, ResolvedNode } from '../graph/graph.js';
import type { Shape } from '../graph/types.js';
import { add, exactValue, explain, mul, v, zero, type Explained, type Expr } from '../ops/formula.js';
import type { OpContext, ReceptiveField, WeightSpec } from '../ops/types.js';
import { big, sumCountsSteps, type ExactCounts } from './exact.js';
import { inferencePeakSteps } from './peak.js';
import { backwardParts, GradientFlow, trainingExplained } from './training_flops.js';
import type { Analysis, AnalyzeOptions, LayerRow, Totals } from './types.js';

const INPUT_FIELD: ReceptiveField = { size: [1, 1], jump: [1, 1], start: [0, 0] };

const weightSize = (w: WeightSpec): Expr => (w.dims.length === 0 ? v(w.name, 1) : mul(...w.dims.map(([n, d]) => v(n, d))));

/** Sum of weight sizes as one formula, e.g. `fh·fw·cin·K + K`. */
function weightsExpr(ws: WeightSpec[]): Expr {
  if (ws.length === 0) return zero;
  if (ws.length === 1) return weightSize(ws[0]!);
  return add(...ws.map(weightSize));
}

/** Splits a node's weights into counted-trainable / counted-non-trainable under a convention. */
export function countedWeights(node: ResolvedNode, convention: ParamConvention): { trainable: WeightSpec[]; nonTrainable: WeightSpec[] } {
  const ctx = contextOf(node);
  const all = node.def.weights(ctx).filter((w) => !(convention === 'torch' && w.buffer));
  const trainable = node.attrs.trainable ? all.filter((w) => w.trainable) : [];
  const nonTrainable = all.filter((w) => !trainable.includes(w));
  return { trainable, nonTrainable };
}

/** The rule context of a resolved node. */
export const contextOf = (node: ResolvedNode): OpContext<unknown> => ({ attrs: node.attrs, inputs: node.inputShapes, output: node.outputShape });

/** The exact counts of a layer whose figures pass 2^53; undefined when every double is exact. */
function exactOfLayer(params: Explained, trainable: Explained, macs: Explained, flops: Explained, training: Explained, shape: Shape, bytes: number): ExactCounts | undefined {
  const out: ExactCounts = {};
  if (params.exact !== undefined || trainable.exact !== undefined) {
    out.params = big(exactValue(params));
    out.trainableParams = big(exactValue(trainable));
    out.nonTrainableParams = out.params - out.trainableParams;
  }
  if (macs.exact !== undefined) out.macs = macs.exact;
  if (flops.exact !== undefined) out.flops = flops.exact;
  if (training.exact !== undefined) out.trainingFlops = training.exact;
  if (!Number.isSafeInteger(numel(shape) * bytes)) out.activationBytes = shape.reduce((a, d) => a * BigInt(d), BigInt(bytes));
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Analyses a resolved graph under the given conventions. */
export function analyze(graph: Graph, opts: AnalyzeOptions = {}): Analysis {
  return complete(analyzeSteps(graph, opts));
}

/** analyze cut into steps: it yields after each layer and before the totals. */
export function* analyzeSteps(graph: Graph, opts: AnalyzeOptions = {}): Steps<Analysis> {
  const convention = opts.convention ?? 'lecture';
  const paramsConvention = opts.params ?? 'keras';
  const dtype = opts.dtype ?? 'fp32';
  const bytes = DTYPE_BYTES[dtype];
  const fields = new Map<string, ReceptiveField>();
  const layers: LayerRow[] = [];
  const disagreements: string[] = [];
  const flow = new GradientFlow();

  for (const inp of graph.inputs) {
    fields.set(inp.name, INPUT_FIELD);
    const z = explain(zero);
    layers.push({
      name: inp.name, op: 'Input', inputs: [], outputShape: [...inp.shape],
      params: 0, trainableParams: 0, nonTrainableParams: 0, macs: 0, flops: 0, trainingFlops: 0,
      activationBytes: numel(inp.shape) * bytes, aliasesInput: false, receptiveField: INPUT_FIELD,
      explain: { params: z, macs: z, flops: z, backward: { input: z, weights: z }, training: trainingExplained(z, { input: z, weights: z }) }, attrs: {}, block: [],
    });
  }

  for (const node of graph.nodes) {
    const ctx = contextOf(node);
    const { trainable, nonTrainable } = countedWeights(node, paramsConvention);
    const paramsE = explain(weightsExpr([...trainable, ...nonTrainable]));
    const trainableE = explain(weightsExpr(trainable));
    const macsE = explain(node.def.macs(ctx));
    const flopsE = convention === 'macs' ? macsE : explain(node.def.flops(ctx, convention));
    const backward = backwardParts(node, ctx, convention, flopsE, flow.next(node, trainableE.value));
    const trainingE = trainingExplained(flopsE, backward);
    const inFields = node.inputs.map((i) => fields.get(i)!);
    const rf = node.def.receptiveField(inFields, ctx);
    if (rf.disagree && !inFields.some((f) => f.disagree)) disagreements.push(node.name);
    fields.set(node.name, rf);
    const activationBytes = numel(node.outputShape) * bytes;
    const exact = exactOfLayer(paramsE, trainableE, macsE, flopsE, trainingE, node.outputShape, bytes);
    layers.push({
      name: node.name, op: node.op, inputs: [...node.inputs], outputShape: [...node.outputShape],
      params: paramsE.value, trainableParams: trainableE.value, nonTrainableParams: paramsE.value - trainableE.value,
      macs: macsE.value, flops: flopsE.value, trainingFlops: trainingE.value,
      activationBytes, aliasesInput: node.def.aliasesInput === true,
      receptiveField: rf, explain: { params: paramsE, macs: macsE, flops: flopsE, backward, training: trainingE }, attrs: node.attrs, block: node.block,
      ...(exact ? { exact } : {}),
    });
    yield;
  }

  const sums = yield* sumCountsSteps(layers);
  const totals: Totals = { ...sums, inferencePeakBytes: yield* inferencePeakSteps(graph, layers), paramBytes: sums.params * bytes };
  return {
    model: graph.name,
    input: [...graph.inputs[0]!.shape],
    inputs: graph.inputs.map((i) => ({ name: i.name, shape: [...i.shape] })),
    outputs: graph.outputs.map((o) => ({ name: o, shape: [...graph.shapes.get(o)!] })),
    convention, paramsConvention, dtype, layers, totals,
    receptiveFieldDisagreements: disagreements,
  };
}
