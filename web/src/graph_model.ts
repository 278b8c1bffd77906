/**
 * What the graph view draws: layers and closed blocks as boxes, open blocks as frames around
 * their contents, and the edges between boxes. Pure data, so the same code lays out in a worker,
 * in the page and in tests.
 */
import type { Analysis, LayerRow } from '../../src/analysis/index.js';
import { complete, type Steps } from '../../src/core/steps.js';
import { subtotals } from '../../src/report/group.js';
import { bytes, human, shape as fmtShape } from '../../src/report/units.js';
import { ancestorsOf, collapsedAncestor, subtreeOf, type BlockTree, type Item } from './blocks.js';

/** What colours or sizes the boxes. */
export type Metric = 'macs' | 'params' | 'memory';
export const METRICS: readonly Metric[] = ['macs', 'params', 'memory'];
export const METRIC_LABELS: Record<Metric, string> = { macs: 'MACs', params: 'Params', memory: 'Activation memory' };

/** The colour menu's choices; the size menu adds uniform boxes ('none'). */
export const COLOUR_CHOICES: ReadonlyArray<readonly [Metric, string]> = [['macs', 'MACs'], ['params', 'Params'], ['memory', 'Memory']];
export const SIZE_CHOICES: ReadonlyArray<readonly [Metric | 'none', string]> = [['none', 'uniform'], ...COLOUR_CHOICES];

/** A metric's value as the legend and the tooltips write it. */
export const metricText = (m: Metric, v: number): string => (m === 'memory' ? bytes(v) : human(v));

/** The metrics of a set of layers, summed by the report: one layer for a box, a block's members for a closed block. */
export function metricValues(rows: readonly LayerRow[]): Record<Metric, number> {
  const s = subtotals(rows);
  return { macs: s.macs, params: s.params, memory: s.activationBytes };
}

/** One drawn box, or the frame of an open block with its contents. */
export interface VisNode {
  /** `L:<layer>` or `B:<block>`: a block may share its name with its first layer. */
  id: string;
  kind: 'layer' | 'block' | 'frame';
  /** Layer or block name. */
  name: string;
  /** Second line: op and output shape, or the number of layers inside. */
  detail: string;
  values: Record<Metric, number>;
  /** Layers inside (1 for a layer). */
  layers: number;
  children?: VisNode[];
}

export interface VisGraph {
  roots: VisNode[];
  edges: Array<{ id: string; source: string; target: string }>;
  /** Box id each layer is drawn in. */
  boxOf: Map<string, string>;
  /** Largest value of each metric over the drawn boxes, for colour and size scales. */
  max: Record<Metric, number>;
  /** Smallest positive value of each metric over the drawn boxes (0 when none is positive). */
  min: Record<Metric, number>;
}

export const layerId = (name: string): string => `L:${name}`;
export const blockId = (name: string): string => `B:${name}`;

/** The boxes, frames and edges for a tree with the blocks in `expanded` open. */
export function visibleGraph(a: Analysis, tree: BlockTree, expanded: ReadonlySet<string>): VisGraph {
  return complete(visibleGraphSteps(a, tree, expanded));
}

/** visibleGraph cut into steps: it yields after each top-level item and after each layer of each pass. */
export function* visibleGraphSteps(a: Analysis, tree: BlockTree, expanded: ReadonlySet<string>): Steps<VisGraph> {
  const rows = new Map<string, LayerRow>();
  for (const r of a.layers) {
    rows.set(r.name, r);
    yield;
  }
  const max: Record<Metric, number> = { macs: 0, params: 0, memory: 0 };
  const min: Record<Metric, number> = { macs: 0, params: 0, memory: 0 };
  const note = (v: Record<Metric, number>) => {
    for (const m of METRICS) {
      max[m] = Math.max(max[m], v[m]);
      if (v[m] > 0 && (min[m] === 0 || v[m] < min[m])) min[m] = v[m];
    }
  };
  const build = (item: Item): VisNode => {
    if (item.kind === 'layer') {
      const r = rows.get(item.name)!;
      const values = metricValues([r]);
      note(values);
      return { id: layerId(r.name), kind: 'layer', name: r.name, detail: `${r.op} ${fmtShape(r.outputShape)}`, values, layers: 1 };
    }
    const b = tree.blocks.get(item.id)!;
    const values = metricValues(b.layers.map((n) => rows.get(n)!));
    const detail = `${b.layers.length} layers`;
    if (!expanded.has(b.id)) {
      note(values);
      return { id: blockId(b.id), kind: 'block', name: b.name, detail, values, layers: b.layers.length };
    }
    return { id: blockId(b.id), kind: 'frame', name: b.name, detail, values, layers: b.layers.length, children: b.items.map(build) };
  };
  const roots: VisNode[] = [];
  for (const item of tree.top) {
    roots.push(build(item));
    yield;
  }

  const boxOf = new Map<string, string>();
  for (const r of a.layers) {
    const closed = collapsedAncestor(tree, r.name, expanded);
    boxOf.set(r.name, closed === null ? layerId(r.name) : blockId(closed));
    yield;
  }
  const edges: VisGraph['edges'] = [];
  const seen = new Set<string>();
  for (const r of a.layers) {
    for (const inp of r.inputs) {
      const source = boxOf.get(inp);
      const target = boxOf.get(r.name)!;
      if (source === undefined || source === target) continue;
      const key = `${source}\u0000${target}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ id: `e${edges.length}`, source, target });
    }
    yield;
  }
  return { roots, edges, boxOf, max, min };
}

/** Ids of the frames that must be open for a layer to be drawn as its own box. */
export function framesToReveal(tree: BlockTree, layer: string): string[] {
  return ancestorsOf(tree, { kind: 'layer', name: layer });
}

/** The open blocks once a layer is revealed: `expanded` plus every frame around the layer. */
export function revealing(tree: BlockTree, expanded: ReadonlySet<string>, layer: string): Set<string> {
  return new Set([...expanded, ...framesToReveal(tree, layer)]);
}

/** The open blocks after closing a block with everything inside it. */
export function closing(tree: BlockTree, expanded: ReadonlySet<string>, block: string): Set<string> {
  const next = new Set(expanded);
  for (const b of subtreeOf(tree, block)) next.delete(b);
  return next;
}

/** The selection that shows the model's own properties in the details panel rather than a layer's. */
export const MODEL_SELECTION = 'M:model';

/** The box a selection is drawn in: a closed block is its own box, a layer the box that holds it. */
export function boxOfSelection(g: VisGraph | null, selected: string | null): string | null {
  if (selected === null) return null;
  if (selected.startsWith('B:')) return selected;
  return g?.boxOf.get(selected) ?? null;
}

/** How many closed blocks a drawing shows, inside open frames too. */
export function closedBlocks(g: VisGraph): number {
  const count = (ns: readonly VisNode[]): number => ns.reduce((s, n) => s + (n.kind === 'block' ? 1 : n.children ? count(n.children) : 0), 0);
  return count(g.roots);
}

/** What the graph still has to redo: lay out for a new model, for opened or closed blocks, for resized boxes, or for new numbers. */
export type Redraw = 'model' | 'expansion' | 'style' | 'numbers' | null;

/**
 * What the graph owes after `changes` on top of what it already owed: a new model outranks
 * everything, and new numbers alone wait for a slider to rest. `resized` says whether a style
 * change altered box sizes; a colour change is only a repaint, done at once.
 */
export function owed(before: Redraw, changes: ReadonlySet<string>, resized: boolean): Redraw {
  let next = before;
  if (changes.has('model')) next = 'model';
  else if (changes.has('expansion')) next = next === 'numbers' || next === null ? 'expansion' : next;
  else if (changes.has('analysis')) next ??= 'numbers';
  if (changes.has('style') && resized) next ??= 'style';
  return next;
}

/** ELK's JSON graph, as much of it as convlab uses. */
export interface ElkGraph {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkGraph[];
  edges?: Array<{ id: string; sources: string[]; targets: string[]; sections?: ElkSection[] }>;
}
export interface ElkSection {
  startPoint: { x: number; y: number };
  endPoint: { x: number; y: number };
  bendPoints?: Array<{ x: number; y: number }>;
}

/** Box geometry shared by the layout and the drawing. */
export const BOX = { charWidth: 6.6, minWidth: 110, padX: 16, height: 36, growWidth: 110, growHeight: 34, frameTop: 26, framePad: 10 } as const;

/** Width and height of a box; with `sizeBy`, boxes grow with the square root of their share of the largest value. */
export function boxSize(n: VisNode, sizeBy: Metric | null, max: Record<Metric, number>): { width: number; height: number } {
  const text = Math.max(n.name.length, n.detail.length);
  const width = Math.max(BOX.minWidth, Math.ceil(text * BOX.charWidth) + BOX.padX);
  if (sizeBy === null || max[sizeBy] <= 0) return { width, height: BOX.height };
  const s = Math.sqrt(n.values[sizeBy] / max[sizeBy]);
  return { width: Math.round(width + BOX.growWidth * s), height: Math.round(BOX.height + BOX.growHeight * s) };
}

/** The ELK input: a layered, top-to-bottom layout with open blocks as compound nodes. */
export function toElk(g: VisGraph, sizeBy: Metric | null): ElkGraph {
  const convert = (n: VisNode): ElkGraph => {
    if (n.kind === 'frame') {
      return {
        id: n.id,
        layoutOptions: { 'elk.padding': `[top=${BOX.frameTop},left=${BOX.framePad},bottom=${BOX.framePad},right=${BOX.framePad}]` },
        children: n.children!.map(convert),
      };
    }
    return { id: n.id, ...boxSize(n, sizeBy, g.max) };
  };
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '28',
      'elk.spacing.nodeNode': '18',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.edgeRouting': 'ORTHOGONAL',
    },
    children: g.roots.map(convert),
    edges: g.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
}
