/** Core data types of a convlab graph. Layout is NHWC; shapes never include the batch dimension. */

/** A tensor shape without the batch dimension: [H, W, C] for feature maps, [N] for vectors. */
export type Shape = number[];

/** Attribute values as they appear in a JSON spec. */
export type AttrValue = number | string | boolean | number[] | string[] | null;

/** A graph input: a name and a shape. */
export interface InputSpec {
  name: string;
  shape: Shape;
}

/** One node of a spec: a named op applied to named inputs. */
export interface NodeSpec {
  name: string;
  op: string;
  inputs: string[];
  attrs?: Record<string, AttrValue>;
  /**
   * The nested blocks the node belongs to, outermost first: `["conv2", "conv2_block1"]` for a
   * layer of ResNet50's first residual block. Builders and importers record it; reports group by
   * it. Never read by shape inference or cost rules.
   */
  block?: string[];
}

/** A whole model as plain JSON, the form stored on disk and edited in the browser. */
export interface GraphSpec {
  name: string;
  inputs: InputSpec[];
  nodes: NodeSpec[];
  outputs: string[];
  /** Free-form metadata (preprocessing, class names, source); never read by analysis. */
  meta?: Record<string, unknown>;
}
