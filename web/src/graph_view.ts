/**
 * The graph view: ELK's layered layout drawn as SVG, boxes coloured (and optionally sized) by a
 * metric, blocks that open and close, pan and zoom, and a search that reveals any layer.
 */
import type { App } from './app.js';
import { byId, h, select } from './dom.js';
import { drawingMarkup, legendMarkup, type Paint } from './graph_draw.js';
import { boxOfSelection, closedBlocks, COLOUR_CHOICES, owed, revealing, SIZE_CHOICES, toElk, toggled, visibleGraph, type ElkGraph, type Metric, type Redraw, type VisGraph } from './graph_model.js';
import { cancelLayouts, layoutGraph } from './layout.js';
import { PanZoom } from './panzoom.js';
import { rewrittenBoxes, rewrittenLayers } from './whatif_model.js';

const SVG = 'http://www.w3.org/2000/svg';

/** How long the numbers must rest (a slider held still) before the graph is laid out again. */
const NUMBERS_DELAY_MS = 150;

/** Mounts the graph view into #view-graph; resolves `onDrawn` after each drawing. */
export function mountGraphView(app: App, onDrawn: () => void): void {
  const root = byId('view-graph');
  const status = h('span', { class: 'status', 'aria-live': 'polite' });
  const legend = h('div', { class: 'legend' });
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'graph');
  svg.setAttribute('role', 'img');
  const viewport = document.createElementNS(SVG, 'g');
  svg.append(viewport);
  const canvas = h('div', { class: 'canvas', tabindex: 0, 'aria-label': 'Model graph: drag to pan, Ctrl + wheel or pinch to zoom' });
  canvas.append(svg);
  const pz = new PanZoom(canvas, viewport);
  const find = h('input', { type: 'search', placeholder: 'Find layer…', list: 'layer-names', 'aria-label': 'Find layer', id: 'find-layer' });
  const names = h('datalist', { id: 'layer-names' });

  const toolbar = () =>
    h('div', { class: 'toolbar' },
      select('Colour', COLOUR_CHOICES, app.state.colourBy, (v) => app.setStyle({ colourBy: v as Metric }), 'colour-by'),
      select('Size', SIZE_CHOICES, app.state.sizeBy ?? 'none', (v) => app.setStyle({ sizeBy: v === 'none' ? null : (v as Metric) }), 'size-by'),
      h('div', { class: 'row' },
        h('button', { type: 'button', id: 'expand-all', onclick: () => app.ready && app.setExpanded(new Set(app.ready.tree.blocks.keys())) }, 'Expand all'),
        h('button', { type: 'button', id: 'collapse-all', onclick: () => app.setExpanded(new Set()) }, 'Collapse all'),
        h('button', { type: 'button', title: 'Fit to width', onclick: () => fit() }, 'Fit'),
        h('button', { type: 'button', class: 'wide-only', title: 'Zoom in', 'aria-label': 'Zoom in', onclick: () => pz.zoomBy(1.25) }, '+'),
        h('button', { type: 'button', class: 'wide-only', title: 'Zoom out', 'aria-label': 'Zoom out', onclick: () => pz.zoomBy(0.8) }, '−'),
      ),
      find, names, status,
    );
  const bar = h('div', {});
  root.append(bar, legend, canvas);
  bar.replaceChildren(toolbar());

  find.addEventListener('change', () => {
    const r = app.ready;
    const name = find.value.trim();
    if (!r || !r.analysis.layers.some((l) => l.name === name)) return;
    app.selected = name;
    app.setExpanded(revealing(r.tree, app.expanded, name));
  });

  let vis: VisGraph | null = null;
  let laidOut: ElkGraph | null = null;
  let anchor: { id: string; x: number; y: number } | null = null;

  const paint = (): Paint => {
    const w = app.ready?.whatif;
    const marked = w && vis ? rewrittenBoxes(vis.boxOf, rewrittenLayers(w)) : new Set<string>();
    return { colourBy: app.state.colourBy, sizeBy: app.state.sizeBy, selected: boxOfSelection(vis, app.selected), marked };
  };

  const draw = () => {
    if (!vis || !laidOut) return;
    viewport.innerHTML = drawingMarkup(vis, laidOut, paint());
    pz.setContentSize(laidOut.width ?? 0, laidOut.height ?? 0);
    legend.innerHTML = legendMarkup(vis, paint());
  };

  /** Fits the drawing, centred on the first box when it is too wide to read whole. */
  const fit = () => {
    const first = laidOut?.children?.[0];
    pz.fit(first ? (first.x ?? 0) + (first.width ?? 0) / 2 : undefined);
  };

  /** Where a box or frame sits on screen, to keep it still across a re-layout. */
  const screenOf = (id: string): { x: number; y: number } | null => {
    const el = viewport.querySelector<SVGGElement>(`g.node[data-id="${CSS.escape(id)}"] rect, g.frame[data-id="${CSS.escape(id)}"] rect`);
    if (!el) return null;
    // The top centre: a block and the frame it opens into share it, so the frame's label lands where the block was.
    return pz.toScreen(Number(el.getAttribute('x')) + Number(el.getAttribute('width')) / 2, Number(el.getAttribute('y')));
  };

  let firstDraw = true;
  const relayout = async (reason: 'model' | 'expansion' | 'style') => {
    const r = app.ready;
    if (!r) return;
    vis = visibleGraph(r.analysis, r.tree, app.expanded);
    names.replaceChildren(...r.analysis.layers.map((l) => h('option', { value: l.name })));
    const boxes = vis.boxOf.size;
    status.textContent = `laying out…`;
    root.setAttribute('aria-busy', 'true');
    const t0 = performance.now();
    const result = await layoutGraph(toElk(vis, app.state.sizeBy));
    if (!result) return;
    laidOut = result;
    const before = anchor;
    draw();
    root.removeAttribute('aria-busy');
    status.textContent = `${r.analysis.layers.length} layers · ${closedBlocks(vis)} closed blocks · layout ${Math.round(performance.now() - t0)} ms`;
    svg.setAttribute('aria-label', `Graph of ${r.analysis.model}: ${boxes} layers`);
    if (reason === 'model' || firstDraw) fit();
    else if (before) {
      const now = screenOf(before.id);
      if (now) pz.panBy(before.x - now.x, before.y - now.y);
    }
    if ((pendingReveal || reason === 'expansion') && app.selected !== null && !before) revealSelected();
    pendingReveal = false;
    anchor = null;
    firstDraw = false;
    onDrawn();
  };

  /** Moves the highlight without redrawing, so the box under the pointer survives a double-click. */
  const markSelection = () => {
    viewport.querySelectorAll('g.node.selected').forEach((n) => n.classList.remove('selected'));
    const sel = boxOfSelection(vis, app.selected);
    if (sel) viewport.querySelector(`g.node[data-id="${CSS.escape(sel)}"]`)?.classList.add('selected');
  };

  /** Pans to the selected box when it is off screen or under the details sheet; a visible box stays put. */
  const revealSelected = () => {
    const sel = boxOfSelection(vis, app.selected);
    if (!sel) return;
    const el = viewport.querySelector<SVGRectElement>(`g.node[data-id="${CSS.escape(sel)}"] rect`);
    if (!el) return;
    const box = el.getBoundingClientRect();
    const view = canvas.getBoundingClientRect();
    const sheet = document.getElementById('details');
    const sheetTop = sheet && !sheet.hidden && getComputedStyle(sheet).position === 'fixed' ? sheet.getBoundingClientRect().top : Infinity;
    const bottom = Math.min(view.bottom, sheetTop);
    if (box.top >= view.top && box.bottom <= bottom && box.left >= view.left && box.right <= view.right) return;
    const x = Number(el.getAttribute('x')) + Number(el.getAttribute('width')) / 2;
    const y = Number(el.getAttribute('y')) + Number(el.getAttribute('height')) / 2;
    pz.centreOn(x, y, Math.max(1, bottom - view.top));
  };

  const toggle = (id: string, open: boolean) => {
    const r = app.ready;
    if (!r) return;
    const block = id.slice(2);
    const pos = screenOf(id);
    anchor = pos ? { id, ...pos } : null;
    app.setExpanded(toggled(r.tree, app.expanded, block, open));
  };

  viewport.addEventListener('click', (e) => {
    if (pz.dragged) return;
    const target = e.target as Element;
    const frame = target.closest('.frame-label') ? target.closest('g.frame') : null;
    if (frame) return toggle(frame.getAttribute('data-id')!, false);
    const node = target.closest('g.node');
    if (!node) return;
    const id = node.getAttribute('data-id')!;
    app.select(id.startsWith('L:') ? id.slice(2) : id);
  });
  viewport.addEventListener('dblclick', (e) => {
    const node = (e.target as Element).closest('g.node.block');
    if (node) toggle(node.getAttribute('data-id')!, true);
  });
  viewport.addEventListener('keydown', (e) => {
    const el = (e.target as Element).closest('g.node, g.frame');
    if (!el || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    const id = el.getAttribute('data-id')!;
    if (el.classList.contains('frame')) toggle(id, false);
    else if (el.classList.contains('block') && app.selected === id) toggle(id, true);
    else app.select(id.startsWith('L:') ? id.slice(2) : id);
  });

  const restyle = () => {
    bar.replaceChildren(toolbar());
    draw();
  };

  let dirty: Redraw = 'model';
  let sizedBy = app.state.sizeBy;
  let settle: ReturnType<typeof setTimeout> | undefined;
  // A selection made in another view (the table) is shown when the graph is next on screen.
  let pendingReveal = false;
  app.listen((changes) => {
    const resized = app.state.sizeBy !== sizedBy;
    dirty = owed(dirty, changes, resized);
    if (changes.has('style')) {
      if (!resized) restyle();
      sizedBy = app.state.sizeBy;
    }
    const visible = app.state.view === 'graph';
    if (changes.has('selection')) pendingReveal = true;
    if (visible && pendingReveal && !dirty) {
      pendingReveal = false;
      markSelection();
      revealSelected();
    }
    if (visible && dirty) {
      const reason = dirty;
      dirty = null;
      clearTimeout(settle);
      if (reason === 'style') bar.replaceChildren(toolbar());
      // New numbers for the same model (a slider moving) lay out once the slider rests.
      if (reason === 'numbers') settle = setTimeout(() => void relayout('expansion'), NUMBERS_DELAY_MS);
      else void relayout(reason);
    }
  });
  window.addEventListener('resize', () => laidOut && pz.clamp());
  window.addEventListener('pagehide', cancelLayouts);
}
