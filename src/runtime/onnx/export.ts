/**
 * Graph (+ weights) → ONNX. Inputs and outputs stay NHWC like convlab; inside, feature maps are
 * NCHW, with one transpose where a map enters and one where it leaves. Browser-safe.
 */
import type { Graph } from '../../graph/graph.js';
import { UsageError } from '../../core/errors.js';
import { initWeights } from '../../weights/init.js';
import { checkWeights, weightKey, type WeightMap } from '../../weights/map.js';
import { Emitter } from './emitter.js';
import { isMap } from './layout.js';
import { lowerNode, toNchw, toNhwc } from './lower.js';
import { encodeModel, tensorInfo, type ModelProto, type StringStringEntryProto } from '../../onnx/proto.js';
import { messages } from '../../core/messages.js';

/** Lowest opset the lowerings are written for: opset 17 has every op they use. */
export const MIN_OPSET = 17;
/** Highest opset tested (ORT runs the export at 21 in the tests). */
export const MAX_OPSET = 21;
// IR version each opset first appeared with (onnx/helper.py's VERSION_TABLE).
const IR_FOR_OPSET: Record<number, number> = { 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/** Name of the free batch dimension of every graph input and output. */
export const BATCH_DIM = 'N';

/** Keys of the metadata convlab writes into metadata_props. */
export const META_KEYS = {
  /** Always "NHWC": the layout of the graph's inputs and outputs. */
  layout: 'convlab.layout',
  /** JSON of spec.meta (preprocessing, class names, zoo id). */
  meta: 'convlab.meta',
  /** Where the weights came from: "seed:<n>" (random), or the source that supplied them (ExportOptions.weightsFrom). */
  weights: 'convlab.weights',
} as const;

/** How to export: weights or a seed, and the opset. */
export interface ExportOptions {
  /** Weights in Keras layout keyed `node/weight`; when absent they are drawn from `seed`. */
  weights?: WeightMap | Record<string, Float32Array>;
  /** Where supplied weights came from (a file, a trained directory), recorded in the metadata; default "supplied". */
  weightsFrom?: string;
  /** Seed of the Keras-style initializer (default 0). */
  seed?: number;
  /** ONNX opset, 17 to 21 (default 17). */
  opset?: number;
}

/** An exported model, before or after serialization. */
export interface OnnxExport {
  graph: Graph;
  model: ModelProto;
  /** ONNX node name → convlab node (or graph input) it implements; profiles map times back with it. */
  owners: Map<string, string>;
  weights: WeightMap;
}

/** Lowers a graph to an ONNX ModelProto. */
export function exportModel(graph: Graph, options: ExportOptions = {}): OnnxExport {
  const opset = options.opset ?? MIN_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) throw new UsageError(messages.badOpset(opset, MIN_OPSET, MAX_OPSET));
  let weights: WeightMap;
  if (options.weights) {
    weights = options.weights instanceof Map ? options.weights : new Map(Object.entries(options.weights));
    checkWeights(graph, weights);
  } else {
    weights = initWeights(graph, { seed: options.seed ?? 0 });
  }

  const e = new Emitter();
  const tensorOf = new Map<string, string>();
  for (const inp of graph.inputs) {
    if (!isMap(inp.shape)) {
      tensorOf.set(inp.name, inp.name);
      continue;
    }
    e.owner = inp.name;
    tensorOf.set(inp.name, toNchw(e, inp.name, inp.shape, 'to_nchw', `${inp.name}/nchw`));
  }

  const outputs = new Set(graph.outputs);
  for (const node of graph.nodes) {
    e.owner = node.name;
    const leavesAsMap = outputs.has(node.name) && isMap(node.outputShape);
    const out = leavesAsMap ? `${node.name}/nchw` : node.name;
    lowerNode({
      node,
      inputs: node.inputs.map((i) => tensorOf.get(i)!),
      out,
      e,
      weight: (name) => weights.get(weightKey(node.name, name))!,
    });
    tensorOf.set(node.name, out);
    if (leavesAsMap) toNhwc(e, out, node.outputShape, 'output_to_nhwc', node.name);
  }

  const io = (name: string) => tensorInfo(name, [BATCH_DIM, ...graph.shapes.get(name)!]);
  const metadata: StringStringEntryProto[] = [
    { key: META_KEYS.layout, value: 'NHWC' },
    { key: META_KEYS.weights, value: options.weights ? options.weightsFrom ?? 'supplied' : `seed:${options.seed ?? 0}` },
  ];
  if (graph.spec.meta) metadata.push({ key: META_KEYS.meta, value: JSON.stringify(graph.spec.meta) });
  const model: ModelProto = {
    irVersion: IR_FOR_OPSET[opset]!,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'convlab',
    docString: `${graph.name}, exported by convlab. Inputs and outputs are NHWC; feature maps are NCHW inside.`,
    graph: {
      name: graph.name,
      node: e.nodes,
      initializer: e.initializers,
      input: graph.inputs.map((i) => io(i.name)),
      output: [...outputs].map(io),
    },
    metadataProps: metadata,
  };
  return { graph, model, owners: e.owners, weights };
}

/** Lowers and serializes a graph to ONNX bytes. */
export function exportOnnx(graph: Graph, options: ExportOptions = {}): Uint8Array {
  return encodeModel(exportModel(graph, options).model);
}
