/** Small ONNX models written by hand for the importer's tests, and the fixtures' paths. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphSpec } from '../../../src/graph/types.js';
import { exportModel } from '../../../src/runtime/onnx/export.js';
import {
  attr, encodeModel, floatTensor, int64Tensor, tensorInfo,
  type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from '../../../src/onnx/proto.js';
import { listWeights, type WeightMap } from '../../../src/weights/map.js';
import { repoRoot } from '../../helpers/paths.js';
import { resolveGraph } from '../../../src/graph/graph.js';

export { attr, floatTensor, int64Tensor, tensorInfo };

/** The folder of the ONNX fixtures made by make_fixtures.py. */
export const fixturesDir = (): string => join(repoRoot(), 'test', 'fixtures', 'onnx');

/** Bytes of a fixture file. */
export const fixture = (name: string): Uint8Array => readFileSync(join(fixturesDir(), name));

/** A node; the name defaults to the first output. */
export function node(opType: string, input: string[], output: string[], attribute: AttributeProto[] = [], name = output[0]!): NodeProto {
  return { name, opType, input, output, attribute };
}

/** A float tensor of `dims` filled from a seed-free formula (values only need to be distinct). */
export function weight(name: string, dims: number[], scale = 0.1): TensorProto {
  const n = dims.reduce((a, b) => a * b, 1);
  return floatTensor(name, dims, Float32Array.from({ length: n }, (_, i) => scale * Math.sin(1 + i * 0.7)));
}

export interface ModelParts {
  nodes: NodeProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  initializers?: TensorProto[];
  opset?: number;
  metadata?: Record<string, string>;
}

/** A ModelProto from parts (opset 13 by default). */
export function modelOf(p: ModelParts): ModelProto {
  const opset = p.opset ?? 13;
  return {
    irVersion: 7,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'convlab-tests',
    graph: { name: 'test', node: p.nodes, initializer: p.initializers ?? [], input: p.inputs, output: p.outputs },
    metadataProps: Object.entries(p.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/** Serialized model from parts. */
export const onnxOf = (p: ModelParts): Uint8Array => encodeModel(modelOf(p));

/** A one-node model on an NCHW input [1, c, h, w]; output `y`. */
export function single(op: string, attrs: AttributeProto[] = [], extra: { inputs?: string[]; initializers?: TensorProto[]; input?: number[]; opset?: number } = {}): Uint8Array {
  return onnxOf({
    nodes: [node(op, ['x', ...(extra.inputs ?? [])], ['y'], attrs, 'op')],
    inputs: [tensorInfo('x', extra.input ?? [1, 4, 6, 6])],
    outputs: [tensorInfo('y', [])],
    initializers: extra.initializers ?? [],
    opset: extra.opset ?? 13,
  });
}

let zeros = new Float32Array(0);

/**
 * The structure of a convlab export without its weight values, as PyTorch writes files with
 * export_params=False: float initializers become graph inputs with their dims. Tiny ones (the
 * per-channel statistics a Normalization takes from its attrs, scalars) stay, since they are
 * part of the architecture. Other weights are views of one zero buffer, so no model's
 * parameters are ever drawn.
 */
export function exportStructure(spec: GraphSpec): Uint8Array {
  const fixed = new Map<string, readonly number[]>();
  for (const n of spec.nodes) {
    if (n.op !== 'Normalization') continue;
    for (const k of ['mean', 'variance'] as const) {
      const v = n.attrs?.[k];
      if (Array.isArray(v)) fixed.set(`${n.name}/${k}`, v as number[]);
    }
  }
  const w: WeightMap = new Map();
  for (const e of listWeights(resolveGraph(spec))) {
    if (zeros.length < e.size) zeros = new Float32Array(e.size);
    const known = fixed.get(e.key);
    w.set(e.key, known ? Float32Array.from(known) : zeros.subarray(0, e.size));
  }
  const { model } = exportModel(resolveGraph(spec), { weights: w });
  const g = model.graph;
  const large = (t: TensorProto) => t.dataType === 1 && (t.rawData?.length ?? 0) > 64;
  g.input.push(...g.initializer.filter(large).map((t) => tensorInfo(t.name!, t.dims!)));
  g.initializer = g.initializer.filter((t) => !large(t));
  return encodeModel(model);
}
