/**
 * The graph's drawing as SVG markup: boxes coloured by a metric on the log scale, frames of open
 * blocks, routed edges, and the legend. Pure text from the laid-out graph, so tests read it
 * without a browser and the view only puts it on screen.
 */
import { fillFor, logShare, textOn } from './colour.js';
import { esc } from './dom.js';
import { METRIC_LABELS, metricText, type ElkGraph, type Metric, type VisGraph, type VisNode } from './graph_model.js';

/** What colours the boxes and which box is selected. */
export interface Paint {
  colourBy: Metric;
  sizeBy: Metric | null;
  /** Id of the selected box, if any. */
  selected: string | null;
  /** Ids of the boxes holding a layer the what-if moves rewrote. */
  marked: ReadonlySet<string>;
}

/**
 * The drawing's style, inside the SVG itself, so a downloaded SVG or PNG looks as the page does.
 * Text colours on boxes are set per box (black or white, whichever reads on the fill).
 */
export const GRAPH_STYLE = [
  'text { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }',
  '.node { cursor: pointer; outline: none; }',
  '.node rect { stroke: #6b7380; stroke-width: 0.8; }',
  '.node.block rect { stroke-width: 1.4; stroke-dasharray: 5 2; }',
  '.node.rewritten rect { stroke: #c2410c; stroke-width: 2.5; stroke-dasharray: 5 3; }',
  '.node:hover rect { stroke: #1f5fbf; stroke-width: 2; }',
  '.node.selected rect, .node.rewritten.selected rect { stroke: #1f5fbf; stroke-width: 3; stroke-dasharray: none; }',
  '.node:focus-visible rect { stroke: #1f5fbf; stroke-width: 3; stroke-dasharray: 2 2; }',
  '.node.match rect { stroke: #7c3aed; stroke-width: 3; }',
  '.node text { text-anchor: middle; pointer-events: none; }',
  '.node .name { font-size: 11px; font-weight: 600; }',
  '.node .detail { font-size: 10px; }',
  '.frame rect { fill: rgba(31, 95, 191, 0.04); stroke: #9fb3d1; stroke-width: 1; }',
  '.frame-label { font-size: 11px; fill: #2c4a78; font-weight: 600; cursor: pointer; outline: none; }',
  '.frame-label:focus-visible { text-decoration: underline; fill: #1f5fbf; }',
  '.edges path { fill: none; stroke: #8a94a3; stroke-width: 1.1; }',
  'marker path { fill: #8a94a3; }',
].join('\n');

/** The style and the arrowhead shared by every edge. */
const DEFS = `<defs><style>${GRAPH_STYLE}</style><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>`;

/**
 * One box: its rectangle in the metric's colour, two lines of text that read on it, and a
 * tooltip, which is also what a screen reader says for it (a closed block says so by
 * aria-expanded). `nav` is its place in keyboard order: arrow keys move from box to box.
 */
export function nodeMarkup(n: ElkGraph, v: VisNode, g: VisGraph, paint: Paint, nav = 0): string {
  const m = paint.colourBy;
  const fill = fillFor(logShare(v.values[m], g.min[m], g.max[m]));
  const ink = textOn(fill);
  const x = n.x ?? 0;
  const y = n.y ?? 0;
  const w = n.width ?? 0;
  const hh = n.height ?? 0;
  const cls = `node ${v.kind}${paint.selected === v.id ? ' selected' : ''}${paint.marked.has(v.id) ? ' rewritten' : ''}`;
  const title = `${v.name}\n${v.detail}\n${METRIC_LABELS[m]}: ${metricText(m, v.values[m])}${v.kind === 'block' ? '\ndouble-click to open' : ''}`;
  const cx = x + w / 2;
  const cy = y + hh / 2;
  return (
    `<g class="${cls}" data-id="${esc(v.id)}" data-nav="${nav}" tabindex="-1" role="button"` +
    `${v.kind === 'block' ? ' aria-expanded="false"' : ''}${paint.selected === v.id ? ' aria-pressed="true"' : ''}><title>${esc(title)}</title>` +
    `<rect x="${x}" y="${y}" width="${w}" height="${hh}" rx="${v.kind === 'block' ? 8 : 3}" fill="${fill}"/>` +
    `<text x="${cx}" y="${cy - 3}" fill="${ink}" class="name">${esc(v.name)}</text>` +
    `<text x="${cx}" y="${cy + 10}" fill="${ink}" class="detail">${esc(v.detail)}</text></g>`
  );
}

/** The frame of an open block, with the label that closes it; `nav` as for a box. */
function frameMarkup(c: ElkGraph, v: VisNode, nav: number): string {
  return (
    `<g class="frame" data-id="${esc(v.id)}"><rect x="${c.x}" y="${c.y}" width="${c.width}" height="${c.height}" rx="6"/>` +
    `<text x="${(c.x ?? 0) + 8}" y="${(c.y ?? 0) + 17}" class="frame-label" role="button" tabindex="-1" data-nav="${nav}" aria-expanded="true" ` +
    `aria-label="${esc(`${v.name} (open block of ${v.detail}): close`)}"><tspan class="toggle" aria-hidden="true">▾</tspan> ${esc(v.name)}</text></g>`
  );
}

/** An edge along ELK's route, or nothing when ELK gave it none. */
function edgeMarkup(e: NonNullable<ElkGraph['edges']>[number]): string {
  const s = e.sections?.[0];
  if (!s) return '';
  const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => `${p.x},${p.y}`).join(' L');
  return `<path d="M${pts}" marker-end="url(#arrow)"/>`;
}

/** Every box and frame of a drawing, without recursion. */
export function allNodes(g: VisGraph): VisNode[] {
  const out: VisNode[] = [];
  const stack = [...g.roots];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    if (n.children) stack.push(...n.children);
  }
  return out;
}

/** The whole drawing: frames under edges under boxes, so boxes are never covered. */
export function drawingMarkup(g: VisGraph, laidOut: ElkGraph, paint: Paint): string {
  const byId = new Map<string, VisNode>();
  for (const n of allNodes(g)) byId.set(n.id, n);
  const frames: string[] = [];
  const nodes: string[] = [];
  // Keyboard order is reading order: a frame's label, then what it holds.
  let nav = 0;
  const stack: ElkGraph[] = [...(laidOut.children ?? [])].reverse();
  while (stack.length > 0) {
    const c = stack.pop()!;
    const v = byId.get(c.id)!;
    if (v.kind === 'frame') {
      frames.push(frameMarkup(c, v, nav++));
      stack.push(...[...(c.children ?? [])].reverse());
    } else nodes.push(nodeMarkup(c, v, g, paint, nav++));
  }
  const edges = (laidOut.edges ?? []).map(edgeMarkup);
  return `${DEFS}<g class="frames">${frames.join('')}</g><g class="edges">${edges.join('')}</g><g class="nodes">${nodes.join('')}</g>`;
}

/** The legend: the metric, grey for zero, and the ramp from the smallest to the largest value drawn. */
export function legendMarkup(g: VisGraph, paint: Paint): string {
  const m = paint.colourBy;
  const stops = [0.01, 0.25, 0.5, 0.75, 1].map((t) => fillFor(t)).join(',');
  return (
    `<span>${esc(METRIC_LABELS[m])}</span><span class="zero" style="background:${fillFor(0)}"></span><span>0</span>` +
    `<span>${esc(metricText(m, g.min[m]))}</span><span class="ramp" style="background:linear-gradient(90deg,${stops})"></span><span>${esc(metricText(m, g.max[m]))}</span><span class="muted">(log scale)</span>` +
    (paint.sizeBy ? `<span class="muted">size: ${esc(METRIC_LABELS[paint.sizeBy])}</span>` : '')
  );
}
