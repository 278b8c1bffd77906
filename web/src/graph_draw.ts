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

/** Arrowhead shared by every edge. */
const DEFS = '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>';

/** One box: its rectangle in the metric's colour, two lines of text that read on it, and a tooltip. */
export function nodeMarkup(n: ElkGraph, v: VisNode, g: VisGraph, paint: Paint): string {
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
    `<g class="${cls}" data-id="${esc(v.id)}" tabindex="0" role="button" aria-label="${esc(v.name)}"><title>${esc(title)}</title>` +
    `<rect x="${x}" y="${y}" width="${w}" height="${hh}" rx="${v.kind === 'block' ? 8 : 3}" fill="${fill}"/>` +
    `<text x="${cx}" y="${cy - 3}" fill="${ink}" class="name">${esc(v.name)}</text>` +
    `<text x="${cx}" y="${cy + 10}" fill="${ink}" class="detail">${esc(v.detail)}</text></g>`
  );
}

/** The frame of an open block, with the label that closes it. */
function frameMarkup(c: ElkGraph, v: VisNode): string {
  return (
    `<g class="frame" data-id="${esc(v.id)}"><rect x="${c.x}" y="${c.y}" width="${c.width}" height="${c.height}" rx="6"/>` +
    `<text x="${(c.x ?? 0) + 8}" y="${(c.y ?? 0) + 17}" class="frame-label" role="button" tabindex="0"><tspan class="toggle">▾</tspan> ${esc(v.name)}</text></g>`
  );
}

/** An edge along ELK's route, or nothing when ELK gave it none. */
function edgeMarkup(e: NonNullable<ElkGraph['edges']>[number]): string {
  const s = e.sections?.[0];
  if (!s) return '';
  const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => `${p.x},${p.y}`).join(' L');
  return `<path d="M${pts}" marker-end="url(#arrow)"/>`;
}

/** The whole drawing: frames under edges under boxes, so boxes are never covered. */
export function drawingMarkup(g: VisGraph, laidOut: ElkGraph, paint: Paint): string {
  const byId = new Map<string, VisNode>();
  const walk = (ns: VisNode[]) => ns.forEach((n) => (byId.set(n.id, n), n.children && walk(n.children)));
  walk(g.roots);
  const frames: string[] = [];
  const nodes: string[] = [];
  const visit = (parent: ElkGraph) => {
    for (const c of parent.children ?? []) {
      const v = byId.get(c.id)!;
      if (v.kind === 'frame') {
        frames.push(frameMarkup(c, v));
        visit(c);
      } else nodes.push(nodeMarkup(c, v, g, paint));
    }
  };
  visit(laidOut);
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
