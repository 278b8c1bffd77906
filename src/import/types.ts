/** What every importer returns: one resolved graph, its weights when asked, and where it came from. */
import type { Graph } from '../graph/graph.js';
import type { GraphSpec } from '../graph/types.js';
import type { WeightMap } from '../weights/map.js';

/** Where an imported graph came from; the same record is kept in spec.meta.source. */
export interface ImportSource {
  format: 'onnx' | 'keras' | 'tfjs-graph';
  /** The file (or the name given for bytes). */
  file: string;
  /** ONNX only: the default-domain opset. */
  opset?: number;
  /** ONNX only: producer name and version, when the file names them. */
  producer?: string;
}

/** An imported model. */
export interface ImportedModel {
  /** The resolved graph: what analysis, export and the runtimes take. */
  graph: Graph;
  /** graph.spec, the JSON form to store (convlab import writes it). */
  spec: GraphSpec;
  /** Weights in Keras layout, when they were asked for. */
  weights?: WeightMap;
  source: ImportSource;
}
