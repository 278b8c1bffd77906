/**
 * The model's properties, as Netron shows them: where the graph came from (format, file,
 * producer, opset), its inputs and outputs with their shapes, and whether weights came with it.
 * Read from the spec's `meta` (which the zoo and the importers fill) and the analysis.
 */
import type { Analysis } from '../../src/analysis/index.js';
import type { GraphSpec } from '../../src/graph/types.js';
import { int, shape } from '../../src/report/units.js';
import type { Source } from './source.js';

/** What the panel shows about the model on screen. */
export interface ModelProperties {
  kind: 'model';
  name: string;
  facts: Array<[string, string]>;
  inputs: Array<{ name: string; shape: string }>;
  outputs: Array<{ name: string; shape: string }>;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const text = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? x : typeof x === 'number' ? String(x) : null);

/** Format names as people know them, by the `meta.source.format` the importers write. */
const FORMATS: Record<string, string> = { onnx: 'ONNX', keras: 'Keras / TensorFlow.js model.json' };

/** What the weights line says: counted when the page read them, listed when a manifest names files, else none. */
function weightsText(source: Record<string, unknown>, meta: Record<string, unknown>, zoo: boolean): string {
  const w = source.weights;
  if (isObj(w) && typeof w.tensors === 'number') {
    return w.tensors === 0 ? 'none in the file' : `in the file: ${int(w.tensors)} tensors, ${int(Number(w.values ?? 0))} values (not loaded by the page)`;
  }
  const manifest = source.weightsManifest ?? meta.weightsManifest;
  if (Array.isArray(manifest)) {
    const files = manifest.flatMap((g) => (isObj(g) && Array.isArray(g.paths) ? g.paths : []));
    return `listed in the manifest: ${files.length} file${files.length === 1 ? '' : 's'} (not loaded by the page)`;
  }
  return zoo ? 'none: the architecture only (convlab --weights adds published ones)' : 'none';
}

/** The properties of the analysed model, from its source, its spec's meta and its analysis. */
export function modelProperties(source: Source, spec: GraphSpec, a: Analysis): ModelProperties {
  const meta = isObj(spec.meta) ? spec.meta : {};
  const from = isObj(meta.source) ? meta.source : {};
  const zoo = source.kind === 'zoo';
  const format = zoo ? `convlab zoo: ${source.choice.id}` : FORMATS[String(from.format)] ?? 'convlab spec (JSON)';
  const facts: Array<[string, string]> = [['Format', format]];
  const file = text(from.file) ?? (source.kind === 'text' ? source.name : null);
  if (file !== null && !zoo) facts.push(['File', file]);
  const producer = zoo ? 'convlab' : text(from.producer);
  facts.push(['Producer', producer ?? '—']);
  if (text(meta.family) !== null) facts.push(['Family', text(meta.family)!]);
  facts.push(['Opset', text(from.opset) !== null ? `ai.onnx ${text(from.opset)}` : '—']);
  facts.push(['Weights', weightsText(from, meta, zoo)]);
  facts.push(['Layers', int(a.layers.length)], ['Params', int(a.totals.params)]);
  return {
    kind: 'model',
    name: a.model,
    facts,
    inputs: a.inputs.map((i) => ({ name: i.name, shape: shape(i.shape) })),
    outputs: a.outputs.map((o) => ({ name: o.name, shape: shape(o.shape) })),
  };
}
