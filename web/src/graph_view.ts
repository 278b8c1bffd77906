/**
 * The graph view: ELK's layered layout drawn as SVG, boxes coloured (and optionally sized) by a
 * metric, blocks that open and close, pan and zoom, a search that reveals any layer, the model's
 * properties, and the drawing as SVG or PNG. Any graph opens as an outline of at most a few
 * hundred boxes (outline.ts); a new model's drawing replaces the last one at once, never later.
 */
import type { App } from './app.js';
import { byId, h, keepFocus, select } from './dom.js';
import { savePng, saveSvg, svgDocument } from './export.js';
import { allNodes, drawingMarkup, legendMarkup, type Paint } from './graph_draw.js';
import { boxOfSelection, closedBlocks, closing, COLOUR_CHOICES, MODEL_SELECTION, owed, revealing, SIZE_CHOICES, toElk, visibleGraphSteps, type ElkGraph, type Metric, type Redraw, type VisGraph } from './graph_model.js';
import { cancelLayouts, ELK_BUDGET_MS, ELK_MAX_BOXES, layoutGraph, type Layout } from './layout.js';
import { pageMessages } from './messages.js';
import { DRAW_LIMIT, expandAll, openBlock, RANGE_SIZE } from './outline.js';
import { PanZoom } from './panzoom.js';
import { layerSearch } from './search_view.js';
import { sliced } from './slices.js';
import { rewrittenBoxes, rewrittenLayers } from './whatif_model.js';

const SVG = 'http://www.w3.org/2000/svg';

/** How long the numbers must rest (a slider held still) before the graph is laid out again. */
const NUMBERS_DELAY_MS = 150;

/** Mounts the graph view into #view-graph; calls `onDrawn` after each drawing. */
export function mountGraphView(app: App, onDrawn: () => void): void {
  const root = byId('view-graph');
  const status = h('span', { class: 'status', role: 'status' });
  const notice = h('p', { class: 'notice', role: 'status', hidden: true });
  const legend = h('div', { class: 'legend' });
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'graph');
  const viewport = document.createElementNS(SVG, 'g');
  svg.append(viewport);
  const overlay = h('p', { class: 'overlay', hidden: true });
  const canvas = h('div', {
    class: 'canvas', tabindex: 0, role: 'region', id: 'graph-canvas',
    'aria-label': 'Model graph. Arrow keys pan, + and − zoom, 0 fits. Tab reaches the boxes: arrow keys move between them, Enter opens a block or selects a layer, Space selects.',
  });
  canvas.append(svg, overlay);
  const pz = new PanZoom(canvas, viewport);
  const search = layerSearch('find-layer', () => app.ready?.analysis.layers ?? [], (name) => reveal(name));

  let vis: VisGraph | null = null;
  let laidOut: ElkGraph | null = null;
  let layout: Layout | null = null;
  let anchor: { id: string; x: number; y: number } | null = null;
  /** Set when an opening stopped short of what was asked, until the next one. */
  let capped: string | null = null;
  /** The box or frame to give the keyboard focus once the next drawing is on screen. */
  let focusAfterDraw: string | null = null;

  const exportButtons = () =>
    h('div', { class: 'row', role: 'group', 'aria-label': 'Download the drawing' },
      h('span', { class: 'muted' }, 'Download'),
      h('button', { type: 'button', 'data-export': 'svg', onclick: () => exportDrawing('svg') }, 'SVG'),
      h('button', { type: 'button', 'data-export': 'png', onclick: () => exportDrawing('png') }, 'PNG'));

  /** Whether the view options are unfolded on a narrow screen; kept when the bar is redrawn. */
  let toolsOpen = false;
  const setTools = (open: boolean) => {
    toolsOpen = open;
    bar.querySelector('.toolbar')?.classList.toggle('open', open);
    bar.querySelector('#graph-tools-toggle')?.setAttribute('aria-expanded', String(open));
  };

  // On a narrow screen the options fold behind one button beside Find layer, so the drawing keeps
  // the screen; on a wide one the button is hidden and every option shows in the bar.
  const toolbar = () =>
    h('div', { class: `toolbar folding${toolsOpen ? ' open' : ''}` },
      h('button', {
        type: 'button', id: 'graph-tools-toggle', class: 'narrow-only', 'aria-controls': 'graph-tools', 'aria-expanded': String(toolsOpen),
        onclick: () => setTools(!toolsOpen),
      }, 'View options'),
      h('div', {
        class: 'tools', id: 'graph-tools', role: 'group', 'aria-label': 'View options',
        onkeydown: (e: Event) => {
          if ((e as KeyboardEvent).key !== 'Escape' || !toolsOpen || e.defaultPrevented) return;
          e.preventDefault();
          setTools(false);
          bar.querySelector<HTMLElement>('#graph-tools-toggle')?.focus();
        },
      },
      select('Colour', COLOUR_CHOICES, app.state.colourBy, (v) => app.setStyle({ colourBy: v as Metric }), 'colour-by'),
      select('Size', SIZE_CHOICES, app.state.sizeBy ?? 'none', (v) => app.setStyle({ sizeBy: v === 'none' ? null : (v as Metric) }), 'size-by'),
      h('div', { class: 'row' },
        h('button', { type: 'button', id: 'expand-all', onclick: () => expandEverything() }, 'Expand all'),
        h('button', { type: 'button', id: 'collapse-all', onclick: () => ((capped = null), app.setExpanded(new Set())) }, 'Collapse all'),
        h('button', { type: 'button', id: 'fit-width', title: 'Fit the width, from the top', onclick: () => fit() }, 'Fit width'),
        h('button', { type: 'button', id: 'fit-all', title: 'Fit the whole graph', onclick: () => pz.fitAll() }, 'Whole graph'),
        h('button', { type: 'button', class: 'wide-only', id: 'zoom-in', title: 'Zoom in', 'aria-label': 'Zoom in', onclick: () => pz.zoomBy(1.25) }, '+'),
        h('button', { type: 'button', class: 'wide-only', id: 'zoom-out', title: 'Zoom out', 'aria-label': 'Zoom out', onclick: () => pz.zoomBy(0.8) }, '−'),
        h('button', { type: 'button', id: 'model-properties', onclick: () => app.select(MODEL_SELECTION) }, 'Properties'),
      ),
      exportButtons()),
      search.root, status,
    );
  const bar = h('div', {});
  root.append(bar, notice, legend, canvas);
  bar.replaceChildren(toolbar());

  const expandEverything = () => {
    const r = app.ready;
    if (!r) return;
    const o = expandAll(r.tree, DRAW_LIMIT);
    capped = o.complete ? null : pageMessages.drawLimit(DRAW_LIMIT);
    app.setExpanded(o.open);
  };

  /** Opens whatever hides a layer, selects it, and shows it. */
  const reveal = (name: string) => {
    const r = app.ready;
    if (!r) return;
    app.selected = name;
    focusAfterDraw = null;
    app.setExpanded(revealing(r.tree, app.expanded, name));
  };

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
    setTabStop(null);
  };

  /** Makes one box the keyboard's way in (the focused, selected or first one); the rest are reached with arrow keys. */
  const setTabStop = (id: string | null) => {
    const nav = [...viewport.querySelectorAll<SVGElement>('[data-nav]')];
    nav.forEach((el) => el.setAttribute('tabindex', '-1'));
    const sel = boxOfSelection(vis, app.selected);
    const pickId = id ?? sel;
    const target = (pickId ? navOf(pickId) : null) ?? nav.find((el) => el.getAttribute('data-nav') === '0') ?? null;
    target?.setAttribute('tabindex', '0');
    return target;
  };

  /** The keyboard stop of a box (the box) or of an open frame (its label). */
  const navOf = (id: string): SVGElement | null =>
    viewport.querySelector<SVGElement>(`g.node[data-id="${CSS.escape(id)}"], g.frame[data-id="${CSS.escape(id)}"] .frame-label`);

  const exportDrawing = async (format: 'svg' | 'png') => {
    if (!vis || !laidOut || !app.ready) return;
    const w = laidOut.width ?? 0;
    const hh = laidOut.height ?? 0;
    const doc = svgDocument(drawingMarkup(vis, laidOut, { ...paint(), selected: null }), w, hh);
    const name = `${app.ready.analysis.model}-graph.${format}`;
    if (format === 'svg') saveSvg(name, doc);
    else await savePng(name, doc, w, hh);
  };

  /** Fits the drawing's width, centred on the first box when it is too wide to read whole. */
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

  const showNotices = () => {
    const r = app.ready;
    const parts: string[] = [];
    if (r && r.ranges.size > 0) parts.push(pageMessages.outline(r.analysis.layers.length, RANGE_SIZE));
    if (capped) parts.push(capped);
    if (layout?.fallback) parts.push(pageMessages.plainLayout(layout.fallback, vis ? allNodes(vis).length : 0, ELK_MAX_BOXES, ELK_BUDGET_MS));
    notice.textContent = parts.join(' ');
    notice.hidden = parts.length === 0;
  };

  let firstDraw = true;
  let drawings = 0;
  const relayout = async (reason: 'model' | 'expansion' | 'style') => {
    const r = app.ready;
    if (!r) return;
    const drawing = ++drawings;
    root.setAttribute('aria-busy', 'true');
    status.textContent = 'laying out…';
    if (reason === 'model') {
      // The last model's drawing goes at once: it must never stand under the new model's name.
      vis = null;
      laidOut = null;
      layout = null;
      viewport.replaceChildren();
      legend.replaceChildren();
    }
    // The boxes of a graph of many thousand layers are found in slices, between the page's other tasks.
    const next = await sliced(visibleGraphSteps(r.analysis, r.tree, app.expanded), { stale: () => drawing !== drawings || app.ready !== r });
    if (next === null) return;
    vis = next;
    const boxes = allNodes(vis).length;
    if (reason === 'model') {
      overlay.textContent = pageMessages.layingOut(r.analysis.model, boxes);
      overlay.hidden = false;
      showNotices();
    }
    const t0 = performance.now();
    const result = await layoutGraph(toElk(vis, app.state.sizeBy));
    if (!result) return;
    layout = result;
    laidOut = result.graph;
    overlay.hidden = true;
    const before = anchor;
    draw();
    root.removeAttribute('aria-busy');
    status.textContent = pageMessages.drawn(r.analysis.layers.length, boxes, closedBlocks(vis), performance.now() - t0, result.engine === 'elk' ? 'ELK' : 'plain');
    svg.setAttribute('aria-label', `Graph of ${r.analysis.model}`);
    showNotices();
    if (reason === 'model' || firstDraw) fit();
    else if (before) {
      const now = screenOf(before.id);
      if (now) pz.panBy(before.x - now.x, before.y - now.y);
    }
    if ((pendingReveal || reason === 'expansion') && app.selected !== null && !before) revealSelected();
    if (focusAfterDraw !== null) {
      const el = setTabStop(focusAfterDraw);
      el?.focus({ preventScroll: true });
      focusAfterDraw = null;
    }
    pendingReveal = false;
    anchor = null;
    firstDraw = false;
    onDrawn();
  };

  /** Moves the highlight without redrawing, so the box under the pointer survives a double-click. */
  const markSelection = () => {
    viewport.querySelectorAll('g.node.selected').forEach((n) => (n.classList.remove('selected'), n.removeAttribute('aria-pressed')));
    const sel = boxOfSelection(vis, app.selected);
    const el = sel ? viewport.querySelector(`g.node[data-id="${CSS.escape(sel)}"]`) : null;
    el?.classList.add('selected');
    el?.setAttribute('aria-pressed', 'true');
  };

  /** Pans to an element when it is off screen or under the details sheet; a visible one stays put. */
  const showElement = (el: Element) => {
    const box = el.getBoundingClientRect();
    const view = canvas.getBoundingClientRect();
    const sheet = document.getElementById('details');
    const sheetTop = sheet && !sheet.hidden && getComputedStyle(sheet).position === 'fixed' ? sheet.getBoundingClientRect().top : Infinity;
    const bottom = Math.min(view.bottom, sheetTop);
    if (box.top >= view.top && box.bottom <= bottom && box.left >= view.left && box.right <= view.right) return;
    const rect = el.tagName.toLowerCase() === 'rect' ? el : el.closest('g')?.querySelector('rect');
    if (!rect) return;
    const x = Number(rect.getAttribute('x')) + Number(rect.getAttribute('width')) / 2;
    const y = Number(rect.getAttribute('y')) + (el.classList.contains('frame-label') ? 20 : Number(rect.getAttribute('height')) / 2);
    pz.centreOn(x, y, Math.max(1, bottom - view.top));
  };

  const revealSelected = () => {
    const sel = boxOfSelection(vis, app.selected);
    const el = sel ? viewport.querySelector<SVGRectElement>(`g.node[data-id="${CSS.escape(sel)}"] rect`) : null;
    if (el) showElement(el);
  };

  /** Opens or closes a block, keeping it still on screen; `viaKeyboard` moves the focus to what replaces it. */
  const toggle = (id: string, open: boolean, viaKeyboard = false) => {
    const r = app.ready;
    if (!r) return;
    const block = id.slice(2);
    const pos = screenOf(id);
    anchor = pos ? { id, ...pos } : null;
    focusAfterDraw = viaKeyboard ? id : null;
    if (!open) {
      capped = null;
      app.setExpanded(closing(r.tree, app.expanded, block));
      return;
    }
    const o = openBlock(r.tree, app.expanded, block, DRAW_LIMIT);
    if (!o.open.has(block)) {
      capped = pageMessages.blockTooLarge(block, DRAW_LIMIT);
      anchor = null;
      showNotices();
      return;
    }
    capped = o.complete ? null : pageMessages.drawLimit(DRAW_LIMIT);
    app.setExpanded(o.open);
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
    const el = (e.target as Element).closest<SVGElement>('[data-nav]');
    if (!el) return;
    const frame = el.classList.contains('frame-label') ? el.closest('g.frame') : null;
    const id = (frame ?? el).getAttribute('data-id')!;
    const nav = Number(el.getAttribute('data-nav'));
    const last = viewport.querySelectorAll('[data-nav]').length - 1;
    const moves: Record<string, number> = { ArrowDown: nav + 1, ArrowRight: nav + 1, ArrowUp: nav - 1, ArrowLeft: nav - 1, Home: 0, End: last };
    if (e.key in moves) {
      e.preventDefault();
      e.stopPropagation();
      const next = viewport.querySelector<SVGElement>(`[data-nav="${Math.max(0, Math.min(last, moves[e.key]!))}"]`);
      if (!next) return;
      el.setAttribute('tabindex', '-1');
      next.setAttribute('tabindex', '0');
      next.focus({ preventScroll: true });
      showElement(next);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      if (frame) toggle(id, false, true);
      else if (e.key === 'Enter' && el.classList.contains('block')) toggle(id, true, true);
      else app.select(id.startsWith('L:') ? id.slice(2) : id);
    }
  });

  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f' && app.state.view === 'graph') {
      e.preventDefault();
      search.focus();
    }
  });

  const restyle = () => {
    keepFocus(bar, () => bar.replaceChildren(toolbar()));
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
    if (changes.has('model')) {
      capped = null;
      // What is typed in Find now counts the new model's layers.
      search.refresh();
    }
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
      if (reason === 'style') keepFocus(bar, () => bar.replaceChildren(toolbar()));
      // New numbers for the same model (a slider moving) lay out once the slider rests.
      if (reason === 'numbers') settle = setTimeout(() => void relayout('expansion'), NUMBERS_DELAY_MS);
      else void relayout(reason);
    }
  });
  window.addEventListener('resize', () => laidOut && pz.clamp());
  window.addEventListener('pagehide', cancelLayouts);
}
